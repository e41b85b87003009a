/// What a reconcile asks the controller to do next.
public enum ReconcileResult: Sendable, Hashable {
    /// Converged; nothing to do until the object (or something it watches) changes.
    case done
    /// Reconcile again after this interval (spread by the controller's jitter), e.g. `spec.interval`.
    case requeue(after: Duration)
}

/// Level-triggered reconciliation of one kind: make the world match the object named by `key`.
///
/// Reconcilers read the current state (informer cache or API), act, write status, and return. They never keep
/// authoritative state between calls; a thrown error makes the controller retry the key with exponential backoff.
public protocol Reconciler: Sendable {
    func reconcile(_ key: ObjectKey) async throws -> ReconcileResult
}

/// A reconciler made from a closure (tests, small controllers).
public struct ClosureReconciler: Reconciler {
    private let body: @Sendable (ObjectKey) async throws -> ReconcileResult

    public init(_ body: @escaping @Sendable (ObjectKey) async throws -> ReconcileResult) {
        self.body = body
    }

    public func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
        try await body(key)
    }
}
