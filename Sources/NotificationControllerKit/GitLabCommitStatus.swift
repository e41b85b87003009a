import FoundationEssentials
import GitOpsKit

/// A GitLab commit status for an event, as Flux's `gitlab` provider sets it: `POST
/// <host>/api/v4/projects/<url-encoded project path>/statuses/<sha>` with the `PRIVATE-TOKEN` header; state
/// `success` for info and `failed` for error events (Flux never sends `running`: `Progressing` events are not
/// sent to Git providers at all), name `kind/name/<first UID segment of the Provider>` (lowercase), description
/// the reason in words.
///
/// Flux first lists the commit's statuses to skip an identical one; here the status is posted directly (GitLab
/// keeps the latest per name, so a repeat is harmless).
struct GitLabCommitStatus {
    var event: FluxEvent
    /// The project URL: `https://gitlab.com/group/sub/project(.git)`, `ssh://git@host/…` or `git@host:group/project`.
    var address: String
    var providerUID: String?

    /// The API endpoint and body.
    func request() throws(ProviderError) -> (url: String, body: JSONValue) {
        let subject = try CommitStatusSubject(event: event, address: address, providerUID: providerUID)
        let (host, project) = try Self.hostAndProject(of: address)
        let url = "\(host)/api/v4/projects/\(PercentEncoding.encode(project))/statuses/\(subject.sha)"
        return (url, [
            "state": .string(event.severity == .error ? "failed" : "success"),
            "name": .string(subject.context),
            "description": .string(subject.description),
        ])
    }

    /// `scheme://host[:port]` (`ssh` becomes `https`) and the project path without `.git`, as Flux's
    /// `parseGitAddress` splits a Git URL.
    static func hostAndProject(of address: String) throws(ProviderError) -> (String, String) {
        let scheme: String
        let rest: Substring
        if let separator = address.firstRange(of: "://") {
            let given = address[..<separator.lowerBound].lowercased()
            scheme = given == "ssh" ? "https" : given
            rest = address[separator.upperBound...]
        } else if let colon = address.firstIndex(of: ":"), !address[..<colon].contains("/") {
            // scp-like `git@host:group/project.git`
            scheme = "https"
            let userHost = address[..<colon]
            let host = userHost.split(separator: "@").last ?? userHost
            let path = address[address.index(after: colon)...]
            return try finish(scheme: scheme, host: String(host), path: path)
        } else {
            throw ProviderError(provider: address, reason: "address is not a Git URL")
        }
        let authority = rest.prefix { $0 != "/" }
        let host = authority.split(separator: "@").last.map(String.init) ?? String(authority)
        return try finish(scheme: scheme, host: host, path: rest.dropFirst(authority.count))
    }

    private static func finish(scheme: String, host: String, path: Substring) throws(ProviderError) -> (String, String) {
        var project = String(path.drop { $0 == "/" })
        if project.hasSuffix(".git") { project.removeLast(4) }
        while project.hasSuffix("/") { project.removeLast() }
        guard !host.isEmpty, !project.isEmpty else {
            throw ProviderError(provider: "\(scheme)://\(host)", reason: "address must be <host>/<project path>")
        }
        return ("\(scheme)://\(host)", project)
    }
}
