/// The kstatus rules of ``KStatus`` on typed conditions (`[Condition]` of the API types).
extension Array where Element == Condition {
    /// Sets condition `type`: `Reconciling`/`Stalled` are removed unless True; `lastTransitionTime` is kept while
    /// the status stays the same; a new `Ready` goes first.
    public mutating func set(_ type: ConditionType, _ status: ConditionStatus, reason: ConditionReason, message: String,
                             observedGeneration: Int64?, now: KubeTime = .now())
    {
        if KStatus.abnormalTrueTypes.contains(type.rawValue), status != .true {
            remove(type)
            return
        }
        let index = firstIndex { $0.type == type }
        var condition = Condition(type: type, status: status, reason: reason.rawValue.isEmpty ? ConditionReason(rawValue: status.rawValue) : reason,
                                  message: message, observedGeneration: observedGeneration,
                                  lastTransitionTime: now.truncatedToSeconds)
        if let index, self[index].status == status {
            condition.lastTransitionTime = self[index].lastTransitionTime
        }
        if let index {
            self[index] = condition
        } else if type == .ready {
            insert(condition, at: 0)
        } else {
            append(condition)
        }
    }

    /// Removes condition `type`.
    public mutating func remove(_ type: ConditionType) {
        removeAll { $0.type == type }
    }
}

extension ReconcilableObject {
    /// Work started on the current generation: `Reconciling=True`, `Ready=Unknown` (reason `Progressing`); a
    /// `Stalled` of an earlier attempt goes (kstatus never has both True).
    public mutating func markReconciling(reason: ConditionReason = .progressing, message: String, now: KubeTime = .now()) {
        var conditions = self.conditions
        conditions.remove(.stalled)
        conditions.set(.reconciling, .true, reason: reason, message: message, observedGeneration: generation, now: now)
        conditions.set(.ready, .unknown, reason: reason, message: message, observedGeneration: generation, now: now)
        self.conditions = conditions
    }

    /// Success: `Ready=True`, `Reconciling`/`Stalled` removed, `observedGeneration` = `generation`, a pending
    /// `requestedAt` token recorded as handled.
    public mutating func markReady(reason: ConditionReason = .succeeded, message: String, now: KubeTime = .now()) {
        var conditions = self.conditions
        conditions.remove(.reconciling)
        conditions.remove(.stalled)
        conditions.set(.ready, .true, reason: reason, message: message, observedGeneration: generation, now: now)
        self.conditions = conditions
        finishReconcile()
    }

    /// A failure that will be retried: `Ready=False` with `reason`, `Reconciling=True` (`ProgressingWithRetry`).
    public mutating func markFailed(reason: ConditionReason, message: String, now: KubeTime = .now()) {
        var conditions = self.conditions
        conditions.remove(.stalled)
        conditions.set(.reconciling, .true, reason: .progressingWithRetry, message: message, observedGeneration: generation,
                       now: now)
        conditions.set(.ready, .false, reason: reason, message: message, observedGeneration: generation, now: now)
        self.conditions = conditions
        finishReconcile()
    }

    /// A failure only a spec change can fix: `Stalled=True` and `Ready=False` with `reason`; not reconciling.
    public mutating func markStalled(reason: ConditionReason, message: String, now: KubeTime = .now()) {
        var conditions = self.conditions
        conditions.remove(.reconciling)
        conditions.set(.stalled, .true, reason: reason, message: message, observedGeneration: generation, now: now)
        conditions.set(.ready, .false, reason: reason, message: message, observedGeneration: generation, now: now)
        self.conditions = conditions
        finishReconcile()
    }

    /// Records that this generation (and any pending reconcile request) was handled.
    public mutating func finishReconcile() {
        observedGeneration = generation
        if let token = reconcileRequest { lastHandledReconcileAt = token }
    }
}

extension StatusWriter {
    /// Writes `updated`'s status if it differs from `original`'s (the object as last read from the API).
    @discardableResult
    public func write<Object: ReconcilableObject>(_ updated: Object, original: JSONValue) async throws(KubeError) -> JSONValue {
        try await write(updated.toJSON()["status"] ?? .object([:]), for: original)
    }
}
