import GitOpsKit
import GoTemplate
import HelmRender
import Logging

/// Flux's atomic release (flux-api.md §4): the state of the release is derived from Helm's storage and
/// `status.history`, one action runs (install, upgrade, test, rollback or uninstall remediation, unlock), and the
/// loop repeats until the release is in sync or an action fails.
struct ReleaseStateMachine {
    /// Flux's `ReleaseStatus` (the state of the release as helm-controller sees it).
    enum State {
        case absent(reason: String)
        case unmanaged(StoredRelease)
        case locked(StoredRelease)
        case outOfSync(StoredRelease, reason: String)
        case untested(StoredRelease)
        case failed(StoredRelease, reason: String)
        case drifted(StoredRelease, objects: [JSONValue], drift: ChangeSet)
        case inSync(StoredRelease)
    }

    let context: HelmControllerContext
    let request: ReleaseRequest
    let storage: ReleaseStorage
    let operations: ReleaseOperations

    init(context: HelmControllerContext, request: ReleaseRequest) {
        self.context = context
        self.request = request
        let release = request.release
        storage = ReleaseStorage(api: context.api, namespace: release.storageNamespace)
        operations = ReleaseOperations(
            api: context.api, storage: storage, fieldManager: context.controllerName, releaseName: release.releaseName,
            namespace: release.releaseNamespace, pollInterval: context.pollInterval, logger: context.logger)
    }

    var chartRecord: JSONValue {
        let chart = request.loaded
        return StoredRelease.chartRecord(
            metadata: chart.metadata.raw, templates: chart.templates,
            values: chart.values.jsonValue ?? .object([:]), schema: chart.schema,
            files: chart.files.filter { !$0.key.hasPrefix("templates/") && $0.key != "values.yaml" && $0.key != "Chart.yaml" }
                .sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    // MARK: Running

    mutating func run(_ release: inout HelmRelease, object: inout JSONValue) async throws {
        var driftCorrected = false
        for _ in 0..<HelmReleaseReconciler.maximumActions {
            let state = try await determineState(release)
            switch state {
            case .inSync(let current):
                try await finishInSync(&release, object: &object, current: current)
                return
            case .absent:
                if exhausted(release.status?.installFailures, retries: release.spec.install?.remediation?.retries), !release.isForceRequested {
                    throw HelmReleaseFailure(.installFailed, "install retries exhausted", stalls: true)
                }
                markForceHandled(&release)
                try await install(&release, object: &object)
            case .unmanaged(let current):
                release.updateStatus { $0.history = nil }
                try await upgrade(&release, object: &object, current: current)
            case .locked(let current):
                let unlocked = try await operations.unlock(current)
                await event(object, .warning, "Unlocked", "Release \(unlocked.name).v\(unlocked.version) unlocked from stale '\(current.info.status.rawValue)' state")
                record(&release, unlocked, action: release.status?.lastAttemptedReleaseAction)
            case .outOfSync(let current, _):
                if exhausted(release.status?.upgradeFailures, retries: release.spec.upgrade?.remediation?.retries), !release.isForceRequested {
                    throw HelmReleaseFailure(.upgradeFailed, "upgrade retries exhausted", stalls: true)
                }
                markForceHandled(&release)
                try await upgrade(&release, object: &object, current: current)
            case .untested(let current):
                try await test(&release, object: &object, current: current)
            case .failed(let current, let reason):
                try await remediate(&release, object: &object, current: current, reason: reason)
            case .drifted(let current, let objects, let drift):
                // Corrected once in this run and drifted again (something keeps changing it): reported, not fought.
                var corrected = false
                if !driftCorrected {
                    corrected = try await handleDrift(&release, object: &object, current: current, objects: objects, drift: drift)
                }
                if !corrected {
                    try await finishInSync(&release, object: &object, current: current, drifted: true)
                    return
                }
                driftCorrected = true
            }
            object = try await context.statusWriter.write(release, original: object)
        }
        throw HelmReleaseFailure(.reconciliationFailed, "release did not settle after \(HelmReleaseReconciler.maximumActions) actions")
    }

    /// A `forceAt` request is answered by one install or upgrade, whatever its outcome.
    func markForceHandled(_ release: inout HelmRelease) {
        guard release.isForceRequested, let token = release.metadata.annotation(FluxAnnotation.forceRequestedAt) else { return }
        release.updateStatus { $0.lastHandledForceAt = token }
    }

    /// Whether `failures` went past `retries` (negative retries: unlimited).
    func exhausted(_ failures: Int64?, retries: Int?) -> Bool {
        let retries = retries ?? 0
        return retries >= 0 && (failures ?? 0) > Int64(retries)
    }

    func determineState(_ release: HelmRelease) async throws(HelmReleaseFailure) -> State {
        let last: StoredRelease?
        do {
            last = try await storage.last(release.releaseName)
        } catch {
            throw HelmReleaseFailure(.getLastReleaseFailed, "failed to get last release revision: \(error)")
        }
        guard let last else { return .absent(reason: "no release in storage for object") }
        if last.info.status.isPending { return .locked(last) }
        guard let snapshot = release.status?.latestSnapshot else {
            return last.info.status == .uninstalled ? .absent(reason: "found uninstalled release in storage") : .unmanaged(last)
        }
        if snapshot.name != last.name || snapshot.version != last.version || snapshot.digest != last.observationDigest {
            return .unmanaged(last)
        }
        switch last.info.status {
        case .failed:
            return .failed(last, reason: "release is in a failed state")
        case .uninstalled:
            return .absent(reason: "found uninstalled release in storage")
        case .deployed:
            if last.chartName != request.chart.name || last.chartVersion != request.chart.version {
                return .outOfSync(last, reason: "release chart changed")
            }
            if snapshot.configDigest != request.configDigest {
                return .outOfSync(last, reason: "release config values changed")
            }
            if (release.status?.observedPostRenderersDigest ?? ReleasePostRenderer.digest([HelmRelease.PostRenderer]?.none))
                != ReleasePostRenderer.digest(release.spec.postRenderers)
            {
                return .outOfSync(last, reason: "post renderers changed")
            }
            if (release.status?.observedCommonMetadataDigest ?? ReleasePostRenderer.digest(CommonMetadata?.none))
                != ReleasePostRenderer.digest(release.spec.commonMetadata)
            {
                return .outOfSync(last, reason: "common metadata changed")
            }
            if release.spec.test?.enable == true {
                guard let hooks = last.testHooks else {
                    if last.hooks.contains(where: { $0.events.contains("test") }) { return .untested(last) }
                    return .inSync(last)
                }
                let ignore = release.spec.test?.ignoreFailures ?? activeRemediationIgnoresTests(release)
                if !ignore, hooks.values.contains(where: { $0.phase == "Failed" }) {
                    return .failed(last, reason: "release has test in failed phase")
                }
            }
            if release.isForceRequested { return .outOfSync(last, reason: "forced") }
            if release.detectsDrift, let drifted = await detectDrift(release, last) { return drifted }
            return .inSync(last)
        default:
            return .unmanaged(last)
        }
    }

    func activeRemediationIgnoresTests(_ release: HelmRelease) -> Bool {
        if release.status?.lastAttemptedReleaseAction == .upgrade {
            return release.spec.upgrade?.remediation?.ignoreTestFailures ?? false
        }
        return release.spec.install?.remediation?.ignoreTestFailures ?? false
    }

    // MARK: Drift

    var drift: ReleaseDrift {
        let rules = request.release.spec.driftDetection?.ignore?.enumerated().compactMap { index, rule in
            try? DriftIgnoreRule(rule, field: "spec.driftDetection.ignore[\(index)]")
        }
        return ReleaseDrift(applier: operations.applier, ignoreRules: rules ?? [])
    }

    /// `.drifted` when the cluster differs from the release's manifest; a failed comparison is logged and taken
    /// as no drift (the next reconcile looks again), as in Flux.
    func detectDrift(_ release: HelmRelease, _ current: StoredRelease) async -> State? {
        do {
            let documents = try ReleaseManifest.documents(current.manifest)
            let objects = try await ReleaseManifest.objects(documents, release: current.name, namespace: current.namespace,
                                                            api: context.api)
            let changes = try await drift.detect(objects)
            return changes.entries.isEmpty ? nil : .drifted(current, objects: objects, drift: changes)
        } catch {
            context.logger.error("failed to detect cluster drift",
                                 metadata: ["release": "\(current.fullName)", "error": "\(error)"])
            return nil
        }
    }

    /// Reports drift (`Drifted=True`, a warning event) and, in `enabled` mode, corrects it without a new Helm
    /// revision. Returns whether it corrected (the loop then looks again).
    private func handleDrift(_ release: inout HelmRelease, object: inout JSONValue, current: StoredRelease,
                             objects: [JSONValue], drift changes: ChangeSet) async throws -> Bool
    {
        let summary = changes.entries.map { "\($0.identity.subject) \($0.action == .created ? "removed" : "changed")" }
            .joined(separator: "\n")
        let message = "Cluster state of release \(current.fullName) has drifted from the desired state:\n\(summary)"
        setCondition(&release, .drifted, .true, .driftDetected, message)
        await event(object, .warning, ConditionReason.driftDetected.rawValue, message)
        guard release.driftDetectionMode == .enabled else { return false }
        do {
            let applied = try await drift.correct(objects, drift: changes)
            await event(object, .normal, "DriftCorrected",
                        "Cluster state of release \(current.fullName) has been corrected:\n\(applied.summary)")
            return true
        } catch {
            let failure = "Failed to correct cluster state of release \(current.fullName): \(error.message)"
            await event(object, .warning, "DriftCorrectionFailed", failure)
            throw HelmReleaseFailure(.reconciliationFailed, failure)
        }
    }

    // MARK: Actions

    /// The chart rendered (and post-rendered) for revision `revision`; a failure is the action's (`failure`).
    private func renderTarget(revision: Int, isUpgrade: Bool, failure: ConditionReason) throws(HelmReleaseFailure)
        -> ReleaseOperations.Target
    {
        let release = request.release
        var options = HelmTemplateOptions(releaseName: release.releaseName)
        options.namespace = release.releaseNamespace
        options.isUpgrade = isUpgrade
        options.revision = revision
        var rendered: RenderedRelease
        do {
            rendered = try HelmTemplate.render(chart: request.loaded, values: request.values, options: options)
            rendered.manifests = try ReleasePostRenderer(release: release).run(rendered.manifests)
        } catch let error as HelmReleaseFailure {
            throw HelmReleaseFailure(failure, error.message)
        } catch {
            throw HelmReleaseFailure(failure, "\(error)")
        }
        return ReleaseOperations.Target(chartRecord: chartRecord, config: request.values.jsonValue ?? .object([:]),
                                        rendered: rendered)
    }

    private mutating func install(_ release: inout HelmRelease, object: inout JSONValue) async throws {
        release.updateStatus { $0.lastAttemptedReleaseAction = .install }
        let latest = (try? await storage.history(release.releaseName).last?.version) ?? 0
        let target = try renderTarget(revision: latest + 1, isUpgrade: false, failure: .installFailed)
        if release.spec.install?.createNamespace == true {
            _ = try? await context.api.create(["apiVersion": "v1", "kind": "Namespace",
                                               "metadata": ["name": .string(release.releaseNamespace)]], options: WriteOptions())
        }
        let started = ContinuousClock.now
        let timeout = (try? release.installTimeout.duration) ?? .seconds(300)
        let install = release.spec.install
        let outcome = try await operations.install(
            target, version: latest + 1, crds: release.installCRDsPolicy, wait: !(install?.disableWait ?? false),
            timeout: timeout, disableHooks: install?.disableHooks ?? false)
        release.updateStatus { $0.lastAttemptedReleaseActionDuration = ReleaseStateMachine.fluxDuration(ContinuousClock.now - started) }
        record(&release, outcome.release, action: .install)
        try await finish(.install, outcome, &release, object: object)
    }

    private mutating func upgrade(_ release: inout HelmRelease, object: inout JSONValue, current: StoredRelease) async throws {
        release.updateStatus { $0.lastAttemptedReleaseAction = .upgrade }
        let history = (try? await storage.history(release.releaseName)) ?? []
        let latest = history.last?.version ?? current.version
        let target = try renderTarget(revision: latest + 1, isUpgrade: true, failure: .upgradeFailed)
        let deployed = history.last { $0.info.status == .deployed } ?? current
        let started = ContinuousClock.now
        let timeout = (try? release.upgradeTimeout.duration) ?? .seconds(300)
        let upgrade = release.spec.upgrade
        let outcome = try await operations.upgrade(
            target, current: deployed, latestVersion: latest, crds: release.upgradeCRDsPolicy,
            wait: !(upgrade?.disableWait ?? false), timeout: timeout, disableHooks: upgrade?.disableHooks ?? false)
        release.updateStatus { $0.lastAttemptedReleaseActionDuration = ReleaseStateMachine.fluxDuration(ContinuousClock.now - started) }
        record(&release, outcome.release, action: .upgrade)
        try? await storage.prune(release.releaseName, maxHistory: release.maxHistory)
        try await finish(.upgrade, outcome, &release, object: object)
    }

    /// The status, condition and event of an install or upgrade outcome; a failure is counted and thrown.
    private func finish(_ action: HelmRelease.ReleaseAction, _ outcome: ReleaseOperations.Outcome,
                        _ release: inout HelmRelease, object: JSONValue) async throws {
        let isInstall = action == .install
        let verb = isInstall ? "install" : "upgrade"
        let chart = "with chart \(outcome.release.chartName)@\(outcome.release.chartVersion)"
        if let error = outcome.error {
            release.updateStatus {
                $0.failures = ($0.failures ?? 0) + 1
                if isInstall { $0.installFailures = ($0.installFailures ?? 0) + 1 } else { $0.upgradeFailures = ($0.upgradeFailures ?? 0) + 1 }
            }
            let reason: ConditionReason = isInstall ? .installFailed : .upgradeFailed
            let message = "Helm \(verb) failed for release \(outcome.release.fullName) \(chart): \(error)"
            setCondition(&release, .released, .false, reason, message)
            await event(object, .warning, reason.rawValue, message)
            throw HelmReleaseFailure(reason, message, requeueAfter: retryDelay(release))
        }
        let reason: ConditionReason = isInstall ? .installSucceeded : .upgradeSucceeded
        let message = "Helm \(verb) succeeded for release \(outcome.release.fullName) \(chart)"
        setCondition(&release, .released, .true, reason, message)
        recordPostRenderDigests(&release)
        var conditions = release.conditions
        conditions.remove(.remediated)
        release.conditions = conditions
        await event(object, .normal, reason.rawValue, message)
    }

    private mutating func test(_ release: inout HelmRelease, object: inout JSONValue, current: StoredRelease) async throws {
        let timeout = (try? release.testTimeout.duration) ?? .seconds(300)
        let outcome = try await operations.test(current, timeout: timeout)
        record(&release, outcome.release, action: release.status?.lastAttemptedReleaseAction)
        let count = outcome.release.testHooks?.count ?? 0
        if let error = outcome.error {
            let message = "Helm test failed for release \(outcome.release.fullName) with chart \(outcome.release.chartName)@\(outcome.release.chartVersion): \(error)"
            setCondition(&release, .testSuccess, .false, .testFailed, message)
            await event(object, .warning, ConditionReason.testFailed.rawValue, message)
            if release.spec.test?.ignoreFailures ?? activeRemediationIgnoresTests(release) { return }
            release.updateStatus {
                $0.failures = ($0.failures ?? 0) + 1
                if $0.lastAttemptedReleaseAction == .upgrade {
                    $0.upgradeFailures = ($0.upgradeFailures ?? 0) + 1
                } else {
                    $0.installFailures = ($0.installFailures ?? 0) + 1
                }
            }
            return
        }
        let message = "Helm test succeeded for release \(outcome.release.fullName) with chart \(outcome.release.chartName)@\(outcome.release.chartVersion) on \(count) test hook(s)"
        setCondition(&release, .testSuccess, .true, .testSucceeded, message)
        await event(object, .normal, ConditionReason.testSucceeded.rawValue, message)
    }

    /// A failed release: retried (`RetryOnFailure`), remediated (rollback or uninstall) while retries remain or for
    /// the last failure when `remediateLastFailure`, or left failed.
    private mutating func remediate(_ release: inout HelmRelease, object: inout JSONValue, current: StoredRelease, reason: String)
        async throws
    {
        let isUpgrade = release.status?.lastAttemptedReleaseAction == .upgrade
        let failures = isUpgrade ? release.status?.upgradeFailures : release.status?.installFailures
        let retries = isUpgrade ? release.spec.upgrade?.remediation?.retries : release.spec.install?.remediation?.retries
        let remediateLast = isUpgrade
            ? (release.spec.upgrade?.remediation?.mustRemediateLastFailure ?? false)
            : (release.spec.install?.remediation?.remediateLastFailure ?? false)
        let strategy = isUpgrade ? release.spec.upgrade?.strategy?.name : release.spec.install?.strategy?.name
        if strategy == .retryOnFailure || (failures ?? 0) == 0 {
            // A retry strategy, or a failure not counted against this desired state (the chart or values changed,
            // or the release was unlocked): an upgrade may fix it, as in Flux.
            try await upgrade(&release, object: &object, current: current)
            return
        }
        let exhausted = exhausted(failures, retries: retries)
        guard !exhausted || remediateLast else {
            let action = isUpgrade ? "upgrade" : "install"
            throw HelmReleaseFailure(isUpgrade ? .upgradeFailed : .installFailed,
                                     "\(action) retries exhausted: \(reason)", stalls: true)
        }
        if isUpgrade && release.upgradeRemediationStrategy != .uninstall {
            try await rollback(&release, object: &object, current: current)
        } else {
            try await uninstallRemediation(&release, object: &object, current: current, reinstall: !exhausted)
        }
        if exhausted {
            let action = isUpgrade ? "upgrade" : "install"
            throw HelmReleaseFailure(isUpgrade ? .upgradeFailed : .installFailed,
                                     "\(action) retries exhausted: remediated the last failure", stalls: true)
        }
    }

    private mutating func rollback(_ release: inout HelmRelease, object: inout JSONValue, current: StoredRelease) async throws {
        let history = (try? await storage.history(release.releaseName)) ?? []
        guard let good = history.last(where: { $0.version < current.version && ($0.info.status == .superseded || $0.info.status == .deployed) }) else {
            try await uninstallRemediation(&release, object: &object, current: current, reinstall: true)
            return
        }
        let timeout = (try? release.rollbackTimeout.duration) ?? .seconds(300)
        let outcome = try await operations.rollback(
            to: good, current: current, latestVersion: history.last?.version ?? current.version,
            wait: !(release.spec.rollback?.disableWait ?? false), timeout: timeout)
        record(&release, outcome.release, action: .rollback)
        try? await storage.prune(release.releaseName, maxHistory: release.maxHistory)
        if let error = outcome.error {
            let message = "Helm rollback to previous release \(good.fullName) with chart \(good.chartName)@\(good.chartVersion) failed: \(error)"
            setCondition(&release, .remediated, .false, .rollbackFailed, message)
            await event(object, .warning, ConditionReason.rollbackFailed.rawValue, message)
            throw HelmReleaseFailure(.rollbackFailed, message)
        }
        let message = "Helm rollback to previous release \(good.fullName) with chart \(good.chartName)@\(good.chartVersion) succeeded"
        setCondition(&release, .remediated, .true, .rollbackSucceeded, message)
        await event(object, .normal, ConditionReason.rollbackSucceeded.rawValue, message)
        // The rolled-back release is not what the spec asks for: stop here, retry later.
        throw HelmReleaseFailure(.upgradeFailed, release.conditions[.released]?.message ?? message, requeueAfter: retryDelay(release))
    }

    private mutating func uninstallRemediation(_ release: inout HelmRelease, object: inout JSONValue, current: StoredRelease,
                                               reinstall: Bool) async throws
    {
        let timeout = (try? release.uninstallTimeout.duration) ?? .seconds(300)
        let error = try await operations.uninstall(
            current, keepHistory: true, wait: !(release.spec.uninstall?.disableWait ?? false), timeout: timeout,
            disableHooks: release.spec.uninstall?.disableHooks ?? false,
            propagation: HelmReleaseReconciler.propagation(release.deletionPropagation))
        if let error {
            let message = "Helm uninstall remediation for release \(current.fullName) failed: \(error)"
            setCondition(&release, .remediated, .false, .uninstallFailed, message)
            throw HelmReleaseFailure(.uninstallFailed, message)
        }
        if let uninstalled = try? await storage.get(current.name, version: current.version) {
            record(&release, uninstalled, action: .uninstallRemediation)
        }
        let message = "Helm uninstall remediation for release \(current.fullName) with chart \(current.chartName)@\(current.chartVersion) succeeded"
        setCondition(&release, .remediated, .true, .uninstallSucceeded, message)
        await event(object, .normal, ConditionReason.uninstallSucceeded.rawValue, message)
        if !reinstall {
            throw HelmReleaseFailure(.installFailed, message, stalls: true)
        }
        throw HelmReleaseFailure(release.status?.lastAttemptedReleaseAction == .upgrade ? .upgradeFailed : .installFailed,
                                 release.conditions[.released]?.message ?? message, requeueAfter: retryDelay(release))
    }

    private func finishInSync(_ release: inout HelmRelease, object: inout JSONValue, current: StoredRelease,
                              drifted: Bool = false) async throws {
        let documents = (try? ReleaseManifest.documents(current.manifest)) ?? []
        let objects = (try? await ReleaseManifest.objects(documents, release: current.name, namespace: current.namespace, api: context.api)) ?? []
        let forceToken = release.isForceRequested ? release.metadata.annotation(FluxAnnotation.forceRequestedAt) : nil
        release.updateStatus {
            $0.inventory = Self.inventory(ReleaseManifest.identities(objects))
            $0.lastReleaseRevision = current.version
            $0.failures = nil
            $0.installFailures = nil
            $0.upgradeFailures = nil
            if let forceToken { $0.lastHandledForceAt = forceToken }
        }
        let message = release.conditions[.released]?.status == .true
            ? (release.conditions[.released]?.message ?? "")
            : "Helm release \(current.fullName) with chart \(current.chartName)@\(current.chartVersion) is in sync"
        var reason = ConditionReason(rawValue: release.conditions[.released]?.reason.rawValue ?? ConditionReason.installSucceeded.rawValue)
        if release.conditions[.released]?.status != .true {
            setCondition(&release, .released, .true, .upgradeSucceeded, message)
            reason = .upgradeSucceeded
        }
        if !release.detectsDrift {
            var conditions = release.conditions
            conditions.remove(.drifted)
            release.conditions = conditions
        } else if !drifted {
            setCondition(&release, .drifted, .false, .noDriftDetected, "No drift detected for release \(current.fullName)")
        }
        if release.spec.test?.enable != true {
            var conditions = release.conditions
            conditions.remove(.testSuccess)
            release.conditions = conditions
        }
        release.markReady(reason: reason, message: message)
        object = try await context.statusWriter.write(release, original: object)
    }

    // MARK: Status helpers

    /// What the deployed manifests were post-rendered with, so a change of either is an upgrade.
    private func recordPostRenderDigests(_ release: inout HelmRelease) {
        let (renderers, metadata) = (release.spec.postRenderers, release.spec.commonMetadata)
        release.updateStatus {
            $0.observedPostRenderersDigest = ReleasePostRenderer.digest(renderers)
            $0.observedCommonMetadataDigest = ReleasePostRenderer.digest(metadata)
        }
    }

    /// Records the release's snapshot at the head of `status.history` (one per revision, newest first), trimmed
    /// to `maxHistory`.
    private func record(_ release: inout HelmRelease, _ stored: StoredRelease, action: HelmRelease.ReleaseAction?) {
        let configDigest = ReleaseValues.digest(json: stored.config)
        let (limit, storageNamespace) = (release.maxHistory, release.storageNamespace)
        release.updateStatus { status in
            var history = status.history ?? []
            let previous = history.first { $0.version == stored.version }
            history.removeAll { $0.version == stored.version }
            history.insert(stored.snapshot(action: action ?? previous?.action, configDigest: configDigest, previous: previous), at: 0)
            history.sort { $0.version > $1.version }
            if limit > 0, history.count > limit { history = Array(history.prefix(limit)) }
            status.history = history
            status.storageNamespace = storageNamespace
        }
    }

    private func setCondition(_ release: inout HelmRelease, _ type: ConditionType, _ status: ConditionStatus,
                              _ reason: ConditionReason, _ message: String) {
        var conditions = release.conditions
        conditions.set(type, status, reason: reason, message: message, observedGeneration: release.generation)
        release.conditions = conditions
    }

    private func event(_ object: JSONValue, _ type: EventType, _ reason: String, _ message: String) async {
        await context.events.record(object, type: type, reason: reason, message: message,
                                    metadata: ["revision": request.chart.version])
    }

    /// How soon a failed action is retried: quickly at first, backing off with the failures (at most the interval).
    private func retryDelay(_ release: HelmRelease) -> Duration {
        let failures = max(1, min(Int(release.status?.failures ?? 1), 8))
        let delay = Duration.milliseconds(500 * (1 << (failures - 1)))
        let interval = (try? release.interval.duration) ?? .seconds(600)
        return min(delay, interval)
    }

    static func fluxDuration(_ duration: Duration) -> FluxDuration {
        FluxDuration(nanoseconds: Int64(duration.components.seconds) * 1_000_000_000
                     + Int64(duration.components.attoseconds / 1_000_000_000))
    }

    static func inventory(_ identities: [ResourceIdentity]) -> ResourceInventory {
        var entries: [String: ResourceRef] = [:]
        for identity in identities { entries[identity.versionless] = identity.inventoryEntry }
        return ResourceInventory(entries: entries.keys.sorted().compactMap { entries[$0] })
    }
}

extension StoredRelease {
    /// `namespace/name.vN`, as Flux names a release in messages.
    var fullName: String { "\(namespace)/\(name).v\(version)" }
}
