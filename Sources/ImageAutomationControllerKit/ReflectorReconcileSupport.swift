import GitOpsKit
import Logging

/// The steps the ImageRepository and ImagePolicy reconcilers share: read and decode, the `finalizers.fluxcd.io`
/// finalizer, suspend, stalling on a spec problem, announcing a new generation, and recording failures.
struct ReflectorReconcileSupport: Sendable {
    static let finalizer = ImageRepository.finalizer

    let context: ImageReflectorContext

    /// Reads `key` and runs the common prologue. Returns the object (and its JSON as last written) for the kind's
    /// own work, or nil when the reconcile ends here (gone, deleted, suspended, stalled).
    func begin<Object: ReconcilableObject>(
        _ key: ObjectKey, as type: Object.Type,
        finalize: (Object) async throws -> Void,
        specProblem: (Object, JSONValue) -> (reason: ConditionReason, message: String)?
    ) async throws -> (Object, JSONValue)? {
        guard var object = try await context.api.getIfPresent(Object.kind, key) else { return nil }
        var typed: Object
        do {
            typed = try Object(from: object)
        } catch {
            // The CRD schema makes this unreachable through a real API server.
            context.logger.error("cannot decode \(Object.kind.kind)", metadata: ["object": "\(key)", "error": "\(error)"])
            return nil
        }
        if typed.metadata.isBeingDeleted {
            guard typed.metadata.hasFinalizer(Self.finalizer) else { return nil }
            try await finalize(typed)
            try await removeFinalizer(from: object)
            return nil
        }
        if !typed.metadata.hasFinalizer(Self.finalizer) {
            var updated = object
            updated[path: "metadata", "finalizers"] = .array((object[path: "metadata", "finalizers"]?.arrayValue ?? []) + [.string(Self.finalizer)])
            object = try await context.api.update(updated, options: WriteOptions(fieldManager: context.controllerName))
            typed = try Object(from: object)
        }
        if typed.isSuspended {
            Logger.current.info("Reconciliation is suspended for this object")
            return nil
        }
        if let problem = specProblem(typed, object) {
            try await stall(typed, object: object, reason: problem.reason, message: problem.message)
            return nil
        }
        if typed.observedGeneration != typed.generation {
            typed.markReconciling(message: "processing object: new generation \(typed.observedGeneration) -> \(typed.generation)")
            object = try await context.statusWriter.write(typed, original: object)
        }
        return (typed, object)
    }

    /// A problem only a spec change can fix: `Stalled=True`, `Ready=False`; a Warning event the first time.
    func stall<Object: ReconcilableObject>(_ typed: Object, object: JSONValue, reason: ConditionReason, message: String)
        async throws
    {
        var typed = typed
        let wasStalled = typed.conditions[.stalled]?.message == message
        typed.markStalled(reason: reason, message: message)
        try await context.statusWriter.write(typed, original: object)
        if !wasStalled {
            await context.events.record(object, type: .warning, reason: reason.rawValue, message: message)
        }
    }

    /// A failure that is retried: `Ready=False` with `failure.reason`, `Reconciling=True` (`ProgressingWithRetry`),
    /// a Warning event.
    func fail<Object: ReconcilableObject>(_ typed: Object, object: JSONValue, failure: ReflectorFailure) async {
        var typed = typed
        typed.markFailed(reason: failure.reason, message: failure.message)
        do {
            try await context.statusWriter.write(typed, original: object)
        } catch {
            Logger.current.error("failed to write status", metadata: ["error": "\(error)"])
        }
        await context.events.record(object, type: .warning, reason: failure.reason.rawValue, message: failure.message)
    }

    /// Writes a successful status and emits Flux's event for it: Normal when the object became Ready or its Ready
    /// message changed; otherwise only a debug log (Flux's trace event).
    func succeed<Object: ReconcilableObject>(_ typed: Object, previous: Object, object: JSONValue, message: String,
                                             quietMessage: String, metadata: [String: String] = [:]) async throws {
        var typed = typed
        typed.markReady(reason: .succeeded, message: message)
        try await context.statusWriter.write(typed, original: object)
        let before = previous.conditions[.ready]
        if before?.status != .true || before?.message != message {
            await context.events.record(object, type: .normal, reason: ConditionReason.succeeded.rawValue, message: message,
                                        metadata: metadata)
        } else {
            Logger.current.debug("\(quietMessage)")
        }
    }

    private func removeFinalizer(from object: JSONValue) async throws {
        var updated = object
        let finalizers = object[path: "metadata", "finalizers"]?.arrayValue ?? []
        updated[path: "metadata", "finalizers"] = .array(finalizers.filter { $0 != .string(Self.finalizer) })
        do {
            _ = try await context.api.update(updated, options: WriteOptions(fieldManager: context.controllerName))
        } catch {
            guard error.code == .notFound else { throw error }
        }
    }
}
