import GitOpsKit
import Logging

/// Reconciles a `HelmRepository` of type `default`: downloads `<url>/index.yaml` (basic auth, TLS, timeout and
/// size limit from the spec), checks it is a valid index, and stores it as the artifact
/// `helmrepository/<ns>/<name>/index-<sha256>.yaml` with revision `sha256:<hex>` (plus an `index.yaml` link).
///
/// - the artifact is rewritten only when the index digest changed or its file is missing;
/// - failures keep the last good artifact and set `Ready=False` with `FetchFailed` and Flux's reason
///   (`AuthenticationFailed`, `Failed`, `IndexationFailed`), emit a Warning event and are retried with backoff;
/// - `type: oci` and fields this controller does not implement stall the object with a message naming them;
/// - deletion removes the artifacts, then the `finalizers.fluxcd.io` finalizer.
public struct HelmRepositoryReconciler: Reconciler {
    let context: SourceControllerContext

    public init(context: SourceControllerContext) {
        self.context = context
    }

    private var support: SourceReconcileSupport { SourceReconcileSupport(context: context) }

    public func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
        var repository: HelmRepository
        let object: JSONValue
        switch try await support.begin(key, as: HelmRepository.self, finalize: { repository, object in
            try await support.finalize(object, artifactObject: Self.artifactObject(repository))
        }, specProblem: Self.specProblem) {
        case .end(let result): return result
        case .proceed(let source, let json): (repository, object) = (source, json)
        }
        let interval = (try? repository.interval)??.duration
        do {
            try await reconcileIndex(&repository, object: object)
            return interval.map { .requeue(after: $0) } ?? .done
        } catch let failure as SourceFailure {
            try await support.fail(repository, object: object, failure: failure)
            throw failure
        }
    }

    private func reconcileIndex(_ repository: inout HelmRepository, object: JSONValue) async throws {
        let access = try await HelmRepositoryAccess.make(for: repository, context: context)
        let indexURL = HelmURL.indexURL(for: repository.spec.url)
        let bytes: [UInt8]
        do {
            bytes = try await access.get(indexURL, limit: HelmRepositoryAccess.maximumIndexSize)
        } catch {
            throw SourceFailure.fetch(reason: .failed, message: "failed to fetch Helm repository index: \(error)")
        }
        let index: HelmRepositoryIndex
        do {
            index = try HelmRepositoryIndex(bytes: bytes)
        } catch {
            throw SourceFailure.fetch(reason: .indexationFailed,
                                    message: "failed to load Helm repository from index YAML: \(error)")
        }
        if !index.skipped.isEmpty {
            Logger.current.info("skipped invalid index entries", metadata: ["entries": "\(index.skipped)"])
        }
        let hex = Digest.sha256Hex(bytes)
        let revision = "sha256:" + hex
        let artifactObject = Self.artifactObject(repository)
        let path = artifactObject.path(forFile: "index-\(hex).yaml")
        let current = repository.artifact
        let upToDate = current?.revision == revision && current?.path == path && context.storage.contains(path)
        try await context.waitUntilServing()
        let artifact: Artifact
        if upToDate, var existing = current {
            existing.url = context.storage.url(for: path)
            artifact = existing
        } else {
            let summary = try await context.storage.withLock(artifactObject) {
                do {
                    return try context.storage.store(bytes, at: path)
                } catch {
                    throw SourceFailure.storage(reason: .archiveOperationFailed,
                                              message: "unable to save artifact to storage: \(error)")
                }
            }
            artifact = Artifact(path: path, url: context.storage.url(for: path), revision: revision,
                                digest: summary.digest, lastUpdateTime: .now().truncatedToSeconds, size: summary.size)
        }
        let linkURL: String
        do {
            linkURL = try context.storage.link(path, as: "index.yaml")
        } catch {
            throw SourceFailure.storage(reason: .symlinkUpdateFailed, message: "failed to update status URL symlink: \(error)")
        }
        SourceReconcileSupport.collectGarbage(context: context, artifactObject, current: path)
        let message = "stored artifact: revision '\(revision)'"
        repository.updateStatus {
            $0.artifact = artifact
            $0.url = linkURL
        }
        var conditions = repository.conditions
        conditions.remove(.fetchFailed)
        conditions.remove(.storageOperationFailed)
        conditions.remove(.artifactOutdated)
        conditions.set(.artifactInStorage, .true, reason: .succeeded, message: message, observedGeneration: repository.generation)
        repository.conditions = conditions
        repository.markReady(reason: .succeeded, message: message)
        try await context.statusWriter.write(repository, original: object)
        if !upToDate {
            await context.events.record(
                object, type: .normal, reason: "NewArtifact",
                message: "stored fetched index of size \(HumanSize.format(artifact.size ?? 0)) from '\(repository.spec.url)'",
                metadata: ["revision": revision, "digest": artifact.digest ?? ""])
        }
    }

    static func artifactObject(_ repository: HelmRepository) -> ArtifactObject {
        ArtifactObject(kind: HelmRepository.kind.kind, namespace: repository.namespace ?? "default", name: repository.name)
    }

    /// Why the spec cannot be reconciled as it is, or nil.
    static func specProblem(_ repository: HelmRepository, object: JSONValue) -> (reason: ConditionReason, message: String)? {
        var unsupported = HelmRepository.unsupportedSpecFields(in: object)
        if repository.isOCI { unsupported.append("spec.type: oci") }
        if repository.spec.accessFrom != nil { unsupported.append("spec.accessFrom") }
        if let provider = repository.spec.provider, provider != .generic { unsupported.append("spec.provider: \(provider.rawValue)") }
        if !unsupported.isEmpty {
            return (.unsupportedField,
                    "unsupported field(s): \(unsupported.joined(separator: ", ")): not implemented by this source-controller")
        }
        let errors = repository.validate()
        if let urlError = errors.first(where: { $0.path == "spec.url" }) { return (.urlInvalid, urlError.description) }
        if !errors.isEmpty { return (.invalidSpec, errors.map(\.description).joined(separator: "; ")) }
        return nil
    }
}
