/// Which informer events should trigger a reconcile of the object's own key.
public struct EventFilter: Sendable {
    private let accepts: @Sendable (InformerEvent) -> Bool

    public init(_ accepts: @escaping @Sendable (InformerEvent) -> Bool) {
        self.accepts = accepts
    }

    public func callAsFunction(_ event: InformerEvent) -> Bool { accepts(event) }

    /// Every event.
    public static let all = EventFilter { _ in true }

    /// Flux's predicate for a controller's own kind: creations and deletions, a changed `metadata.generation`
    /// (spec change), a changed `reconcile.fluxcd.io/requestedAt` annotation, or deletion starting.
    public static let generationOrReconcileRequest = EventFilter { event in
        guard case .updated(let old, let new) = event else { return true }
        if old[path: "metadata", "generation"] != new[path: "metadata", "generation"] { return true }
        let requestedAt = "reconcile.fluxcd.io/requestedAt"
        if old[path: "metadata", "annotations", requestedAt] != new[path: "metadata", "annotations", requestedAt] {
            return true
        }
        return old[path: "metadata", "deletionTimestamp"] != new[path: "metadata", "deletionTimestamp"]
    }
}
