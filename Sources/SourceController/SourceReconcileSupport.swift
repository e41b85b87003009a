import GitOpsKit
import Logging

/// The status, finalizer and storage steps every source reconciler shares.
struct SourceReconcileSupport: Sendable {
    /// `finalizers.fluxcd.io`: the same for every source kind.
    static let finalizer = GitRepository.finalizer

    let context: SourceControllerContext

    /// How a source reconcile starts: read and decode the object; on deletion run `finalize` and stop; add the
    /// finalizer; stop while suspended; stall on a spec problem; mark a new generation `Reconciling`. Returns the
    /// object for the kind's own work, or the result to end with.
    func begin<Source: FluxSource>(
        _ key: ObjectKey, as type: Source.Type,
        finalize: (Source, JSONValue) async throws -> Void,
        specProblem: (Source, JSONValue) -> (reason: ConditionReason, message: String)?
    ) async throws -> SourceReconcileStart<Source> {
        guard var object = try await context.api.getIfPresent(Source.kind, key) else { return .end(.done) }
        var source: Source
        do {
            source = try Source(from: object)
        } catch {
            // The CRD schema makes this unreachable through a real API server; a status write could not decode either.
            context.logger.error("cannot decode \(Source.kind.kind)", metadata: ["object": "\(key)", "error": "\(error)"])
            return .end(.done)
        }
        if source.metadata.isBeingDeleted {
            try await finalize(source, object)
            return .end(.done)
        }
        if !source.metadata.hasFinalizer(Self.finalizer) {
            object = try await addFinalizer(to: object)
            source = try Source(from: object)
        }
        if source.isSuspended {
            Logger.current.info("Reconciliation is suspended for this object")
            return .end(.done)
        }
        if let problem = specProblem(source, object) {
            return .end(try await stall(source, object: object, reason: problem.reason, message: problem.message))
        }
        // A spec change is announced before the (possibly long) fetch, as Flux does.
        if source.observedGeneration != source.generation {
            source.markReconciling(
                message: "processing object: new generation \(source.observedGeneration) -> \(source.generation)")
            object = try await context.statusWriter.write(source, original: object)
        }
        return .proceed(source, object: object)
    }

    /// Records `failure`: its negative condition, `Ready=False` (retrying), a Warning event. The artifact stays.
    func fail<Object: FluxSource>(_ source: Object, object: JSONValue, failure: SourceFailure) async throws {
        var source = source
        var conditions = source.conditions
        for type in [ConditionType.fetchFailed, .buildFailed, .storageOperationFailed] where type != failure.conditionType {
            conditions.remove(type)
        }
        conditions.set(failure.conditionType, .true, reason: failure.reason, message: failure.message,
                       observedGeneration: source.generation)
        if source.artifact == nil { conditions.remove(.artifactInStorage) }
        source.conditions = conditions
        source.markFailed(reason: failure.reason, message: failure.message)
        do {
            try await context.statusWriter.write(source, original: object)
        } catch {
            Logger.current.error("failed to write status", metadata: ["error": "\(error)"])
        }
        await context.events.record(object, type: .warning, reason: failure.reason.rawValue, message: failure.message)
    }

    /// A problem only a spec change can fix: `Stalled=True`, `Ready=False`; an event the first time.
    func stall<Object: FluxSource>(_ source: Object, object: JSONValue, reason: ConditionReason, message: String)
        async throws -> ReconcileResult
    {
        var source = source
        let wasStalled = source.conditions[.stalled]?.message == message
        source.markStalled(reason: reason, message: message)
        try await context.statusWriter.write(source, original: object)
        if !wasStalled {
            await context.events.record(object, type: .warning, reason: reason.rawValue, message: message)
        }
        return .done
    }

    /// Deletion: the object's artifacts go, then the finalizer.
    func finalize(_ object: JSONValue, artifactObject: ArtifactObject) async throws {
        let finalizers = object[path: "metadata", "finalizers"]?.arrayValue ?? []
        guard finalizers.contains(.string(Self.finalizer)) else { return }
        try await context.storage.remove(artifactObject)
        var updated = object
        updated[path: "metadata", "finalizers"] = .array(finalizers.filter { $0 != .string(Self.finalizer) })
        let released: Bool
        do {
            _ = try await context.api.update(updated, options: WriteOptions(fieldManager: context.controllerName))
            released = true
        } catch {
            guard error.code == .notFound else { throw error }
            released = false
        }
        if released { Logger.current.info("artifacts removed; finalizer released") }
    }

    func addFinalizer(to object: JSONValue) async throws -> JSONValue {
        var updated = object
        var finalizers = object[path: "metadata", "finalizers"]?.arrayValue ?? []
        finalizers.append(.string(Self.finalizer))
        updated[path: "metadata", "finalizers"] = .array(finalizers)
        return try await context.api.update(updated, options: WriteOptions(fieldManager: context.controllerName))
    }

    /// Storage GC after a successful reconcile; a failure is only logged.
    static func collectGarbage(context: SourceControllerContext, _ artifactObject: ArtifactObject, current: String) {
        do {
            let removed = try context.garbageCollect(artifactObject, current: current)
            if !removed.isEmpty { Logger.current.debug("garbage collected artifacts", metadata: ["paths": "\(removed)"]) }
        } catch {
            Logger.current.error("artifact garbage collection failed", metadata: ["error": "\(error)"])
        }
    }
}

/// What ``SourceReconcileSupport/begin(_:as:finalize:specProblem:)`` decided.
enum SourceReconcileStart<Source: FluxSource> {
    /// Go on with the kind's own work on this object (its JSON as the API server last returned it).
    case proceed(Source, object: JSONValue)
    /// The reconcile ends here with this result.
    case end(ReconcileResult)
}
