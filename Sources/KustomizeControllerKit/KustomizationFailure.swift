import GitOpsKit

/// Why a Kustomization reconcile stopped: the `Ready=False` reason and message it reports, and when to try again
/// (nil: at `spec.retryInterval`).
struct KustomizationFailure: Error, CustomStringConvertible {
    var reason: ConditionReason
    var message: String
    var requeueAfter: Duration?
    /// A wait rather than a failure (the source or its first artifact is not there yet): Flux logs it and sends no
    /// event, so alerts and commit statuses do not fire while a new source is still fetching.
    var isWaiting: Bool

    init(_ reason: ConditionReason, _ message: String, requeueAfter: Duration? = nil, isWaiting: Bool = false) {
        self.reason = reason
        self.message = message
        self.requeueAfter = requeueAfter
        self.isWaiting = isWaiting
    }

    var description: String { "\(reason.rawValue): \(message)" }
}

extension ConditionReason {
    /// A spec field this controller does not implement yet: the object is stalled naming it.
    static let unsupportedField: Self = "UnsupportedField"
    /// A spec value the CRD rules reject (reachable only when the API server does not enforce the schema).
    static let invalidSpec: Self = "InvalidSpec"
}
