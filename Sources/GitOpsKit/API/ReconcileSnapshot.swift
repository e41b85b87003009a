/// One entry of a Kustomization's `status.history` (`meta.Snapshot`): a distinct build result and how its
/// reconciliations went. The newest entry is first; at most `ReconcileSnapshot.historyLimit` are kept.
public struct ReconcileSnapshot: Codable, Hashable, Sendable {
    /// How many entries `status.history` keeps (`meta.HistoryMaxSize`).
    public static let historyLimit = 5

    /// `sha256:<hex>` of the built manifests.
    public var digest: String
    public var firstReconciled: KubeTime
    public var lastReconciled: KubeTime
    public var lastReconciledDuration: FluxDuration
    /// The Ready reason of the last reconciliation (`ReconciliationSucceeded`, `HealthCheckFailed`, …).
    public var lastReconciledStatus: String
    public var totalReconciliations: Int64
    /// E.g. `revision` and `originRevision` of the source.
    public var metadata: [String: String]?

    public init(digest: String, firstReconciled: KubeTime, lastReconciled: KubeTime,
                lastReconciledDuration: FluxDuration, lastReconciledStatus: String, totalReconciliations: Int64,
                metadata: [String: String]? = nil) {
        self.digest = digest
        self.firstReconciled = firstReconciled
        self.lastReconciled = lastReconciled
        self.lastReconciledDuration = lastReconciledDuration
        self.lastReconciledStatus = lastReconciledStatus
        self.totalReconciliations = totalReconciliations
        self.metadata = metadata
    }
}

extension Array where Element == ReconcileSnapshot {
    /// Records a reconciliation as `meta.History.Upsert` does: an entry with the same digest and status is updated
    /// and moved to the front, otherwise a new one is prepended; the list is cut to `historyLimit`.
    public mutating func record(digest: String, at time: KubeTime, duration: FluxDuration, status: String,
                                metadata: [String: String]?) {
        defer { if count > ReconcileSnapshot.historyLimit { removeLast(count - ReconcileSnapshot.historyLimit) } }
        if let index = firstIndex(where: { $0.digest == digest && $0.lastReconciledStatus == status }) {
            var entry = remove(at: index)
            entry.lastReconciled = time
            entry.lastReconciledDuration = duration
            entry.totalReconciliations += 1
            entry.metadata = metadata
            insert(entry, at: 0)
            return
        }
        insert(ReconcileSnapshot(digest: digest, firstReconciled: time, lastReconciled: time,
                                 lastReconciledDuration: duration, lastReconciledStatus: status,
                                 totalReconciliations: 1, metadata: metadata), at: 0)
    }
}
