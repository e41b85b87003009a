import FoundationEssentials

/// Status conditions with the kstatus rules Flux follows (`fluxcd/pkg runtime/conditions`), on an untyped
/// `status` object (`{"conditions": [...], "observedGeneration": …}`).
///
/// - `Reconciling` and `Stalled` are "abnormal-true": present only while `True` (setting them to anything else
///   removes them);
/// - `Ready` is always present once set, with a reason and message;
/// - `lastTransitionTime` changes only when a condition's `status` changes (a new reason or message keeps it);
/// - each condition records the `observedGeneration` it was computed for; ``setObservedGeneration(_:in:)`` marks
///   the status as describing a generation.
public enum KStatus {
    /// A condition's `status` value.
    public enum Status: String, Sendable, Hashable {
        case `true` = "True", `false` = "False", unknown = "Unknown"
    }

    public static let ready = "Ready"
    public static let reconciling = "Reconciling"
    public static let stalled = "Stalled"
    public static let healthy = "Healthy"

    /// Types that exist only while True.
    public static let abnormalTrueTypes: Set<String> = [reconciling, stalled]

    /// The condition of `type` in `status`, or nil.
    public static func condition(_ type: String, in status: JSONValue?) -> JSONValue? {
        status?["conditions"]?.arrayValue?.first { $0["type"]?.stringValue == type }
    }

    /// The status of condition `type`, or nil when absent.
    public static func conditionStatus(_ type: String, in status: JSONValue?) -> Status? {
        condition(type, in: status)?["status"]?.stringValue.flatMap(Status.init(rawValue:))
    }

    public static func isTrue(_ type: String, in status: JSONValue?) -> Bool {
        conditionStatus(type, in: status) == .true
    }

    /// Sets condition `type`, honouring the kstatus rules above. `status` becomes an object if it was not one.
    public static func setCondition(_ type: String, _ value: Status, reason: String, message: String,
                                    observedGeneration: Int64?, in status: inout JSONValue, now: Date = Date())
    {
        if abnormalTrueTypes.contains(type), value != .true {
            removeCondition(type, from: &status)
            return
        }
        if status.objectValue == nil { status = .object([:]) }
        var conditions = status["conditions"]?.arrayValue ?? []
        let index = conditions.firstIndex { $0["type"]?.stringValue == type }
        var condition: JSONValue = [
            "type": .string(type),
            "status": .string(value.rawValue),
            "reason": .string(reason.isEmpty ? value.rawValue : reason),
            "message": .string(message),
        ]
        if let observedGeneration { condition["observedGeneration"] = .int(observedGeneration) }
        if let index, conditions[index]["status"]?.stringValue == value.rawValue,
           let previous = conditions[index]["lastTransitionTime"]
        {
            condition["lastTransitionTime"] = previous
        } else {
            condition["lastTransitionTime"] = .string(RFC3339.seconds(now))
        }
        if let index {
            conditions[index] = condition
        } else if type == ready {
            conditions.insert(condition, at: 0)
        } else {
            conditions.append(condition)
        }
        status["conditions"] = .array(conditions)
    }

    /// Removes condition `type`; an emptied `conditions` array is kept empty (not deleted).
    public static func removeCondition(_ type: String, from status: inout JSONValue) {
        guard var conditions = status["conditions"]?.arrayValue else { return }
        conditions.removeAll { $0["type"]?.stringValue == type }
        status["conditions"] = .array(conditions)
    }

    /// Sets `observedGeneration`: the status now describes this generation of the spec.
    public static func setObservedGeneration(_ generation: Int64, in status: inout JSONValue) {
        if status.objectValue == nil { status = .object([:]) }
        status["observedGeneration"] = .int(generation)
    }

    /// Copies the object's `reconcile.fluxcd.io/requestedAt` annotation into `status.lastHandledReconcileAt`
    /// (how `flux reconcile` learns its request was handled). Returns whether there was a request to record.
    @discardableResult
    public static func recordHandledReconcileRequest(of object: JSONValue, in status: inout JSONValue) -> Bool {
        guard let token = object[path: "metadata", "annotations", "reconcile.fluxcd.io/requestedAt"]?.stringValue,
              !token.isEmpty else { return false }
        if status.objectValue == nil { status = .object([:]) }
        status["lastHandledReconcileAt"] = .string(token)
        return true
    }

    // MARK: Flux's reconcile lifecycle

    /// Work started: `Reconciling=True` and `Ready=Unknown`, both with `reason` (default `Progressing`).
    public static func markReconciling(reason: String = "Progressing", message: String, generation: Int64?,
                                       in status: inout JSONValue, now: Date = Date())
    {
        setCondition(reconciling, .true, reason: reason, message: message, observedGeneration: generation, in: &status, now: now)
        setCondition(ready, .unknown, reason: reason, message: message, observedGeneration: generation, in: &status, now: now)
    }

    /// Success: `Ready=True`, `Reconciling` and `Stalled` removed.
    public static func markReady(reason: String = "Succeeded", message: String, generation: Int64?,
                                 in status: inout JSONValue, now: Date = Date())
    {
        removeCondition(reconciling, from: &status)
        removeCondition(stalled, from: &status)
        setCondition(ready, .true, reason: reason, message: message, observedGeneration: generation, in: &status, now: now)
    }

    /// A failure that will be retried: `Ready=False`; `Reconciling=True` with `ProgressingWithRetry`; not stalled.
    public static func markFailed(reason: String, message: String, generation: Int64?, in status: inout JSONValue,
                                  now: Date = Date())
    {
        removeCondition(stalled, from: &status)
        setCondition(reconciling, .true, reason: "ProgressingWithRetry", message: message,
                     observedGeneration: generation, in: &status, now: now)
        setCondition(ready, .false, reason: reason, message: message, observedGeneration: generation, in: &status, now: now)
    }

    /// A failure retrying cannot fix (bad spec): `Stalled=True` and `Ready=False` with `reason`; not reconciling.
    public static func markStalled(reason: String, message: String, generation: Int64?, in status: inout JSONValue,
                                   now: Date = Date())
    {
        removeCondition(reconciling, from: &status)
        setCondition(stalled, .true, reason: reason, message: message, observedGeneration: generation, in: &status, now: now)
        setCondition(ready, .false, reason: reason, message: message, observedGeneration: generation, in: &status, now: now)
    }
}
