/// One status condition (`metav1.Condition`), in the kstatus shape Flux uses.
///
/// `Ready` is always present once reconciled; `Reconciling` and `Stalled` are "abnormal-true" conditions that are
/// present only while True. `lastTransitionTime` changes only when `status` changes.
public struct Condition: Codable, Hashable, Sendable {
    public var type: ConditionType
    public var status: ConditionStatus
    /// The `metadata.generation` the condition was computed for.
    public var observedGeneration: Int64?
    public var lastTransitionTime: KubeTime
    /// A CamelCase word saying why (`ReconciliationSucceeded`, `ArtifactFailed`).
    public var reason: ConditionReason
    /// Human-readable detail; may be empty.
    public var message: String

    public init(type: ConditionType, status: ConditionStatus, reason: ConditionReason, message: String,
                observedGeneration: Int64? = nil, lastTransitionTime: KubeTime = .now().truncatedToSeconds) {
        self.type = type
        self.status = status
        self.observedGeneration = observedGeneration
        self.lastTransitionTime = lastTransitionTime
        self.reason = reason
        self.message = message
    }

    public var isTrue: Bool { status == .true }
    public var isFalse: Bool { status == .false }
}

/// `True`, `False` or `Unknown`.
public struct ConditionStatus: FluxEnum {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let `true`: Self = "True"
    public static let `false`: Self = "False"
    public static let unknown: Self = "Unknown"
    public static var allowedValues: [Self] { [.true, .false, .unknown] }
}

extension Array where Element == Condition {
    /// The condition of `type`, if present.
    public subscript(type: ConditionType) -> Condition? { first { $0.type == type } }

    /// Whether the condition of `type` is present with status True.
    public func isTrue(_ type: ConditionType) -> Bool { self[type]?.status == .true }

    /// Whether the condition of `type` is present with status False.
    public func isFalse(_ type: ConditionType) -> Bool { self[type]?.status == .false }
}
