import GitOpsKit

/// A reconcile step that failed: the `Ready=False` reason and message, and when to look again (nil: the
/// HelmRelease's retry schedule).
struct HelmReleaseFailure: Error, Sendable {
    var reason: ConditionReason
    var message: String
    var requeueAfter: Duration?
    /// Stall (`Stalled=True`) instead of retrying: only a spec change can help.
    var stalls = false

    init(_ reason: ConditionReason, _ message: String, requeueAfter: Duration? = nil, stalls: Bool = false) {
        self.reason = reason
        self.message = message
        self.requeueAfter = requeueAfter
        self.stalls = stalls
    }
}
