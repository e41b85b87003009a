// Defaults and validation rules of HelmRelease (helm-controller `api/v2` getters and CRD schema).

extension HelmRelease {
    public static let defaultTimeout = FluxDuration.minutes(5)
    public static let defaultMaxHistory = 5
    public static let defaultRetryInterval = FluxDuration.minutes(5)

    /// `spec.interval`.
    public var interval: FluxDuration {
        get throws(FluxFieldError) { try .field(spec.interval, at: "spec.interval") }
    }

    /// `spec.timeout`, default 5m: the timeout of every action that sets none.
    public var timeout: FluxDuration {
        get throws(FluxFieldError) {
            guard let text = spec.timeout else { return Self.defaultTimeout }
            return try .field(text, at: "spec.timeout")
        }
    }

    /// `spec.install.timeout`, default `timeout`.
    public var installTimeout: FluxDuration {
        get throws(FluxFieldError) { try actionTimeout(spec.install?.timeout, "spec.install.timeout") }
    }

    /// `spec.upgrade.timeout`, default `timeout`.
    public var upgradeTimeout: FluxDuration {
        get throws(FluxFieldError) { try actionTimeout(spec.upgrade?.timeout, "spec.upgrade.timeout") }
    }

    /// `spec.test.timeout`, default `timeout`.
    public var testTimeout: FluxDuration {
        get throws(FluxFieldError) { try actionTimeout(spec.test?.timeout, "spec.test.timeout") }
    }

    /// `spec.rollback.timeout`, default `timeout`.
    public var rollbackTimeout: FluxDuration {
        get throws(FluxFieldError) { try actionTimeout(spec.rollback?.timeout, "spec.rollback.timeout") }
    }

    /// `spec.uninstall.timeout`, default `timeout`.
    public var uninstallTimeout: FluxDuration {
        get throws(FluxFieldError) { try actionTimeout(spec.uninstall?.timeout, "spec.uninstall.timeout") }
    }

    private func actionTimeout(_ text: String?, _ path: String) throws(FluxFieldError) -> FluxDuration {
        guard let text else { return try timeout }
        return try .field(text, at: path)
    }

    /// `spec.maxHistory`, default 5; 0 means unlimited.
    public var maxHistory: Int { spec.maxHistory ?? Self.defaultMaxHistory }

    /// `spec.releaseName`, or `<targetNamespace>-<name>`, or `<name>`.
    public var releaseName: String {
        if let releaseName = spec.releaseName.nonEmpty { return releaseName }
        if let target = spec.targetNamespace.nonEmpty { return "\(target)-\(name)" }
        return name
    }

    /// The namespace the release is installed in: `spec.targetNamespace` or the HelmRelease's.
    public var releaseNamespace: String { spec.targetNamespace.nonEmpty ?? namespace ?? "" }

    /// Where Helm keeps release Secrets: `spec.storageNamespace` or the HelmRelease's namespace.
    public var storageNamespace: String { spec.storageNamespace.nonEmpty ?? namespace ?? "" }

    /// The name of the HelmChart generated for `spec.chart`: `<namespace>-<name>`.
    public var helmChartName: String { "\(namespace ?? "")-\(name)" }

    /// The namespace of the generated HelmChart: the chart source's namespace, default the HelmRelease's.
    public var helmChartNamespace: String? {
        spec.chart?.spec.sourceRef.namespace.nonEmpty ?? namespace
    }

    /// `spec.chart.spec.interval`, default `spec.interval`; nil without `spec.chart`.
    public var chartInterval: FluxDuration? {
        get throws(FluxFieldError) {
            guard let chart = spec.chart else { return nil }
            guard let text = chart.spec.interval else { return try interval }
            return try .field(text, at: "spec.chart.spec.interval")
        }
    }

    /// `spec.persistentClient`, default true.
    public var usesPersistentClient: Bool { spec.persistentClient ?? true }

    /// `spec.driftDetection.mode`, default `disabled`.
    public var driftDetectionMode: DriftDetectionMode { spec.driftDetection?.mode ?? .disabled }

    /// Whether drift is detected (`enabled` or `warn`).
    public var detectsDrift: Bool { driftDetectionMode == .enabled || driftDetectionMode == .warn }

    /// `spec.postRenderStrategy`, default `combined`.
    public var postRenderStrategy: PostRenderStrategy { spec.postRenderStrategy ?? .combined }

    /// `spec.waitStrategy.name`, default `poller` (kstatus).
    public var waitStrategy: WaitStrategyName { spec.waitStrategy?.name ?? .poller }

    /// `spec.install.crds`, default `Create` (`Skip` when the deprecated `skipCRDs` is set).
    public var installCRDsPolicy: CRDsPolicy {
        if let crds = spec.install?.crds { return crds }
        return spec.install?.skipCRDs == true ? .skip : .create
    }

    /// `spec.upgrade.crds`, default `Skip`.
    public var upgradeCRDsPolicy: CRDsPolicy { spec.upgrade?.crds ?? .skip }

    /// `spec.upgrade.remediation.strategy`, default `rollback`.
    public var upgradeRemediationStrategy: RemediationStrategy { spec.upgrade?.remediation?.strategy ?? .rollback }

    /// `spec.upgrade.chartNameChangeStrategy`, default `Reinstall`.
    public var chartNameChangeStrategy: ChartNameChangeStrategy {
        spec.upgrade?.chartNameChangeStrategy ?? .reinstall
    }

    /// `spec.uninstall.deletionPropagation`, default `background`.
    public var deletionPropagation: DeletionPropagation { spec.uninstall?.deletionPropagation ?? .background }

    /// The retry interval of an action strategy, default 5m (`nil` when the strategy is not `RetryOnFailure`).
    public func retryInterval(of strategy: ActionStrategy?, at path: String) throws(FluxFieldError) -> FluxDuration? {
        guard let strategy, strategy.name == .retryOnFailure else { return nil }
        guard let text = strategy.retryInterval else { return Self.defaultRetryInterval }
        return try .field(text, at: path)
    }

    /// Whether `reconcile.fluxcd.io/forceAt` asks for a forced release not handled yet: it must equal
    /// `requestedAt`, and neither `lastHandledReconcileAt` nor `lastHandledForceAt` may hold it.
    public var isForceRequested: Bool { isAnnotationRequestPending(FluxAnnotation.forceRequestedAt, status?.lastHandledForceAt) }

    /// Whether `reconcile.fluxcd.io/resetAt` asks for the failure counters to be reset (same rules as force).
    public var isResetRequested: Bool { isAnnotationRequestPending(FluxAnnotation.resetRequestedAt, status?.lastHandledResetAt) }

    private func isAnnotationRequestPending(_ annotation: String, _ lastHandled: String?) -> Bool {
        guard let token = metadata.annotation(annotation), let requested = reconcileRequest, token == requested
        else { return false }
        return lastHandledReconcileAt != token && lastHandled != token
    }

    public func validate() -> [FluxFieldError] {
        var v = FieldValidator()
        v.check((spec.chart == nil) != (spec.chartRef == nil), "spec", "either chart or chartRef must be set")
        v.duration(spec.interval, "spec.interval")
        v.duration(spec.timeout, "spec.timeout")
        v.length(spec.releaseName, min: 1, max: 53, "spec.releaseName")
        v.length(spec.targetNamespace, min: 1, max: 63, "spec.targetNamespace")
        v.length(spec.storageNamespace, min: 1, max: 63, "spec.storageNamespace")
        v.length(spec.serviceAccountName, min: 1, max: 253, "spec.serviceAccountName")
        if let chart = spec.chart {
            v.length(chart.spec.chart, min: 1, max: 2048, "spec.chart.spec.chart")
            validateReference(chart.spec.sourceRef, kinds: Self.chartSourceKinds, "spec.chart.spec.sourceRef", &v)
            v.duration(chart.spec.interval, "spec.chart.spec.interval")
            v.allowed(chart.spec.reconcileStrategy, "spec.chart.spec.reconcileStrategy")
            v.allowed(chart.spec.verify?.provider, "spec.chart.spec.verify.provider")
        }
        if let chartRef = spec.chartRef {
            validateReference(chartRef, kinds: Self.chartRefKinds, "spec.chartRef", &v)
        }
        for (i, dependency) in (spec.dependsOn ?? []).enumerated() {
            v.required(dependency.name, "spec.dependsOn[\(i)].name")
        }
        v.allowed(spec.driftDetection?.mode, "spec.driftDetection.mode")
        if let install = spec.install {
            v.duration(install.timeout, "spec.install.timeout")
            validateStrategy(install.strategy, "spec.install.strategy", retryIntervalAllowed: { $0 != .remediateOnFailure }, &v)
            v.allowed(install.crds, "spec.install.crds")
        }
        if let upgrade = spec.upgrade {
            v.duration(upgrade.timeout, "spec.upgrade.timeout")
            validateStrategy(upgrade.strategy, "spec.upgrade.strategy", retryIntervalAllowed: { $0 == .retryOnFailure }, &v)
            v.allowed(upgrade.remediation?.strategy, "spec.upgrade.remediation.strategy")
            v.allowed(upgrade.crds, "spec.upgrade.crds")
            v.allowed(upgrade.serverSideApply, "spec.upgrade.serverSideApply")
            v.allowed(upgrade.chartNameChangeStrategy, "spec.upgrade.chartNameChangeStrategy")
        }
        if let test = spec.test {
            v.duration(test.timeout, "spec.test.timeout")
            for (i, filter) in (test.filters ?? []).enumerated() {
                v.length(filter.name, min: 1, max: 253, "spec.test.filters[\(i)].name")
            }
        }
        if let rollback = spec.rollback {
            v.duration(rollback.timeout, "spec.rollback.timeout")
            v.allowed(rollback.serverSideApply, "spec.rollback.serverSideApply")
        }
        if let uninstall = spec.uninstall {
            v.duration(uninstall.timeout, "spec.uninstall.timeout")
            v.allowed(uninstall.deletionPropagation, "spec.uninstall.deletionPropagation")
        }
        for (i, ref) in (spec.valuesFrom ?? []).enumerated() {
            let path = "spec.valuesFrom[\(i)]"
            v.allowed(ref.kind, "\(path).kind")
            v.length(ref.name, min: 1, max: 253, "\(path).name")
            v.length(ref.valuesKey, max: 253, "\(path).valuesKey")
            v.characters(ref.valuesKey, "\(path).valuesKey", pattern: #"^[\-._a-zA-Z0-9]+$"#) {
                $0.isASCIIAlphanumeric || "-._".contains($0)
            }
            v.length(ref.targetPath, max: 250, "\(path).targetPath")
            if let targetPath = ref.targetPath, !Self.isValidTargetPath(targetPath) {
                v.fail("\(path).targetPath",
                       #"invalid value \#(quoted(targetPath)): must match ^([a-zA-Z0-9_\-.\\\/]|\[[0-9]{1,5}\])+$"#)
            }
        }
        v.allowed(spec.postRenderStrategy, "spec.postRenderStrategy")
        v.allowed(spec.waitStrategy?.name, "spec.waitStrategy.name")
        if let kubeConfig = spec.kubeConfig {
            v.check(kubeConfig.configMapRef == nil || kubeConfig.secretRef == nil, "spec.kubeConfig",
                    "configMapRef and secretRef are mutually exclusive")
        }
        return v.errors
    }

    private func validateReference(_ ref: CrossNamespaceSourceReference, kinds: [String], _ path: String,
                                   _ v: inout FieldValidator) {
        v.allowed(ref.kind, in: kinds, "\(path).kind")
        v.length(ref.name, min: 1, max: 253, "\(path).name")
        v.length(ref.namespace, min: 1, max: 63, "\(path).namespace")
    }

    private func validateStrategy(_ strategy: ActionStrategy?, _ path: String,
                                  retryIntervalAllowed: (ActionStrategyName) -> Bool, _ v: inout FieldValidator) {
        guard let strategy else { return }
        v.allowed(strategy.name, "\(path).name")
        v.duration(strategy.retryInterval, "\(path).retryInterval")
        if strategy.retryInterval != nil, !retryIntervalAllowed(strategy.name) {
            v.fail("\(path).retryInterval", "can only be set when \(path).name is 'RetryOnFailure'")
        }
    }

    /// `^([a-zA-Z0-9_\-.\\\/]|\[[0-9]{1,5}\])+$`.
    static func isValidTargetPath(_ path: String) -> Bool {
        let chars = Array(path)
        if chars.isEmpty { return false }
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c.isASCIIAlphanumeric || "_-.\\/".contains(c) {
                i += 1
            } else if c == "[" {
                var j = i + 1
                while j < chars.count, chars[j].isASCII, chars[j].isNumber { j += 1 }
                let digits = j - i - 1
                guard digits >= 1, digits <= 5, j < chars.count, chars[j] == "]" else { return false }
                i = j + 1
            } else {
                return false
            }
        }
        return true
    }
}
