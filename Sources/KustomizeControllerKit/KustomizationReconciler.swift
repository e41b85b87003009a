import FoundationEssentials
import GitOpsKit
import Kustomize
import Logging
import NIOPosix

/// Reconciles a `Kustomization` as kustomize-controller does (flux-api.md §3): the source's artifact is fetched,
/// verified and unpacked, `spec.path` is built with the Kustomization's overlay, variables are substituted, and the
/// objects are applied with staged server-side apply (dry-run first: unchanged objects are not written; `spec.ignore`
/// paths neither count as drift nor get reset). Objects that left the build are pruned (`spec.prune`), the applied
/// ones health-checked (`wait`, `healthChecks`) — all three as `spec.serviceAccountName` (or the default service
/// account) when one is set — and the result recorded in `status` (inventory, revisions, history, conditions) and in
/// a change-set event. Deletion follows `spec.deletionPolicy` (``finalize(_:object:)``).
///
/// A failure anywhere before the apply finished never prunes: the previous inventory stays, `Ready=False` names the
/// step (`ArtifactFailed`, `BuildFailed`, `ReconciliationFailed`, `HealthCheckFailed`, `PruneFailed`,
/// `DependencyNotReady`), and the object is retried at `spec.retryInterval`.
public struct KustomizationReconciler: Reconciler {
    let context: KustomizeControllerContext

    public init(context: KustomizeControllerContext) {
        self.context = context
    }

    public func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
        guard var object = try await context.api.getIfPresent(Kustomization.kind, key) else { return .done }
        var kustomization: Kustomization
        do {
            kustomization = try Kustomization(from: object)
        } catch {
            context.logger.error("cannot decode Kustomization", metadata: ["object": "\(key)", "error": "\(error)"])
            return .done
        }
        if kustomization.metadata.isBeingDeleted {
            try await finalize(kustomization, object: object)
            return .done
        }
        if !kustomization.metadata.hasFinalizer(Kustomization.finalizer) {
            object = try await addFinalizer(to: object)
            kustomization = try Kustomization(from: object)
        }
        if kustomization.isSuspended {
            Logger.current.info("Reconciliation is suspended for this object")
            return .done
        }
        if let problem = Self.specProblem(kustomization, object: object) {
            return try await stall(kustomization, object: object, reason: problem.reason, message: problem.message)
        }
        // `specProblem` checked the durations.
        let interval = (try? kustomization.interval.duration) ?? .seconds(600)
        let retryInterval = (try? kustomization.retryInterval.duration) ?? interval
        do {
            try await reconcileActive(&kustomization, object: &object)
            return .requeue(after: interval)
        } catch let failure as KustomizationFailure {
            try await fail(kustomization, object: object, failure: failure)
            return .requeue(after: failure.requeueAfter ?? retryInterval)
        }
    }

    // MARK: The loop

    private func reconcileActive(_ kustomization: inout Kustomization, object: inout JSONValue) async throws {
        let started = ContinuousClock.now
        let timeout = (try? kustomization.timeout.duration) ?? .seconds(60)
        let artifact = try await sourceArtifact(kustomization)
        try await checkDependencies(kustomization, revision: artifact.revision)
        let revision = artifact.revision
        let originRevision = artifact.metadata?[Self.originRevisionKey].flatMap { $0.isEmpty ? nil : $0 }
        if kustomization.observedGeneration != kustomization.generation
            || kustomization.status?.lastAttemptedRevision != revision
        {
            var progressing = kustomization
            progressing.markReconciling(
                message: "Fetching manifests for revision \(revision) with a timeout of \(FluxDuration(nanoseconds: Int64(timeout.components.seconds) * 1_000_000_000))")
            object = try await context.statusWriter.write(progressing, original: object)
            kustomization = progressing
        }
        let scratch = context.workRoot + "/kustomization-\(kustomization.namespace ?? "default")-\(kustomization.name)-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        do {
            try await context.fetcher.fetch(url: artifact.url, digest: artifact.digest ?? "", into: scratch)
        } catch {
            throw KustomizationFailure(.artifactFailed, "failed to download archive: \(error)",
                                       requeueAfter: error.isNotFound ? context.requeueDependency : nil)
        }
        kustomization.updateStatus { $0.lastAttemptedRevision = revision }
        let built = try await KustomizationBuild(api: context.api).build(kustomization, root: scratch)
        let objects = built.objects

        // Every failure from here on is a result of this build: it goes into `status.history`.
        var historyMetadata = ["revision": revision]
        if let originRevision { historyMetadata["originRevision"] = originRevision }
        func record(_ reason: ConditionReason, into kustomization: inout Kustomization) {
            let duration = ContinuousClock.now - started
            kustomization.updateStatus { status in
                var history = status.history ?? []
                history.recordChange(digest: built.digest, at: KubeTime.now(), duration: Self.fluxDuration(duration),
                                     status: reason.rawValue, metadata: historyMetadata)
                status.history = history
            }
        }

        // Apply, then prune what left the build, then health-check — as the service account when one is set.
        let applier = try applier(for: kustomization)
        let changeSet: ChangeSet
        do {
            changeSet = try await applier.applyAllStaged(objects, options: ResourceApplier.Options(
                force: kustomization.spec.force ?? false, timeout: timeout, ignoreRules: Self.ignoreRules(kustomization)))
        } catch {
            // Whatever was applied before the failure joins the inventory, so a later prune can find it.
            let applied = error.changeSet.entries.map(\.identity)
            kustomization.updateStatus { $0.inventory = Self.inventory(Self.identities(of: $0.inventory) + applied) }
            if !error.changeSet.changes.isEmpty {
                await recordEvent(object, reason: .progressing, message: error.changeSet.summary,
                                  revision: revision, originRevision: originRevision)
            }
            record(.reconciliationFailed, into: &kustomization)
            throw KustomizationFailure(.reconciliationFailed, error.message)
        }
        let applied = changeSet.entries.map(\.identity)
        var newInventory = applied
        var events = changeSet
        if kustomization.spec.prune {
            let current = Set(applied.map(\.versionless))
            let stale = Self.identities(of: kustomization.status?.inventory).filter { !current.contains($0.versionless) }
            if !stale.isEmpty {
                let result = await applier.deleteAll(stale, ownerLabels: Self.ownerLabels(kustomization))
                events.append(contentsOf: result.changeSet)
                if !result.failures.isEmpty {
                    newInventory += result.failures.map(\.identity)
                    kustomization.updateStatus { $0.inventory = Self.inventory(newInventory) }
                    if !events.changes.isEmpty {
                        await recordEvent(object, reason: .progressing, message: events.summary,
                                          revision: revision, originRevision: originRevision)
                    }
                    record(.pruneFailed, into: &kustomization)
                    throw KustomizationFailure(.pruneFailed, "prune failed: \(result.failureMessage)")
                }
            }
        }
        kustomization.updateStatus { $0.inventory = Self.inventory(newInventory) }
        if !events.changes.isEmpty {
            await recordEvent(object, reason: .progressing, message: events.summary, revision: revision,
                              originRevision: originRevision)
        }
        do {
            try await checkHealth(&kustomization, changeSet: changeSet, applier: applier, timeout: timeout)
        } catch {
            record(.healthCheckFailed, into: &kustomization)
            throw error
        }

        let message = "Applied revision: \(revision)"
        let revisionChanged = kustomization.status?.lastAppliedRevision != revision
        kustomization.updateStatus {
            $0.lastAppliedRevision = revision
            $0.lastAppliedOriginRevision = originRevision
        }
        record(.reconciliationSucceeded, into: &kustomization)
        kustomization.markReady(reason: .reconciliationSucceeded, message: message)
        object = try await context.statusWriter.write(kustomization, original: object)
        if revisionChanged {
            await recordEvent(object, reason: .reconciliationSucceeded, message: message, revision: revision,
                              originRevision: originRevision)
        }
    }

    /// Flux's `commit_status` event metadata (value `update`).
    static let commitStatusKey = "commit_status"

    /// The artifact metadata key of the origin revision (OCI `org.opencontainers.image.revision`).
    static let originRevisionKey = "org.opencontainers.image.revision"

    /// A Normal event about the Kustomization with the revision metadata Flux attaches.
    private func recordEvent(_ object: JSONValue, reason: ConditionReason, message: String, revision: String?,
                             originRevision: String?) async {
        var metadata: [String: String] = [:]
        if let revision { metadata["revision"] = revision }
        if let originRevision { metadata["originRevision"] = originRevision }
        // The final status of a revision asks notification-controller's git providers for a commit status.
        if reason == .reconciliationSucceeded { metadata[Self.commitStatusKey] = "update" }
        await context.events.record(object, type: .normal, reason: reason.rawValue, message: message, metadata: metadata)
    }

    // MARK: Identity

    /// The service account the Kustomization acts as: `spec.serviceAccountName`, else `--default-service-account`.
    static func serviceAccountName(_ kustomization: Kustomization, default defaultName: String?) -> String? {
        if let name = kustomization.spec.serviceAccountName, !name.isEmpty { return name }
        return defaultName.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The API everything the Kustomization applies, prunes and health-checks goes through: the controller's own, or
    /// the service account's (impersonated) when one is set.
    func clusterAPI(for kustomization: Kustomization) throws(KustomizationFailure) -> any KubernetesAPI {
        guard let account = Self.serviceAccountName(kustomization, default: context.defaultServiceAccount) else {
            return context.api
        }
        guard let impersonating = context.api as? any KubernetesImpersonating else {
            throw KustomizationFailure(.reconciliationFailed,
                                       "failed to build kube client: this API client cannot impersonate service account '\(account)'")
        }
        return impersonating.impersonating(.serviceAccount(namespace: kustomization.namespace ?? "default", name: account))
    }

    private func applier(for kustomization: Kustomization) throws(KustomizationFailure) -> ResourceApplier {
        var applier = ResourceApplier(api: try clusterAPI(for: kustomization), fieldManager: context.controllerName,
                                      logger: context.logger)
        applier.overrideManagers = context.overrideManagers
        return applier
    }

    /// `spec.ignore` compiled (``specProblem(_:object:)`` rejected invalid rules before).
    static func ignoreRules(_ kustomization: Kustomization) -> [DriftIgnoreRule] {
        (kustomization.spec.ignore ?? []).enumerated().compactMap { index, rule in
            try? DriftIgnoreRule(rule, field: "spec.ignore[\(index)]")
        }
    }

    static func fluxDuration(_ duration: Duration) -> FluxDuration {
        FluxDuration(nanoseconds: Int64(duration.components.seconds) * 1_000_000_000
                     + Int64(duration.components.attoseconds / 1_000_000_000))
    }

    // MARK: Source and dependencies

    private func sourceArtifact(_ kustomization: Kustomization) async throws(KustomizationFailure) -> Artifact {
        let key = kustomization.sourceKey
        let subject = "GitRepository/\(key.namespace ?? "")/\(key.name)"
        let object: JSONValue?
        do {
            object = try await context.api.getIfPresent(GitRepository.kind, key)
        } catch {
            throw KustomizationFailure(.artifactFailed, "failed to get source '\(subject)': \(error.message)",
                                       requeueAfter: context.requeueDependency)
        }
        guard let object else {
            throw KustomizationFailure(.artifactFailed, "Source '\(subject)' not found", requeueAfter: context.requeueDependency,
                                       isWaiting: true)
        }
        guard let source = try? GitRepository(from: object), let artifact = source.artifact, !artifact.url.isEmpty else {
            throw KustomizationFailure(.artifactFailed, "Source artifact not found, retrying in \(Self.format(context.requeueDependency))",
                                       requeueAfter: context.requeueDependency, isWaiting: true)
        }
        return artifact
    }

    /// Flux's `checkDependencies`: each listed Kustomization exists, is Ready for its current generation and, when
    /// it uses the same source, has applied the same revision.
    private func checkDependencies(_ kustomization: Kustomization, revision: String) async throws(KustomizationFailure) {
        for dependency in kustomization.spec.dependsOn ?? [] {
            let key = ObjectKey(namespace: dependency.namespace ?? kustomization.namespace, name: dependency.name)
            let object = try? await context.api.getIfPresent(Kustomization.kind, key)
            let ready: Bool
            if let object, let other = try? Kustomization(from: object) {
                let sameSource = other.sourceKey == kustomization.sourceKey && other.spec.sourceRef.kind == kustomization.spec.sourceRef.kind
                ready = other.isReady && (!sameSource || other.status?.lastAppliedRevision == revision)
            } else {
                ready = false
            }
            if !ready {
                throw KustomizationFailure(.dependencyNotReady,
                    "Dependencies do not meet ready condition (dependency '\(key)' is not ready), retrying in \(Self.format(context.requeueDependency))",
                    requeueAfter: context.requeueDependency)
            }
        }
    }

    // MARK: Build

    public static func ownerLabels(_ kustomization: Kustomization) -> [String: String] {
        [FluxLabel.kustomizeName: kustomization.name, FluxLabel.kustomizeNamespace: kustomization.namespace ?? "default"]
    }

    // MARK: Health

    private func checkHealth(_ kustomization: inout Kustomization, changeSet: ChangeSet, applier: ResourceApplier,
                             timeout: Duration) async throws(KustomizationFailure)
    {
        let targets: [ResourceIdentity]
        if kustomization.spec.wait == true {
            targets = changeSet.entries.filter { $0.action != .skipped }.map(\.identity)
        } else {
            targets = (kustomization.spec.healthChecks ?? []).map { check in
                let namespace = check.namespace ?? kustomization.namespace
                let applied = changeSet.entries.first {
                    $0.identity.kind.kind == check.kind && $0.identity.name == check.name
                        && ($0.identity.namespace == nil || $0.identity.namespace == namespace)
                }?.identity
                let kind = check.apiVersion.map { GroupVersionKind(apiVersion: $0, kind: check.kind) }
                    ?? applied?.kind ?? GroupVersionKind(apiVersion: "v1", kind: check.kind)
                return ResourceIdentity(kind: kind, namespace: applied.map { $0.namespace } ?? namespace, name: check.name)
            }
        }
        var conditions = kustomization.conditions
        guard !targets.isEmpty else {
            conditions.remove(.healthy)
            kustomization.conditions = conditions
            return
        }
        let started = ContinuousClock.now
        let outcome = await applier.waitForHealth(targets, timeout: timeout, pollInterval: context.healthPollInterval)
        if outcome == .healthy {
            conditions.set(.healthy, .true, reason: .succeeded, message: "Health check passed",
                           observedGeneration: kustomization.generation)
            kustomization.conditions = conditions
            return
        }
        let message = outcome.message(after: ContinuousClock.now - started)
        conditions.set(.healthy, .false, reason: .healthCheckFailed, message: message,
                       observedGeneration: kustomization.generation)
        kustomization.conditions = conditions
        throw KustomizationFailure(.healthCheckFailed, message)
    }

    // MARK: Status outcomes

    private func fail(_ kustomization: Kustomization, object: JSONValue, failure: KustomizationFailure) async throws {
        var kustomization = kustomization
        kustomization.markFailed(reason: failure.reason, message: failure.message)
        do {
            try await context.statusWriter.write(kustomization, original: object)
        } catch {
            Logger.current.error("failed to write status", metadata: ["error": "\(error)"])
        }
        if failure.isWaiting {
            Logger.current.info("\(failure.message)")
            return
        }
        let type: EventType = failure.reason == .dependencyNotReady ? .normal : .warning
        var metadata = kustomization.status?.lastAttemptedRevision.map { ["revision": $0] } ?? [:]
        if failure.reason != .dependencyNotReady { metadata[Self.commitStatusKey] = "update" }
        await context.events.record(object, type: type, reason: failure.reason.rawValue, message: failure.message,
                                    metadata: metadata)
    }

    private func stall(_ kustomization: Kustomization, object: JSONValue, reason: ConditionReason, message: String)
        async throws -> ReconcileResult
    {
        var kustomization = kustomization
        let wasStalled = kustomization.conditions[.stalled]?.message == message
        kustomization.markStalled(reason: reason, message: message)
        try await context.statusWriter.write(kustomization, original: object)
        if !wasStalled {
            await context.events.record(object, type: .warning, reason: reason.rawValue, message: message)
        }
        return .done
    }

    // MARK: Helpers

    static func identities(of inventory: ResourceInventory?) -> [ResourceIdentity] {
        (inventory?.entries ?? []).compactMap(ResourceIdentity.init(inventory:))
    }

    /// The inventory of `identities`: one entry per object (the last version wins), sorted by id as Flux does.
    static func inventory(_ identities: [ResourceIdentity]) -> ResourceInventory {
        var entries: [String: ResourceRef] = [:]
        for identity in identities { entries[identity.versionless] = identity.inventoryEntry }
        return ResourceInventory(entries: entries.keys.sorted().compactMap { entries[$0] })
    }

    static func format(_ duration: Duration) -> String { fluxDuration(duration).description }

    /// Why the spec cannot be reconciled as it is (a field this controller does not implement yet, or an invalid
    /// value), or nil.
    static func specProblem(_ kustomization: Kustomization, object: JSONValue) -> (reason: ConditionReason, message: String)? {
        let spec = kustomization.spec
        if spec.sourceRef.kind != "GitRepository" {
            return (.unsupportedField,
                    "unsupported source kind '\(spec.sourceRef.kind)' in spec.sourceRef: this kustomize-controller supports GitRepository only")
        }
        var unsupported = Kustomization.unsupportedSpecFields(in: object)
        if spec.decryption != nil { unsupported.append("spec.decryption") }
        if spec.kubeConfig != nil { unsupported.append("spec.kubeConfig") }
        if spec.healthCheckExprs?.isEmpty == false { unsupported.append("spec.healthCheckExprs") }
        if spec.buildMetadata?.isEmpty == false { unsupported.append("spec.buildMetadata") }
        if spec.ignoreMissingComponents == true { unsupported.append("spec.ignoreMissingComponents") }
        if spec.dependsOn?.contains(where: { $0.readyExpr != nil }) == true { unsupported.append("spec.dependsOn[].readyExpr") }
        if !unsupported.isEmpty {
            return (.unsupportedField,
                    "unsupported field(s): \(unsupported.joined(separator: ", ")): not implemented by this kustomize-controller")
        }
        var errors = kustomization.validate().map(\.description)
        for (index, rule) in (spec.ignore ?? []).enumerated() {
            do {
                _ = try DriftIgnoreRule(rule, field: "spec.ignore[\(index)]")
            } catch {
                errors.append(error.description)
            }
        }
        if !errors.isEmpty { return (.invalidSpec, errors.joined(separator: "; ")) }
        return nil
    }
}
