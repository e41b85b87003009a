import GitOpsKit

extension Array where Element == ReconcileSnapshot {
    /// Records a reconciliation in `status.history`, but only when it says something new: the newest entry already
    /// having this digest, status and metadata (revision) leaves the history untouched, so a steady state writes
    /// nothing. (Flux's `History.Upsert` also bumps `lastReconciled` and `totalReconciliations` on every
    /// reconcile; here `totalReconciliations` counts how often an entry became the newest one.)
    mutating func recordChange(digest: String, at time: KubeTime, duration: FluxDuration, status: String,
                               metadata: [String: String]?) {
        if let newest = first, newest.digest == digest, newest.lastReconciledStatus == status, newest.metadata == metadata {
            return
        }
        record(digest: digest, at: time, duration: duration, status: status, metadata: metadata)
    }
}
