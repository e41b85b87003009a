extension ResourceApplier {
    /// The outcome of deleting stale objects: what was deleted or skipped, and the objects that could not be
    /// deleted (kept in the inventory so the next reconcile tries again).
    public struct DeleteResult: Sendable, Hashable {
        /// An object that could not be deleted, and the server's answer.
        public struct Failure: Sendable, Hashable {
            public var identity: ResourceIdentity
            public var message: String
        }

        public var changeSet = ChangeSet()
        public var failures: [Failure] = []

        /// `Kind/ns/name: why` per failure, `; `-separated.
        public var failureMessage: String { failures.map { "\($0.identity.subject): \($0.message)" }.joined(separator: "; ") }
    }

    /// Deletes (background propagation) each object that still exists, carries every `ownerLabels` label and has
    /// not opted out (label or annotation `kustomize.toolkit.fluxcd.io/prune: disabled`, `…/reconcile: disabled`,
    /// `…/ssa: Ignore`).
    /// Objects are deleted in reverse apply order (custom resources before their CRDs, namespaces last).
    public func deleteAll(_ identities: [ResourceIdentity], ownerLabels: [String: String]) async -> DeleteResult {
        var result = DeleteResult()
        let ordered = identities.sorted { lhs, rhs in
            let (l, r) = (ApplyOrder.rank(lhs.kind.kind), ApplyOrder.rank(rhs.kind.kind))
            return l != r ? l > r : lhs < rhs
        }
        for identity in ordered {
            do {
                guard let live = try await api.getIfPresent(identity.kind, identity.key) else { continue }
                let labels = live[path: "metadata", "labels"]
                let owned = ownerLabels.allSatisfy { labels?[$0.key]?.stringValue == $0.value }
                let optedOut = Self.metadata(live, FluxAnnotation.kustomizePrune, is: FluxAnnotationValue.disabled)
                    || Self.isExcluded(live)
                if !owned || optedOut || live[path: "metadata", "deletionTimestamp"] != nil {
                    result.changeSet.append(ChangeSet.Entry(identity, .skipped))
                    continue
                }
                try await api.delete(identity.kind, identity.key, options: DeleteOptions(propagationPolicy: .background))
                result.changeSet.append(ChangeSet.Entry(identity, .deleted))
            } catch where error.code == .notFound || error.code == .unknownKind {
                continue
            } catch {
                result.failures.append(DeleteResult.Failure(identity: identity, message: error.serverMessage))
            }
        }
        return result
    }

    /// Waits until every object in `identities` is gone (or `timeout` passes); returns those still present.
    public func waitForTermination(_ identities: [ResourceIdentity], timeout: Duration,
                                   pollInterval: Duration = .seconds(2)) async -> [ResourceIdentity] {
        let deadline = ContinuousClock.now + timeout
        var remaining = identities
        while true {
            var present: [ResourceIdentity] = []
            for identity in remaining {
                do {
                    if try await api.getIfPresent(identity.kind, identity.key) != nil { present.append(identity) }
                } catch where error.code == .unknownKind {
                    continue
                } catch {
                    present.append(identity)
                }
            }
            remaining = present
            if remaining.isEmpty || ContinuousClock.now >= deadline || Task.isCancelled { return remaining }
            try? await Task.sleep(for: min(pollInterval, max(.milliseconds(10), deadline - ContinuousClock.now)))
        }
    }
}
