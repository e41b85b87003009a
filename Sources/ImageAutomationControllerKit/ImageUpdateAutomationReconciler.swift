import FoundationEssentials
import GitOpsKit
import Logging
import NIOPosix

/// What the ImageUpdateAutomation reconciler shares with its setup: the API, events, where to clone.
public struct ImageUpdateContext: Sendable {
    /// The name events and field managers report (`image-automation-controller`).
    public var controllerName: String
    public var api: any KubernetesAPI
    public var events: EventRecorder
    public var statusWriter: StatusWriter
    /// Scratch directory for clones (one subdirectory per run, removed afterwards).
    public var workDirectory: String
    public var logger: Logger

    public init(controllerName: String = "image-automation-controller", api: any KubernetesAPI, events: EventRecorder,
                workDirectory: String, logger: Logger)
    {
        self.controllerName = controllerName
        self.api = api
        self.events = events
        self.statusWriter = StatusWriter(api: api, fieldManager: controllerName)
        self.workDirectory = workDirectory
        self.logger = logger
    }
}

/// Reconciles an `ImageUpdateAutomation`: clones the GitRepository it names, rewrites the `$imagepolicy` setter
/// markers under `spec.update.path` with the `latestRef` of the namespace's Ready ImagePolicies (those
/// `spec.policySelector` selects), commits with the configured author and message template, and pushes to the
/// push branch (and `spec.git.push.refspec`).
///
/// - nothing changed: no commit, `Ready=True` "repository up-to-date";
/// - the push is rejected as not a fast-forward (someone pushed meanwhile): fetch, redo the edit on the new head,
///   push once more; a second rejection is `Ready=False` `GitOperationFailed`, retried with backoff;
/// - a missing GitRepository or Secret is `Ready=False` `SourceManagerFailed` (retried);
/// - spec problems only a change can fix (`signingKey`, `push.options`, a bad policy selector, a removed template
///   field, no push branch) stall the object with Flux's reason or `UnsupportedField`.
public struct ImageUpdateAutomationReconciler: Reconciler {
    /// Flux's `Ready` message on success.
    static let readyMessage = "repository up-to-date"

    let context: ImageUpdateContext

    public init(context: ImageUpdateContext) { self.context = context }

    public func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
        guard var object = try await context.api.getIfPresent(ImageUpdateAutomation.kind, key) else { return .done }
        var automation: ImageUpdateAutomation
        do {
            automation = try ImageUpdateAutomation(from: object)
        } catch {
            context.logger.error("cannot decode ImageUpdateAutomation", metadata: ["object": "\(key)", "error": "\(error)"])
            return .done
        }
        if automation.metadata.isBeingDeleted {
            try await releaseFinalizer(object)
            return .done
        }
        if !automation.metadata.hasFinalizer(ImageUpdateAutomation.finalizer) {
            object = try await addFinalizer(to: object)
            automation = try ImageUpdateAutomation(from: object)
        }
        if automation.isSuspended {
            Logger.current.info("Reconciliation is suspended for this object")
            return .done
        }
        let started = KubeTime.now().truncatedToSeconds
        let wasReady = automation.conditions.isTrue(.ready)
        if let problem = Self.specProblem(automation, object: object) {
            return try await stall(automation, object: object, started: started, failure: problem)
        }
        if automation.observedGeneration != automation.generation {
            automation.markReconciling(
                message: "processing object: new generation \(automation.observedGeneration) -> \(automation.generation)")
            object = try await context.statusWriter.write(automation, original: object)
        }
        let interval = (try? automation.interval.duration) ?? .seconds(60)
        do {
            let outcome = try await run(automation)
            automation.updateStatus {
                $0.lastAutomationRunTime = started
                $0.observedPolicies = outcome.observedPolicies
                $0.observedSourceRevision = outcome.observedSourceRevision
                if let push = outcome.push {
                    $0.lastPushCommit = push.commit.hash
                    $0.lastPushTime = push.time
                }
            }
            automation.markReady(message: Self.readyMessage)
            try await context.statusWriter.write(automation, original: object)
            if let push = outcome.push {
                await context.events.record(object, type: .normal, reason: ConditionReason.succeeded.rawValue,
                                            message: push.summary, metadata: ["revision": push.commit.revision])
            } else if !wasReady {
                await context.events.record(object, type: .normal, reason: ConditionReason.succeeded.rawValue,
                                            message: Self.readyMessage)
            } else {
                await context.events.record(object, type: .trace, reason: ConditionReason.succeeded.rawValue,
                                            message: "no change since last reconciliation")
            }
            return .requeue(after: interval)
        } catch let failure as ImageUpdateFailure {
            if failure.stalled {
                return try await stall(automation, object: object, started: started, failure: failure)
            }
            automation.updateStatus { $0.lastAutomationRunTime = started }
            automation.markFailed(reason: failure.reason, message: failure.message)
            do {
                try await context.statusWriter.write(automation, original: object)
            } catch {
                Logger.current.error("failed to write status", metadata: ["error": "\(error)"])
            }
            await context.events.record(object, type: .warning, reason: failure.reason.rawValue, message: failure.message)
            throw failure
        }
    }

    // MARK: The automation run

    /// What a successful run observed and pushed.
    struct Outcome {
        var observedPolicies: [String: ImageRef]
        var observedSourceRevision: String
        var push: PushRecord?
    }

    /// A pushed commit.
    struct PushRecord {
        var commit: GitCommit
        var time: KubeTime
        var summary: String
    }

    private func run(_ automation: ImageUpdateAutomation) async throws(ImageUpdateFailure) -> Outcome {
        let policies = try await readyPolicies(for: automation)
        var observed: [String: ImageRef] = [:]
        var setters = SetterValues()
        for policy in policies {
            guard let ref = policy.status?.latestRef else { continue }
            observed[policy.name] = ref
            setters.add(policy: policy)
        }
        let source = try await ImageUpdateSource.resolve(automation, api: context.api)
        let directory = try await makeWorkDirectory(for: automation)
        let session = ImageUpdateSession(automation: automation, source: source, setters: setters,
                                         directory: directory + "/repository", logger: Logger.current)
        let outcome: Result<ImageUpdateSession.Result, ImageUpdateFailure>
        do {
            outcome = .success(try await session.run())
        } catch {
            outcome = .failure(error)
        }
        // Deleting a large clone blocks on the disk: off the cooperative pool.
        _ = try? await NIOThreadPool.singleton.runIfActive { try FileManager.default.removeItem(atPath: directory) }
        let result = try outcome.get()
        return Outcome(observedPolicies: observed, observedSourceRevision: result.observedRevision, push: result.push)
    }

    /// The namespace's ImagePolicies that `spec.policySelector` selects, are Ready and have a `latestRef`.
    private func readyPolicies(for automation: ImageUpdateAutomation) async throws(ImageUpdateFailure) -> [ImagePolicy] {
        let items: [JSONValue]
        do {
            items = try await context.api.listAll(ImagePolicy.kind, namespace: automation.namespace ?? "default").items
        } catch {
            throw .retry(.reconciliationFailed, "failed to list policies: \(error)")
        }
        let selector = automation.spec.policySelector
        return items.compactMap { item -> ImagePolicy? in
            guard let policy = try? ImagePolicy(from: item), policy.status?.latestRef != nil,
                policy.conditions.isTrue(.ready)
            else { return nil }
            if let selector, !selector.matches(policy.metadata.labels ?? [:]) { return nil }
            return policy
        }.sorted { $0.name < $1.name }
    }

    private func makeWorkDirectory(for automation: ImageUpdateAutomation) async throws(ImageUpdateFailure) -> String {
        let name = "\(automation.namespace ?? "default")-\(automation.name)-\(UUID().uuidString.prefix(8).lowercased())"
        let path = context.workDirectory + "/" + name
        do {
            try await NIOThreadPool.singleton.runIfActive {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            }
        } catch {
            throw .retry(.gitOperationFailed, "cannot create work directory \(path): \(error)")
        }
        return path
    }

    // MARK: Spec problems

    /// Why the spec cannot be reconciled as it is, or nil.
    static func specProblem(_ automation: ImageUpdateAutomation, object: JSONValue) -> ImageUpdateFailure? {
        var unsupported = ImageUpdateAutomation.unsupportedSpecFields(in: object)
        if automation.spec.git?.commit.signingKey != nil {
            unsupported.append("spec.git.commit.signingKey (commit signing is not implemented)")
        }
        if let options = automation.spec.git?.push?.options, !options.isEmpty {
            unsupported.append("spec.git.push.options (libgit2 1.5 cannot send push options)")
        }
        if !unsupported.isEmpty {
            return .stall(ConditionReason.ImageUpdate.unsupportedField,
                          "unsupported field(s): \(unsupported.joined(separator: ", ")): not implemented by this image-automation-controller")
        }
        if let kind = automation.spec.sourceRef.kind, !kind.isEmpty, kind != GitRepository.kind.kind {
            return .stall(.invalidSourceConfiguration,
                          "source kind '\(kind)' not supported: invalid source configuration")
        }
        if automation.spec.git == nil {
            return .stall(.invalidSourceConfiguration,
                          "source kind 'GitRepository' necessitates field .spec.git: invalid source configuration")
        }
        if automation.updateStrategy != .setters {
            return .stall(.invalidUpdateStrategy, "unsupported update strategy: \(automation.updateStrategy.rawValue)")
        }
        if let selector = automation.spec.policySelector, let problem = Self.selectorProblem(selector) {
            return .stall(.invalidPolicySelector, "failed to parse policy selector: \(problem)")
        }
        let errors = automation.validate()
        if !errors.isEmpty {
            return .stall(.invalidSourceConfiguration, errors.map(\.description).joined(separator: "; "))
        }
        return nil
    }

    /// What `metav1.LabelSelectorAsSelector` would reject.
    static func selectorProblem(_ selector: LabelSelector) -> String? {
        for requirement in selector.matchExpressions ?? [] {
            let values = requirement.values ?? []
            switch requirement.operator {
            case "In", "NotIn":
                if values.isEmpty { return "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty" }
            case "Exists", "DoesNotExist":
                if !values.isEmpty { return "values: Invalid value: \(values): values set must be empty for exists and does not exist" }
            default:
                return "\"\(requirement.operator)\" is not a valid label selector operator"
            }
        }
        return nil
    }

    // MARK: Status

    private func stall(_ automation: ImageUpdateAutomation, object: JSONValue, started: KubeTime, failure: ImageUpdateFailure)
        async throws -> ReconcileResult
    {
        var automation = automation
        let wasStalled = automation.conditions[.stalled]?.message == failure.message
        automation.updateStatus { $0.lastAutomationRunTime = started }
        automation.markStalled(reason: failure.reason, message: failure.message)
        try await context.statusWriter.write(automation, original: object)
        if !wasStalled {
            await context.events.record(object, type: .warning, reason: failure.reason.rawValue, message: failure.message)
        }
        return .done
    }

    private func addFinalizer(to object: JSONValue) async throws -> JSONValue {
        var updated = object
        var finalizers = object[path: "metadata", "finalizers"]?.arrayValue ?? []
        finalizers.append(.string(ImageUpdateAutomation.finalizer))
        updated[path: "metadata", "finalizers"] = .array(finalizers)
        return try await context.api.update(updated, options: WriteOptions(fieldManager: context.controllerName))
    }

    /// Deletion: nothing is kept between runs, so only the finalizer goes.
    private func releaseFinalizer(_ object: JSONValue) async throws {
        let finalizers = object[path: "metadata", "finalizers"]?.arrayValue ?? []
        guard finalizers.contains(.string(ImageUpdateAutomation.finalizer)) else { return }
        var updated = object
        updated[path: "metadata", "finalizers"] = .array(finalizers.filter { $0 != .string(ImageUpdateAutomation.finalizer) })
        do {
            _ = try await context.api.update(updated, options: WriteOptions(fieldManager: context.controllerName))
        } catch {
            guard error.code == .notFound else { throw error }
        }
    }
}
