import GitOpsKit
import Logging

extension KustomizationReconciler {
    /// The status and finalizer writes' field manager (Flux's `gotk-kustomize-controller`): distinct from the
    /// applier's, so a parent Kustomization applying this one (app of apps) never takes the finalizer over.
    var statusManager: String { "gotk-\(context.controllerName)" }

    /// Deletion of a Kustomization (Flux `finalize`): unless it is suspended, its inventory's objects are deleted
    /// as `deletionPolicy` says — `MirrorPrune` follows `spec.prune`, `Delete` always, `WaitForTermination` deletes and
    /// then waits up to `timeout` until they are gone, `Orphan` never — as its service account when it has one. When
    /// that account no longer exists nothing can be deleted safely: the objects are left, an event lists them, and
    /// the finalizer goes anyway (as in Flux). A failed delete keeps the finalizer, so the next attempt retries.
    func finalize(_ kustomization: Kustomization, object: JSONValue) async throws {
        guard kustomization.metadata.hasFinalizer(Kustomization.finalizer) else { return }
        let inventory = Self.identities(of: kustomization.status?.inventory)
        if kustomization.deletesObjectsOnDeletion, !kustomization.isSuspended, !inventory.isEmpty {
            try await deleteInventory(inventory, of: kustomization, object: object)
        }
        var updated = object
        let finalizers = (object[path: "metadata", "finalizers"]?.arrayValue ?? []).filter { $0.stringValue != Kustomization.finalizer }
        updated[path: "metadata", "finalizers"] = .array(finalizers)
        // A `Result` rather than `catch where` on a typed throw: the latter crashes the 6.3 compiler here.
        let result: Result<JSONValue, KubeError>
        do {
            result = .success(try await context.api.update(updated, options: WriteOptions(fieldManager: statusManager)))
        } catch {
            result = .failure(error)
        }
        if case .failure(let error) = result, error.code != .notFound { throw error }
    }

    private func deleteInventory(_ inventory: [ResourceIdentity], of kustomization: Kustomization, object: JSONValue)
        async throws
    {
        let revision = kustomization.status?.lastAppliedRevision
        let originRevision = kustomization.status?.lastAppliedOriginRevision
        var metadata: [String: String] = [:]
        if let revision { metadata["revision"] = revision }
        if let originRevision { metadata["originRevision"] = originRevision }
        if let account = Self.serviceAccountName(kustomization, default: context.defaultServiceAccount) {
            let key = ObjectKey(namespace: kustomization.namespace ?? "default", name: account)
            let exists = (try? await context.api.getIfPresent(Self.serviceAccountKind, key)) != nil
            if !exists {
                let list = inventory.map(\.subject).joined(separator: "\n")
                context.logger.error("skipping pruning, failed to find account to impersonate",
                                     metadata: ["serviceAccount": "\(key)"])
                await context.events.record(object, type: .warning, reason: "PruneFailed",
                                            message: "unable to prune objects: \n\(list)", metadata: metadata)
                return
            }
        }
        var applier = ResourceApplier(api: try clusterAPI(for: kustomization), fieldManager: context.controllerName,
                                      logger: context.logger)
        applier.overrideManagers = context.overrideManagers
        let result = await applier.deleteAll(inventory, ownerLabels: Self.ownerLabels(kustomization))
        if !result.failures.isEmpty {
            let message = "garbage collection failed: \(result.failureMessage)"
            await context.events.record(object, type: .warning, reason: ConditionReason.pruneFailed.rawValue,
                                        message: message, metadata: metadata)
            throw KustomizationFailure(.pruneFailed, message)
        }
        let deleted = result.changeSet.identities(.deleted)
        guard !deleted.isEmpty else { return }
        await context.events.record(object, type: .normal, reason: "GarbageCollectionSucceeded",
                                    message: result.changeSet.summary, metadata: metadata)
        if kustomization.deletionPolicy == .waitForTermination {
            let timeout = (try? kustomization.timeout.duration) ?? .seconds(60)
            let remaining = await applier.waitForTermination(deleted, timeout: timeout, pollInterval: context.healthPollInterval)
            if !remaining.isEmpty {
                let message = "failed to wait for resources termination: timeout after \(Self.format(timeout)) waiting for: [\(remaining.map(\.subject).joined(separator: ", "))]"
                context.logger.error("\(message)")
                await context.events.record(object, type: .warning, reason: "TerminationFailed", message: message,
                                            metadata: metadata)
            }
        }
    }

    static let serviceAccountKind = GroupVersionKind(group: "", version: "v1", kind: "ServiceAccount")

    func addFinalizer(to object: JSONValue) async throws -> JSONValue {
        var updated = object
        var finalizers = object[path: "metadata", "finalizers"]?.arrayValue ?? []
        finalizers.append(.string(Kustomization.finalizer))
        updated[path: "metadata", "finalizers"] = .array(finalizers)
        return try await context.api.update(updated, options: WriteOptions(fieldManager: statusManager))
    }
}
