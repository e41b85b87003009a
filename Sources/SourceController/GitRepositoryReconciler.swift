import FoundationEssentials
import GitOpsKit
import Logging

/// Reconciles a `GitRepository`: fetches `spec.url` into a persistent bare mirror (incrementally), resolves
/// `spec.ref` with Flux's precedence, and stores the commit's tree — minus the ignored paths — as a reproducible
/// `gitrepository/<ns>/<name>/<commit>.tar.gz` artifact advertised in `status.artifact`.
///
/// - the artifact is rebuilt only when the revision or `spec.ignore` changed, or its file is missing;
/// - failures keep the last good artifact, set `Ready=False` (and `FetchFailed` or `StorageOperationFailed`) with
///   Flux's reason and a message naming what failed, emit a Warning event, and are retried with the queue's backoff;
/// - fields this controller does not implement (`include`, `verify`, …) stall the object with a message naming them;
/// - deletion removes the artifacts and the mirror, then the `finalizers.fluxcd.io` finalizer.
public struct GitRepositoryReconciler: Reconciler {
    let context: SourceControllerContext
    let mirrors: GitRepositoryMirror

    public init(context: SourceControllerContext, mirrors: GitRepositoryMirror) {
        self.context = context
        self.mirrors = mirrors
    }

    private var support: SourceReconcileSupport { SourceReconcileSupport(context: context) }

    public func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
        var repository: GitRepository
        let object: JSONValue
        switch try await support.begin(key, as: GitRepository.self, finalize: { repository, object in
            try await finalize(repository, object: object)
        }, specProblem: Self.specProblem) {
        case .end(let result): return result
        case .proceed(let source, let json): (repository, object) = (source, json)
        }
        // `specProblem` checked both durations.
        let interval = (try? repository.interval.duration) ?? .seconds(60)
        do {
            try await reconcileArtifact(&repository, object: object)
            return .requeue(after: interval)
        } catch let failure as SourceFailure {
            try await support.fail(repository, object: object, failure: failure)
            throw failure
        }
    }

    // MARK: Fetch and store

    private func reconcileArtifact(_ repository: inout GitRepository, object: JSONValue) async throws {
        let credentials = try await credentials(for: repository)
        let commit: GitCommit
        do {
            commit = try await mirrors.fetch(
                key: Self.mirrorKey(repository), url: repository.spec.url, reference: GitReference(repository.spec.ref),
                credentials: credentials, timeout: (try? repository.timeout.duration) ?? .seconds(60))
        } catch let error as GitError {
            throw SourceFailure.fetch(reason: Self.reason(for: error),
                                             message: "failed to checkout and determine revision: \(error.message)")
        }
        let artifactObject = Self.artifactObject(repository)
        let path = artifactObject.path(forFile: commit.hash + ".tar.gz")
        let ignoreChanged = repository.status?.observedIgnore != repository.spec.ignore
        let current = repository.artifact
        let upToDate = current?.revision == commit.revision && current?.path == path && !ignoreChanged
            && context.storage.contains(path)
        try await context.waitUntilServing()
        let artifact: Artifact
        if upToDate, var existing = current {
            // Same content; only the advertised address may have changed (e.g. a new --storage-adv-addr).
            existing.url = context.storage.url(for: path)
            artifact = existing
            try ensureLatestLink(path)
        } else {
            let summary = try await buildArtifact(repository, commit: commit, object: artifactObject, path: path)
            artifact = Artifact(path: path, url: context.storage.url(for: path), revision: commit.revision,
                                digest: summary.digest, lastUpdateTime: .now().truncatedToSeconds, size: summary.size)
        }
        do {
            let removed = try context.garbageCollect(artifactObject, current: path)
            if !removed.isEmpty { Logger.current.debug("garbage collected artifacts", metadata: ["paths": "\(removed)"]) }
        } catch {
            Logger.current.error("artifact garbage collection failed", metadata: ["error": "\(error)"])
        }
        let message = "stored artifact for revision '\(commit.revision)'"
        let ignore = repository.spec.ignore
        repository.updateStatus {
            $0.artifact = artifact
            $0.observedIgnore = ignore
        }
        var conditions = repository.conditions
        conditions.remove(.fetchFailed)
        conditions.remove(.storageOperationFailed)
        conditions.remove(.artifactOutdated)
        conditions.set(.artifactInStorage, .true, reason: .succeeded, message: message,
                       observedGeneration: repository.generation)
        repository.conditions = conditions
        repository.markReady(reason: .succeeded, message: message)
        try await context.statusWriter.write(repository, original: object)
        if !upToDate {
            await context.events.record(object, type: .normal, reason: "NewArtifact",
                                        message: "stored artifact for commit '\(commit.shortMessage)'",
                                        metadata: ["revision": commit.revision, "digest": artifact.digest ?? ""])
        }
    }

    /// Archives the tree of `commit` (ignore rules applied) at `path`, straight from the mirror, and points
    /// `latest.tar.gz` at it.
    private func buildArtifact(_ repository: GitRepository, commit: GitCommit, object: ArtifactObject, path: String)
        async throws -> ArchiveSummary
    {
        try await context.storage.withLock(object) {
            let summary: ArchiveSummary
            do {
                summary = try await mirrors.archive(
                    key: Self.mirrorKey(repository), commit: commit.hash, to: context.storage.localPath(for: path),
                    specIgnore: repository.spec.ignore, timeout: (try? repository.timeout.duration) ?? .seconds(60))
            } catch let error as GitError {
                throw SourceFailure.fetch(reason: .gitOperationFailed,
                                                 message: "failed to checkout and determine revision: \(error.message)")
            } catch {
                throw SourceFailure.storage(reason: .archiveOperationFailed,
                                                   message: "unable to archive artifact to storage: \(error)")
            }
            try ensureLatestLink(path)
            return summary
        }
    }

    private func ensureLatestLink(_ path: String) throws {
        let local = context.storage.localPath(for: path)
        let link = PathString.parent(local) + "/latest.tar.gz"
        let fileName = PathString.lastComponent(local)
        // Steady state: the link already points at the artifact; do not rewrite it every interval.
        if (try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == fileName { return }
        do {
            try context.storage.link(path, as: "latest.tar.gz")
        } catch {
            throw SourceFailure.storage(reason: .symlinkUpdateFailed,
                                               message: "failed to update status URL symlink: \(error)")
        }
    }

    // MARK: Credentials

    /// The credentials of `spec.secretRef`, read from the API (never from a cache: a rotated Secret applies at once).
    private func credentials(for repository: GitRepository) async throws -> GitCredentials {
        guard let name = repository.spec.secretRef?.name, !name.isEmpty else { return .none }
        let namespace = repository.namespace ?? "default"
        let secretKind = GroupVersionKind(group: "", version: "v1", kind: "Secret")
        let secret: JSONValue
        do {
            secret = try await context.api.get(secretKind, ObjectKey(namespace: namespace, name: name))
        } catch {
            let detail = error.code == .notFound ? "secrets \"\(name)\" not found" : "\(error)"
            throw SourceFailure.fetch(reason: .authenticationFailed,
                                             message: "failed to get secret '\(namespace)/\(name)': \(detail)")
        }
        var data: [String: [UInt8]] = [:]
        for (key, value) in secret["data"]?.objectValue ?? [:] {
            guard let text = value.stringValue, let bytes = Data(base64Encoded: text) else {
                throw SourceFailure.fetch(reason: .authenticationFailed,
                                                 message: "invalid secret '\(namespace)/\(name)': data.\(key) is not base64")
            }
            data[key] = Array(bytes)
        }
        for (key, value) in secret["stringData"]?.objectValue ?? [:] {
            if let text = value.stringValue { data[key] = Array(text.utf8) }
        }
        let credentials: GitCredentials
        do {
            credentials = try GitCredentials(secretData: data)
        } catch {
            throw SourceFailure.fetch(reason: .authenticationFailed,
                                             message: "invalid secret '\(namespace)/\(name)': \(error.message)")
        }
        let isSSH = repository.spec.url.lowercased().hasPrefix("ssh://")
        if isSSH, credentials.identity != nil, credentials.knownHosts == nil {
            throw SourceFailure.fetch(reason: .authenticationFailed,
                                             message: "invalid secret '\(namespace)/\(name)': 'known_hosts' is required for SSH")
        }
        return credentials
    }

    // MARK: Status outcomes

    // MARK: Deletion

    /// Deletion: the mirror goes with the artifacts, then the finalizer.
    private func finalize(_ repository: GitRepository, object: JSONValue) async throws {
        guard repository.metadata.hasFinalizer(GitRepository.finalizer) else { return }
        try await mirrors.remove(key: Self.mirrorKey(repository))
        try await support.finalize(object, artifactObject: Self.artifactObject(repository))
    }

    // MARK: Helpers

    static func artifactObject(_ repository: GitRepository) -> ArtifactObject {
        ArtifactObject(kind: GitRepository.kind.kind, namespace: repository.namespace ?? "default", name: repository.name)
    }

    static func mirrorKey(_ repository: GitRepository) -> String {
        "\(repository.namespace ?? "default")/\(repository.name)"
    }

    /// The condition reason for a failed Git operation.
    static func reason(for error: GitError) -> ConditionReason {
        switch error.code {
        case .authenticationFailed, .hostKeyVerificationFailed, .invalidCredentials: .authenticationFailed
        case .invalidURL: .urlInvalid
        default: .gitOperationFailed
        }
    }

    /// Why the spec cannot be reconciled as it is (a field this controller does not implement, or an invalid
    /// value), or nil.
    static func specProblem(_ repository: GitRepository, object: JSONValue)
        -> (reason: ConditionReason, message: String)?
    {
        var unsupported = GitRepository.unsupportedSpecFields(in: object)
        let spec = repository.spec
        if spec.include?.isEmpty == false { unsupported.append("spec.include") }
        if spec.verify != nil { unsupported.append("spec.verify") }
        if spec.recurseSubmodules == true { unsupported.append("spec.recurseSubmodules") }
        if spec.proxySecretRef != nil { unsupported.append("spec.proxySecretRef") }
        if spec.sparseCheckout?.isEmpty == false { unsupported.append("spec.sparseCheckout") }
        if let provider = spec.provider, provider != .generic { unsupported.append("spec.provider: \(provider.rawValue)") }
        if !unsupported.isEmpty {
            return (.unsupportedField,
                    "unsupported field(s): \(unsupported.joined(separator: ", ")): not implemented by this source-controller")
        }
        let errors = repository.validate()
        if let urlError = errors.first(where: { $0.path == "spec.url" }) {
            return (.urlInvalid, urlError.description)
        }
        if !errors.isEmpty {
            return (.invalidSpec, errors.map(\.description).joined(separator: "; "))
        }
        return nil
    }
}

/// A reconcile failure with the condition it maps to.
extension ConditionReason {
    /// A spec field this controller does not implement (DESIGN.md §5): the object is stalled naming it.
    static let unsupportedField: Self = "UnsupportedField"
    /// A spec value the CRD's rules reject (reachable only when the API server does not enforce the schema).
    static let invalidSpec: Self = "InvalidSpec"
}
