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
    /// not opted out (`kustomize.toolkit.fluxcd.io/prune: disabled`, `…/reconcile: disabled`, `…/ssa: Ignore`).
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
                let annotations = live[path: "metadata", "annotations"]
                let owned = ownerLabels.allSatisfy { labels?[$0.key]?.stringValue == $0.value }
                let optedOut = Self.annotation(annotations, FluxAnnotation.kustomizePrune, is: FluxAnnotationValue.disabled)
                    || Self.annotation(labels, FluxAnnotation.kustomizePrune, is: FluxAnnotationValue.disabled)
                    || Self.annotation(annotations, FluxAnnotation.kustomizeReconcile, is: FluxAnnotationValue.disabled)
                    || Self.annotation(annotations, FluxAnnotation.kustomizeSSA, is: FluxAnnotationValue.ssaIgnore)
                if !owned || optedOut || live[path: "metadata", "deletionTimestamp"] != nil {
                    result.changeSet.append(ChangeSet.Entry(identity, .skipped))
                    continue
                }
                try await api.delete(identity.kind, identity.key, options: DeleteOptions(propagationPolicy: .background))
                result.changeSet.append(ChangeSet.Entry(identity, .deleted))
            } catch where error.code == .notFound || error.code == .unknownKind {
                continue
            } catch {
                result.failures.append(DeleteResult.Failure(identity: identity, message: error.message))
            }
        }
        return result
    }
}
