import GitOpsKit
import Logging

/// Reconciles a `Receiver` as notification-controller does (flux-api.md §1.11, §2.6): reads the token of
/// `spec.secretRef` and publishes the webhook path derived from it in `status.webhookPath`, which is how
/// ``ReceiverServer`` finds the Receiver of a request. A missing Secret or token leaves it not Ready (no path, so
/// the server answers 404) and is retried with backoff.
public struct ReceiverReconciler: Reconciler {
    let api: any KubernetesAPI
    let events: EventRecorder?
    let statusWriter: StatusWriter
    /// `gotk-<controllerName>`: the manager of status and finalizer writes.
    let fieldManager: String
    let logger: Logger

    /// - Parameters:
    ///   - events: where Flux events go; nil records none (tests).
    ///   - controllerName: the status field manager is `gotk-<controllerName>`, as for the other controllers.
    public init(api: any KubernetesAPI, events: EventRecorder?, controllerName: String = "notification-controller",
                logger: Logger)
    {
        self.api = api
        self.events = events
        self.fieldManager = "gotk-\(controllerName)"
        self.statusWriter = StatusWriter(api: api, fieldManager: fieldManager)
        self.logger = logger
    }

    /// Thrown after the status says why, so the controller retries with backoff (Flux requeues with the error too:
    /// the Secret is not watched).
    struct TokenNotReady: Error, CustomStringConvertible {
        let description: String
    }

    static let unsupportedField = ConditionReason(rawValue: "UnsupportedField")

    public func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
        guard var object = try await api.getIfPresent(Receiver.kind, key) else { return .done }
        var receiver: Receiver
        do {
            receiver = try Receiver(from: object)
        } catch {
            logger.error("cannot decode Receiver", metadata: ["object": "\(key)", "error": "\(error)"])
            return .done
        }
        if receiver.metadata.isBeingDeleted {
            try await removeFinalizer(from: object, receiver)
            return .done
        }
        if !receiver.metadata.hasFinalizer(Receiver.finalizer) {
            object = try await addFinalizer(to: object)
            receiver = try Receiver(from: object)
        }
        if receiver.isSuspended {
            logger.info("Reconciliation is suspended for this object", metadata: ["object": "\(key)"])
            return .done
        }
        if let (reason, message) = Self.specProblem(receiver, object: object) {
            try await stall(receiver, object: object, reason: reason, message: message)
            return .done
        }
        let token: ReceiverToken
        do {
            token = try await ReceiverToken.read(for: receiver, api: api)
        } catch {
            try await fail(receiver, object: object, message: error.message)
            throw TokenNotReady(description: error.message)
        }
        let path = token.webhookPath(for: receiver)
        let message = "Receiver initialized for path: \(path)"
        let changed = receiver.status?.webhookPath != path || !receiver.conditions.isTrue(.ready)
        receiver.updateStatus { $0.webhookPath = path }
        receiver.markReady(reason: .succeeded, message: message)
        try await statusWriter.write(receiver, original: object)
        let interval = (try? receiver.interval.duration) ?? .seconds(600)
        if changed {
            logger.info("\(message)", metadata: ["object": "\(key)"])
            await events?.record(object, type: .normal, reason: ConditionReason.succeeded.rawValue, message: message)
        }
        return .requeue(after: interval)
    }

    /// Invalid values, and what this controller cannot verify (types, CEL filters): refused rather than served
    /// unverified.
    static func specProblem(_ receiver: Receiver, object: JSONValue) -> (ConditionReason, String)? {
        var unsupported = Receiver.unsupportedSpecFields(in: object)
        if !ReceiverRequestValidator.supportedTypes.contains(receiver.spec.type) {
            unsupported.append("spec.type \(receiver.spec.type.rawValue)")
        }
        if receiver.spec.resourceFilter?.isEmpty == false { unsupported.append("spec.resourceFilter") }
        for (index, resource) in receiver.spec.resources.enumerated() where resource.filter?.isEmpty == false {
            unsupported.append("spec.resources[\(index)].filter")
        }
        if !unsupported.isEmpty {
            return (unsupportedField,
                    "unsupported field(s): \(unsupported.joined(separator: ", ")): not implemented by this notification-controller")
        }
        let errors = receiver.validate().map(\.description)
        if !errors.isEmpty { return (.validationFailed, errors.joined(separator: "; ")) }
        return nil
    }

    // MARK: Status outcomes

    /// Token missing: `Ready=False` (`TokenNotFound`) and no webhook path, so no request matches it.
    private func fail(_ receiver: Receiver, object: JSONValue, message: String) async throws {
        var receiver = receiver
        let repeated = receiver.conditions[.ready]?.message == message
        receiver.updateStatus { $0.webhookPath = nil }
        receiver.markFailed(reason: .tokenNotFound, message: message)
        try await statusWriter.write(receiver, original: object)
        if !repeated {
            await events?.record(object, type: .warning, reason: ConditionReason.tokenNotFound.rawValue, message: message)
        }
    }

    private func stall(_ receiver: Receiver, object: JSONValue, reason: ConditionReason, message: String) async throws {
        var receiver = receiver
        let repeated = receiver.conditions[.stalled]?.message == message
        receiver.updateStatus { $0.webhookPath = nil }
        receiver.markStalled(reason: reason, message: message)
        try await statusWriter.write(receiver, original: object)
        if !repeated {
            await events?.record(object, type: .warning, reason: reason.rawValue, message: message)
        }
    }

    // MARK: Finalizer

    private func addFinalizer(to object: JSONValue) async throws -> JSONValue {
        var updated = object
        var finalizers = object[path: "metadata", "finalizers"]?.arrayValue ?? []
        finalizers.append(.string(Receiver.finalizer))
        updated[path: "metadata", "finalizers"] = .array(finalizers)
        return try await api.update(updated, options: WriteOptions(fieldManager: fieldManager))
    }

    /// Nothing to clean up: the finalizer only orders deletion as Flux does.
    private func removeFinalizer(from object: JSONValue, _ receiver: Receiver) async throws {
        guard receiver.metadata.hasFinalizer(Receiver.finalizer) else { return }
        var updated = object
        let finalizers = (object[path: "metadata", "finalizers"]?.arrayValue ?? [])
            .filter { $0.stringValue != Receiver.finalizer }
        updated[path: "metadata", "finalizers"] = .array(finalizers)
        _ = try await api.update(updated, options: WriteOptions(fieldManager: fieldManager))
    }
}
