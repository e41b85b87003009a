import GitOpsKit

/// A GitHub commit status for an event, as Flux's `github` provider sets it: on the commit of the event's
/// `revision` (`main@sha1:<sha>`), state `success` for info and `failure` for error, context
/// `kind/name/<first UID segment of the Provider>` (lowercase), description the reason in words.
///
/// Flux first lists the commit's statuses to skip an identical one; here the status is posted directly (GitHub
/// keeps the latest per context, so a repeat is harmless).
struct GitHubCommitStatus {
    var event: FluxEvent
    /// The repository URL: `https://github.com/owner/repo` or a GitHub Enterprise host's.
    var address: String
    var providerUID: String?

    /// The API endpoint and body.
    func request() throws(ProviderError) -> (url: String, body: JSONValue) {
        let subject = try CommitStatusSubject(event: event, address: address, providerUID: providerUID)
        let (api, repository) = try apiBase()
        return ("\(api)/repos/\(repository)/statuses/\(subject.sha)", [
            "state": .string(event.severity == .error ? "failure" : "success"),
            "context": .string(subject.context),
            "description": .string(subject.description),
        ])
    }

    /// The commit SHA of a Flux revision: `main@sha1:abc…`, `sha1:abc…` or a bare SHA.
    static func commit(of revision: String) -> String? {
        let last = revision.split(separator: "@").last.map(String.init) ?? revision
        let sha = last.split(separator: ":").last.map(String.init) ?? last
        let isHex = !sha.isEmpty && sha.allSatisfy { $0.isHexDigit }
        return isHex && sha.count >= 7 ? sha.lowercased() : nil
    }

    /// `ReconciliationSucceeded` → `reconciliation succeeded`.
    static func words(_ reason: String) -> String {
        var result = ""
        for character in reason {
            if character.isUppercase, !result.isEmpty { result.append(" ") }
            result.append(contentsOf: character.lowercased())
        }
        return result
    }

    /// `https://api.github.com` for github.com, `<scheme>://<host>/api/v3` for Enterprise; and `owner/repo`.
    private func apiBase() throws(ProviderError) -> (String, String) {
        let schemeAndRest = address.split(separator: "://", maxSplits: 1)
        guard schemeAndRest.count == 2 else {
            throw ProviderError(provider: address, reason: "address is not a URL")
        }
        let scheme = schemeAndRest[0]
        let parts = schemeAndRest[1].split(separator: "/").map(String.init)
        guard parts.count == 3 else {
            throw ProviderError(provider: address, reason: "address must be <host>/<owner>/<repository>")
        }
        let repository = parts[1] + "/" + (parts[2].hasSuffix(".git") ? String(parts[2].dropLast(4)) : parts[2])
        let host = parts[0]
        return (host == "github.com" ? "https://api.github.com" : "\(scheme)://\(host)/api/v3", repository)
    }
}

/// What a Git provider's commit status is about, the same for GitHub and GitLab: the commit of the event's
/// `revision`, the status context `kind/name/<first UID segment of the Provider>` (lowercase) and the reason in
/// words.
struct CommitStatusSubject {
    var sha: String
    var context: String
    var description: String

    init(event: FluxEvent, address: String, providerUID: String?) throws(ProviderError) {
        guard let revision = event.metadata["revision"], !revision.isEmpty else {
            throw ProviderError(provider: address, reason: "missing revision metadata")
        }
        guard let sha = GitHubCommitStatus.commit(of: revision) else {
            throw ProviderError(provider: address, reason: "no commit SHA in revision '\(revision)'")
        }
        let object = event.involvedObject
        let uidPrefix = providerUID.flatMap { $0.split(separator: "-").first.map(String.init) } ?? ""
        self.sha = sha
        context = "\(object.kind)/\(object.name)/\(uidPrefix)".lowercased()
        description = GitHubCommitStatus.words(event.reason)
    }
}
