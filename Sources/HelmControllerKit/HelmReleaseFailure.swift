import GitOpsKit

/// A reconcile step that failed: the `Ready=False` reason and message, and when to look again (nil: the
/// HelmRelease's retry schedule).
struct HelmReleaseFailure: Error, Sendable {
    var reason: ConditionReason
    var message: String
    var requeueAfter: Duration?
    /// Stall (`Stalled=True`) instead of retrying: only a spec change can help.
    var stalls = false
    /// A wait rather than a failure (the HelmChart has no artifact yet): logged, no event — as Flux, so alerts do
    /// not fire while a new chart is still being fetched.
    var isWaiting = false

    init(_ reason: ConditionReason, _ message: String, requeueAfter: Duration? = nil, stalls: Bool = false,
         isWaiting: Bool = false) {
        self.reason = reason
        self.message = message
        self.requeueAfter = requeueAfter
        self.stalls = stalls
        self.isWaiting = isWaiting
    }
}
