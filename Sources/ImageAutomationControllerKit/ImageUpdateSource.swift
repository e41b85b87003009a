import FoundationEssentials
import GitOpsKit

/// A reconcile of an ImageUpdateAutomation that did not succeed, with the condition it maps to.
///
/// `stalled` failures need a spec change (`Stalled=True`, no retry); the others are retried with the queue's
/// backoff (`Ready=False`, `Reconciling=True`).
struct ImageUpdateFailure: Error, CustomStringConvertible {
    var reason: ConditionReason
    var message: String
    var stalled: Bool

    static func stall(_ reason: ConditionReason, _ message: String) -> Self { Self(reason: reason, message: message, stalled: true) }
    static func retry(_ reason: ConditionReason, _ message: String) -> Self { Self(reason: reason, message: message, stalled: false) }

    var description: String { "\(reason.rawValue): \(message)" }
}

extension ConditionReason {
    /// Kept in one namespace so this kit's reasons never collide with another file's extension of the same type.
    enum ImageUpdate {
        /// A spec field this controller does not implement (DESIGN.md §5).
        static let unsupportedField = ConditionReason(rawValue: "UnsupportedField")
    }
}

/// Where and how to clone and push: the GitRepository's URL and credentials, the checkout reference and the push
/// target, resolved as Flux's `buildGitConfig` does.
struct ImageUpdateSource: Sendable {
    var url: String
    var credentials: GitCredentials
    /// `spec.git.checkout.ref`, else the GitRepository's `spec.ref` (else its default branch).
    var checkout: GitReference
    /// `spec.git.push.branch`, else the checkout branch.
    var pushBranch: String
    /// The push branch differs from the checked-out branch: the clone moves to it (Flux's `SwitchBranch`).
    var switchesBranch: Bool
    var timeout: Duration

    /// Reads the GitRepository and its Secret from the API (never a cache: a rotated Secret applies at once).
    static func resolve(_ automation: ImageUpdateAutomation, api: any KubernetesAPI) async throws(ImageUpdateFailure)
        -> ImageUpdateSource
    {
        let key = automation.sourceKey
        let found: JSONValue?
        do {
            found = try await api.getIfPresent(GitRepository.kind, key)
        } catch {
            throw .retry(.sourceManagerFailed, "failed configuring source manager: failed to get referenced git repository: \(error)")
        }
        guard let object = found else {
            throw .retry(
                .sourceManagerFailed,
                "failed configuring source manager: referenced git repository does not exist: GitRepository.source.toolkit.fluxcd.io \"\(key.name)\" not found")
        }
        let repository: GitRepository
        do {
            repository = try GitRepository(from: object)
        } catch {
            throw .retry(.sourceManagerFailed, "failed configuring source manager: invalid GitRepository \(key): \(error)")
        }
        var unsupported: [String] = []
        if repository.spec.proxySecretRef != nil { unsupported.append("spec.proxySecretRef") }
        if let provider = repository.spec.provider, provider != .generic { unsupported.append("spec.provider: \(provider.rawValue)") }
        if !unsupported.isEmpty {
            throw .stall(ConditionReason.ImageUpdate.unsupportedField,
                         "GitRepository \(key) uses unsupported field(s): \(unsupported.joined(separator: ", ")): not implemented by this image-automation-controller")
        }
        let git = automation.spec.git
        let reference = git?.checkout?.ref ?? repository.spec.ref
        let checkout = GitReference(reference)
        let pushBranch: String
        let switchesBranch: Bool
        if let branch = git?.push?.branch, !branch.isEmpty {
            pushBranch = branch
            if let reference {
                switchesBranch = branch != (reference.branch ?? "")
            } else {
                switchesBranch = branch != GitReference.defaultBranch
            }
        } else {
            guard let branch = reference?.branch, !branch.isEmpty else {
                throw .stall(.invalidSourceConfiguration,
                             "push spec not provided, and cannot be inferred from .spec.git.checkout.ref or GitRepository .spec.ref")
            }
            pushBranch = branch
            switchesBranch = false
        }
        let credentials = try await Self.credentials(for: repository, api: api)
        let timeout = (try? repository.timeout.duration) ?? .seconds(60)
        return ImageUpdateSource(url: repository.spec.url, credentials: credentials, checkout: checkout,
                                 pushBranch: pushBranch, switchesBranch: switchesBranch, timeout: timeout)
    }

    /// The credentials of the GitRepository's `spec.secretRef`: the keys source-controller reads (`username`,
    /// `password`, `bearerToken`, `identity`, `known_hosts`).
    private static func credentials(for repository: GitRepository, api: any KubernetesAPI) async throws(ImageUpdateFailure)
        -> GitCredentials
    {
        guard let name = repository.spec.secretRef?.name, !name.isEmpty else { return .none }
        let namespace = repository.namespace ?? "default"
        let secretKind = GroupVersionKind(group: "", version: "v1", kind: "Secret")
        let secret: JSONValue
        do {
            secret = try await api.get(secretKind, ObjectKey(namespace: namespace, name: name))
        } catch {
            let detail = error.code == .notFound ? "secrets \"\(name)\" not found" : "\(error)"
            throw .retry(.sourceManagerFailed,
                         "failed configuring source manager: failed to get auth secret '\(namespace)/\(name)': \(detail)")
        }
        var data: [String: [UInt8]] = [:]
        for (key, value) in secret["data"]?.objectValue ?? [:] {
            guard let text = value.stringValue, let bytes = Data(base64Encoded: text) else {
                throw .retry(.sourceManagerFailed, "invalid secret '\(namespace)/\(name)': data.\(key) is not base64")
            }
            data[key] = Array(bytes)
        }
        for (key, value) in secret["stringData"]?.objectValue ?? [:] {
            if let text = value.stringValue { data[key] = Array(text.utf8) }
        }
        do {
            let credentials = try GitCredentials(secretData: data)
            if repository.spec.url.lowercased().hasPrefix("ssh://"), credentials.identity != nil, credentials.knownHosts == nil {
                throw GitError(.invalidCredentials, "'known_hosts' is required for SSH")
            }
            return credentials
        } catch {
            throw .retry(.sourceManagerFailed, "invalid secret '\(namespace)/\(name)': \(error)")
        }
    }
}
