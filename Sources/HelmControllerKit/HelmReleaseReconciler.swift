import FoundationEssentials
import GitOpsKit
import GoTemplate
import HelmRender
import Logging

/// Reconciles a `HelmRelease` as helm-controller does (flux-api.md §1.7, §4): the chart (a HelmChart generated from
/// `spec.chart`, or `spec.chartRef`) is fetched and verified, the values composed (`valuesFrom`, `values`), and the
/// release brought in sync by Helm's actions — install, upgrade, test, rollback or uninstall remediation, unlock —
/// chosen from the state of Helm's own release storage and `status.history`, one action at a time until in sync.
public struct HelmReleaseReconciler: Reconciler {
    let context: HelmControllerContext

    public init(context: HelmControllerContext) {
        self.context = context
    }

    /// Guards the action loop against a state machine that never settles.
    static let maximumActions = 10

    public func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
        guard var object = try await context.api.getIfPresent(HelmRelease.kind, key) else { return .done }
        var release: HelmRelease
        do {
            release = try HelmRelease(from: object)
        } catch {
            context.logger.error("cannot decode HelmRelease", metadata: ["object": "\(key)", "error": "\(error)"])
            return .done
        }
        if release.metadata.isBeingDeleted {
            try await finalize(release, object: object)
            return .done
        }
        if !release.metadata.hasFinalizer(HelmRelease.finalizer) {
            object = try await addFinalizer(to: object)
            release = try HelmRelease(from: object)
        }
        if release.isSuspended {
            Logger.current.info("Reconciliation is suspended for this object")
            return .done
        }
        if let problem = Self.specProblem(release, object: object) {
            return try await stall(release, object: object, failure: HelmReleaseFailure(problem.reason, problem.message))
        }
        let interval = (try? release.interval.duration) ?? .seconds(600)
        do {
            try await reconcileActive(&release, object: &object)
            return .requeue(after: interval)
        } catch let failure as HelmReleaseFailure {
            if failure.stalls { return try await stall(release, object: object, failure: failure) }
            try await fail(release, object: object, failure: failure)
            return .requeue(after: failure.requeueAfter ?? interval)
        }
    }

    // MARK: The loop

    private func reconcileActive(_ release: inout HelmRelease, object: inout JSONValue) async throws {
        try await checkDependencies(release)
        let chartKey = try await reconcileChartTemplate(&release, object: object)
        let (artifact, chart) = try await fetchChart(chartKey)
        let values = try await ReleaseValues(api: context.api, namespace: release.namespace ?? "default").compose(release)
        let configDigest = ReleaseValues.digest(values)
        // A new desired state (chart or values) starts the failure counters again.
        if release.status?.lastAttemptedRevision != chart.version || release.status?.lastAttemptedConfigDigest != configDigest {
            release.updateStatus {
                $0.failures = nil
                $0.installFailures = nil
                $0.upgradeFailures = nil
            }
        }
        let (generation, storageNamespace) = (release.generation, release.storageNamespace)
        release.updateStatus {
            $0.lastAttemptedRevision = chart.version
            $0.lastAttemptedRevisionDigest = artifact.digest
            $0.lastAttemptedConfigDigest = configDigest
            $0.lastAttemptedGeneration = generation
            $0.storageNamespace = storageNamespace
        }
        if release.isResetRequested {
            let token = release.metadata.annotation(FluxAnnotation.resetRequestedAt)
            release.updateStatus {
                $0.failures = nil
                $0.installFailures = nil
                $0.upgradeFailures = nil
                $0.lastHandledResetAt = token
            }
        }
        if release.observedGeneration != release.generation || release.hasPendingReconcileRequest {
            var progressing = release
            progressing.markReconciling(message: "Running reconciliation for \(chart.name)@\(chart.version)")
            object = try await context.statusWriter.write(progressing, original: object)
            release = progressing
        }
        let loaded: LoadedChart
        do {
            loaded = try LoadedChart(contents: chart)
        } catch {
            throw HelmReleaseFailure(.artifactFailed, "failed to load chart: \(error)")
        }
        let request = ReleaseRequest(release: release, chart: chart, loaded: loaded, values: values, configDigest: configDigest)
        var machine = ReleaseStateMachine(context: context, request: request)
        try await machine.run(&release, object: &object)
    }

    /// `spec.chart`: creates or updates the HelmChart `<namespace>-<name>` with owner labels (server-side apply)
    /// and returns its key; `spec.chartRef`: the referenced HelmChart. A HelmChart generated before and no longer
    /// wanted (the spec switched to `chartRef` or to another source namespace) is deleted.
    private func reconcileChartTemplate(_ release: inout HelmRelease, object: JSONValue) async throws -> ObjectKey {
        let wanted: ObjectKey?
        if release.spec.chart != nil {
            wanted = ObjectKey(namespace: release.helmChartNamespace ?? release.namespace, name: release.helmChartName)
        } else {
            wanted = nil
        }
        if let generated = release.status?.helmChartKey, generated != wanted {
            _ = try? await context.api.delete(HelmChart.kind, generated, options: DeleteOptions())
            release.updateStatus { $0.helmChart = nil }
        }
        if let template = release.spec.chart, let wanted {
            var metadata: [String: JSONValue] = [
                "name": .string(wanted.name), "namespace": .string(wanted.namespace ?? "default"),
            ]
            var labels = (template.metadata?.labels ?? [:]).mapValues(JSONValue.string)
            labels[FluxLabel.helmName] = .string(release.name)
            labels[FluxLabel.helmNamespace] = .string(release.namespace ?? "default")
            metadata["labels"] = .object(labels)
            if let annotations = template.metadata?.annotations { metadata["annotations"] = .object(annotations.mapValues(JSONValue.string)) }
            var spec: [String: JSONValue] = [
                "chart": .string(template.spec.chart),
                "version": .string(template.spec.version ?? "*"),
                "sourceRef": ["kind": .string(template.spec.sourceRef.kind), "name": .string(template.spec.sourceRef.name)],
                "interval": .string(template.spec.interval ?? release.spec.interval),
                "reconcileStrategy": .string(template.spec.reconcileStrategy?.rawValue ?? "ChartVersion"),
            ]
            if let files = template.spec.valuesFiles { spec["valuesFiles"] = .array(files.map(JSONValue.string)) }
            if let ignore = template.spec.ignoreMissingValuesFiles { spec["ignoreMissingValuesFiles"] = .bool(ignore) }
            let chart: JSONValue = [
                "apiVersion": .string(HelmChart.kind.apiVersion), "kind": "HelmChart",
                "metadata": .object(metadata), "spec": .object(spec),
            ]
            do {
                _ = try await context.api.apply(chart, fieldManager: context.controllerName)
            } catch {
                throw HelmReleaseFailure(.artifactFailed, "failed to run server-side apply of HelmChart '\(wanted)': \(error.serverMessage)")
            }
            release.updateStatus { $0.helmChart = "\(wanted.namespace ?? "default")/\(wanted.name)" }
            return wanted
        }
        guard let reference = release.spec.chartRef else {
            throw HelmReleaseFailure(.invalidSpec, "exactly one of spec.chart and spec.chartRef must be set", stalls: true)
        }
        return ObjectKey(namespace: reference.namespace ?? release.namespace, name: reference.name)
    }

    /// The HelmChart's artifact, downloaded, digest-checked and loaded.
    private func fetchChart(_ key: ObjectKey) async throws(HelmReleaseFailure) -> (Artifact, ChartContents) {
        let subject = "HelmChart '\(key.namespace ?? "")/\(key.name)'"
        let object: JSONValue?
        do {
            object = try await context.api.getIfPresent(HelmChart.kind, key)
        } catch {
            throw HelmReleaseFailure(.artifactFailed, "could not get \(subject): \(error.message)", requeueAfter: context.requeueDependency)
        }
        guard let object, let chart = try? HelmChart(from: object) else {
            throw HelmReleaseFailure(.artifactFailed, "could not get \(subject): not found", requeueAfter: context.requeueDependency)
        }
        guard let artifact = chart.artifact, !artifact.url.isEmpty else {
            throw HelmReleaseFailure(.artifactFailed, "\(subject) is not ready: no artifact", requeueAfter: context.requeueDependency,
                                     isWaiting: true)
        }
        let digest = artifact.digest ?? ""
        if !digest.isEmpty, let loaded = context.charts.chart(digest: digest) { return (artifact, loaded) }
        let file = context.workRoot + "/helmrelease-chart-\(UUID().uuidString).tgz"
        defer { try? FileManager.default.removeItem(atPath: file) }
        do {
            try await context.fetcher.download(url: artifact.url, digest: digest, to: file)
        } catch {
            throw HelmReleaseFailure(.artifactFailed, "failed to download chart from \(artifact.url): \(error)",
                                     requeueAfter: error.isNotFound ? context.requeueDependency : nil)
        }
        do {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw HelmReleaseFailure(.artifactFailed, "downloaded chart \(file) cannot be read")
            }
            let loaded = try ChartContents(archive: Array(data))
            if !digest.isEmpty { context.charts.store(loaded, digest: digest) }
            return (artifact, loaded)
        } catch {
            throw HelmReleaseFailure(.artifactFailed, "failed to load chart from \(artifact.url): \(error)")
        }
    }

    /// Each `dependsOn` HelmRelease exists and is Ready for its current generation.
    private func checkDependencies(_ release: HelmRelease) async throws(HelmReleaseFailure) {
        for dependency in release.spec.dependsOn ?? [] {
            let key = ObjectKey(namespace: dependency.namespace ?? release.namespace, name: dependency.name)
            let object = try? await context.api.getIfPresent(HelmRelease.kind, key)
            let ready = object.flatMap { try? HelmRelease(from: $0) }?.isReady ?? false
            if !ready {
                throw HelmReleaseFailure(.dependencyNotReady,
                    "dependency '\(key.namespace ?? "")/\(key.name)' is not ready", requeueAfter: context.requeueDependency)
            }
        }
    }

    // MARK: Status outcomes

    private func fail(_ release: HelmRelease, object: JSONValue, failure: HelmReleaseFailure) async throws {
        var release = release
        release.markFailed(reason: failure.reason, message: failure.message)
        do {
            try await context.statusWriter.write(release, original: object)
        } catch {
            Logger.current.error("failed to write status", metadata: ["error": "\(error)"])
        }
        if failure.isWaiting {
            Logger.current.info("\(failure.message)")
            return
        }
        let type: EventType = failure.reason == .dependencyNotReady ? .normal : .warning
        await context.events.record(object, type: type, reason: failure.reason.rawValue, message: failure.message,
                                    metadata: release.status?.lastAttemptedRevision.map { ["revision": $0] } ?? [:])
    }

    private func stall(_ release: HelmRelease, object: JSONValue, failure: HelmReleaseFailure) async throws -> ReconcileResult {
        var release = release
        let wasStalled = release.conditions[.stalled]?.message == failure.message
        release.markStalled(reason: failure.reason, message: failure.message)
        try await context.statusWriter.write(release, original: object)
        if !wasStalled {
            await context.events.record(object, type: .warning, reason: failure.reason.rawValue, message: failure.message)
        }
        return .done
    }

    /// Fields this helm-controller does not implement (stalled with `UnsupportedField`, never ignored) and invalid
    /// values.
    static func specProblem(_ release: HelmRelease, object: JSONValue) -> (reason: ConditionReason, message: String)? {
        let spec = release.spec
        var unsupported = HelmRelease.unsupportedSpecFields(in: object)
        if spec.kubeConfig != nil { unsupported.append("spec.kubeConfig") }
        if spec.serviceAccountName.nonEmptyOrNil != nil { unsupported.append("spec.serviceAccountName") }
        if spec.healthCheckExprs?.isEmpty == false { unsupported.append("spec.healthCheckExprs") }
        if spec.chart?.spec.verify != nil { unsupported.append("spec.chart.spec.verify") }
        if let kind = spec.chartRef?.kind, kind != "HelmChart" { unsupported.append("spec.chartRef.kind \(kind)") }
        if spec.chart?.spec.sourceRef.kind == "Bucket" { unsupported.append("spec.chart.spec.sourceRef.kind Bucket") }
        if !unsupported.isEmpty {
            return (.unsupportedField,
                    "unsupported field(s): \(unsupported.joined(separator: ", ")): not implemented by this helm-controller")
        }
        let errors = release.validate().map(\.description)
        if !errors.isEmpty { return (.invalidSpec, errors.joined(separator: "; ")) }
        for (index, rule) in (spec.driftDetection?.ignore ?? []).enumerated() {
            do {
                _ = try DriftIgnoreRule(rule, field: "spec.driftDetection.ignore[\(index)]")
            } catch {
                return (.invalidSpec, error.description)
            }
        }
        if release.releaseName.utf8.count > 53 {
            return (.invalidSpec, "release name '\(release.releaseName)' is longer than 53 characters")
        }
        return nil
    }

    // MARK: Finalizer

    var statusManager: String { "gotk-\(context.controllerName)" }

    func addFinalizer(to object: JSONValue) async throws -> JSONValue {
        var updated = object
        var finalizers = object[path: "metadata", "finalizers"]?.arrayValue ?? []
        finalizers.append(.string(HelmRelease.finalizer))
        updated[path: "metadata", "finalizers"] = .array(finalizers)
        return try await context.api.update(updated, options: WriteOptions(fieldManager: statusManager))
    }

    /// Deletion (Flux `reconcileDelete`): unless suspended, the release is uninstalled (honouring `keepHistory`) and
    /// the generated HelmChart deleted; then the finalizer goes. A failed uninstall keeps the finalizer.
    func finalize(_ release: HelmRelease, object: JSONValue) async throws {
        guard release.metadata.hasFinalizer(HelmRelease.finalizer) else { return }
        if !release.isSuspended {
            let storage = ReleaseStorage(api: context.api, namespace: release.storageNamespace)
            if let last = try await storage.last(release.releaseName), last.info.status != .uninstalled {
                let operations = ReleaseOperations(
                    api: context.api, storage: storage, fieldManager: context.controllerName,
                    releaseName: release.releaseName, namespace: release.releaseNamespace,
                    pollInterval: context.pollInterval, logger: context.logger)
                let timeout = (try? release.uninstallTimeout.duration) ?? .seconds(300)
                if let error = try await operations.uninstall(
                    last, keepHistory: release.spec.uninstall?.keepHistory ?? false,
                    wait: !(release.spec.uninstall?.disableWait ?? false), timeout: timeout,
                    disableHooks: release.spec.uninstall?.disableHooks ?? false,
                    propagation: Self.propagation(release.deletionPropagation))
                {
                    await context.events.record(object, type: .warning, reason: ConditionReason.uninstallFailed.rawValue,
                                                message: "Helm uninstall failed: \(error)")
                    throw HelmReleaseFailure(.uninstallFailed, "Helm uninstall failed: \(error)")
                }
                await context.events.record(object, type: .normal, reason: ConditionReason.uninstallSucceeded.rawValue,
                                            message: "Helm uninstall succeeded for release \(release.storageNamespace)/\(release.releaseName).v\(last.version) with chart \(last.chartName)@\(last.chartVersion)")
            }
            if let generated = release.status?.helmChartKey {
                _ = try? await context.api.delete(HelmChart.kind, generated, options: DeleteOptions())
            }
        }
        var updated = object
        let finalizers = (object[path: "metadata", "finalizers"]?.arrayValue ?? []).filter { $0.stringValue != HelmRelease.finalizer }
        updated[path: "metadata", "finalizers"] = .array(finalizers)
        let result: Result<JSONValue, KubeError>
        do {
            result = .success(try await context.api.update(updated, options: WriteOptions(fieldManager: statusManager)))
        } catch {
            result = .failure(error)
        }
        if case .failure(let error) = result, error.code != .notFound { throw error }
    }

    static func propagation(_ policy: HelmRelease.DeletionPropagation) -> DeleteOptions.Propagation {
        switch policy {
        case .foreground: return .foreground
        case .orphan: return .orphan
        default: return .background
        }
    }
}

/// What one reconcile deploys: the object, its chart (archive contents and loaded), and its composed values.
struct ReleaseRequest: Sendable {
    var release: HelmRelease
    var chart: ChartContents
    var loaded: LoadedChart
    var values: TemplateValue
    var configDigest: String
}
