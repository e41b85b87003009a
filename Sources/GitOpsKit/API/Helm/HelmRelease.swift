/// A Helm release helm-controller installs, upgrades, tests and remediates (`helm.toolkit.fluxcd.io/v2`,
/// `HelmRelease`). Exactly one of `spec.chart` (a generated HelmChart) and `spec.chartRef` is set.
public struct HelmRelease: ReconcilableObject {
    public static let kind = GroupVersionKind(group: "helm.toolkit.fluxcd.io", version: "v2", kind: "HelmRelease")
    public static let plural = "helmreleases"
    public static let shortNames = ["hr"]

    public var metadata: ObjectMeta
    public var spec: Spec
    public var status: Status?

    public init(metadata: ObjectMeta, spec: Spec, status: Status? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    public var isSuspended: Bool { spec.suspend ?? false }
}

extension HelmRelease {
    public struct Spec: Codable, Hashable, Sendable {
        /// Template of the HelmChart helm-controller creates (`<namespace>-<name>`).
        public var chart: ChartTemplate?
        /// An existing `OCIRepository`, `HelmChart` or `ExternalArtifact` holding the chart.
        public var chartRef: CrossNamespaceSourceReference?
        public var interval: String
        /// Install into a remote cluster.
        public var kubeConfig: KubeConfigReference?
        public var suspend: Bool?
        /// At most 53 characters; default `[targetNamespace-]name`.
        public var releaseName: String?
        /// The namespace of the release; default the HelmRelease's.
        public var targetNamespace: String?
        /// Where Helm stores release Secrets; default the HelmRelease's namespace.
        public var storageNamespace: String?
        public var dependsOn: [DependencyReference]?
        /// Default timeout of every Helm action; default `5m0s`.
        public var timeout: String?
        /// Release revisions kept; default 5, 0 means unlimited.
        public var maxHistory: Int?
        /// Impersonate this ServiceAccount.
        public var serviceAccountName: String?
        /// Reuse one Kubernetes client per release; default true.
        public var persistentClient: Bool?
        public var driftDetection: DriftDetection?
        public var install: Install?
        public var upgrade: Upgrade?
        public var test: Test?
        public var rollback: Rollback?
        public var uninstall: Uninstall?
        /// Values merged in order before `values`.
        public var valuesFrom: [ValuesReference]?
        /// Inline values (any JSON).
        public var values: JSONValue?
        public var commonMetadata: CommonMetadata?
        public var postRenderers: [PostRenderer]?
        /// `nohooks`, `combined` (default) or `separate`.
        public var postRenderStrategy: PostRenderStrategy?
        public var waitStrategy: WaitStrategy?
        public var healthCheckExprs: [CustomHealthCheck]?

        public init(interval: String, chart: ChartTemplate? = nil, chartRef: CrossNamespaceSourceReference? = nil,
                    kubeConfig: KubeConfigReference? = nil, suspend: Bool? = nil, releaseName: String? = nil,
                    targetNamespace: String? = nil, storageNamespace: String? = nil,
                    dependsOn: [DependencyReference]? = nil, timeout: String? = nil, maxHistory: Int? = nil,
                    serviceAccountName: String? = nil, persistentClient: Bool? = nil,
                    driftDetection: DriftDetection? = nil, install: Install? = nil, upgrade: Upgrade? = nil,
                    test: Test? = nil, rollback: Rollback? = nil, uninstall: Uninstall? = nil,
                    valuesFrom: [ValuesReference]? = nil, values: JSONValue? = nil,
                    commonMetadata: CommonMetadata? = nil, postRenderers: [PostRenderer]? = nil,
                    postRenderStrategy: PostRenderStrategy? = nil, waitStrategy: WaitStrategy? = nil,
                    healthCheckExprs: [CustomHealthCheck]? = nil) {
            self.chart = chart
            self.chartRef = chartRef
            self.interval = interval
            self.kubeConfig = kubeConfig
            self.suspend = suspend
            self.releaseName = releaseName
            self.targetNamespace = targetNamespace
            self.storageNamespace = storageNamespace
            self.dependsOn = dependsOn
            self.timeout = timeout
            self.maxHistory = maxHistory
            self.serviceAccountName = serviceAccountName
            self.persistentClient = persistentClient
            self.driftDetection = driftDetection
            self.install = install
            self.upgrade = upgrade
            self.test = test
            self.rollback = rollback
            self.uninstall = uninstall
            self.valuesFrom = valuesFrom
            self.values = values
            self.commonMetadata = commonMetadata
            self.postRenderers = postRenderers
            self.postRenderStrategy = postRenderStrategy
            self.waitStrategy = waitStrategy
            self.healthCheckExprs = healthCheckExprs
        }
    }

    /// The HelmChart helm-controller generates for `spec.chart`.
    public struct ChartTemplate: Codable, Hashable, Sendable {
        public var metadata: ChartTemplateMetadata?
        public var spec: ChartTemplateSpec

        public init(metadata: ChartTemplateMetadata? = nil, spec: ChartTemplateSpec) {
            self.metadata = metadata
            self.spec = spec
        }
    }

    public struct ChartTemplateMetadata: Codable, Hashable, Sendable {
        public var labels: [String: String]?
        public var annotations: [String: String]?

        public init(labels: [String: String]? = nil, annotations: [String: String]? = nil) {
            self.labels = labels
            self.annotations = annotations
        }
    }

    public struct ChartTemplateSpec: Codable, Hashable, Sendable {
        /// Chart name (HelmRepository) or path (GitRepository/Bucket), 1–2048 characters.
        public var chart: String
        /// SemVer version or range; default `*`.
        public var version: String?
        /// `HelmRepository`, `GitRepository` or `Bucket`; namespace defaults to the HelmRelease's.
        public var sourceRef: CrossNamespaceSourceReference
        /// Default the HelmRelease's interval.
        public var interval: String?
        public var reconcileStrategy: HelmChart.ReconcileStrategy?
        public var valuesFiles: [String]?
        public var ignoreMissingValuesFiles: Bool?
        public var verify: ChartVerification?

        public init(chart: String, sourceRef: CrossNamespaceSourceReference, version: String? = nil,
                    interval: String? = nil, reconcileStrategy: HelmChart.ReconcileStrategy? = nil,
                    valuesFiles: [String]? = nil, ignoreMissingValuesFiles: Bool? = nil,
                    verify: ChartVerification? = nil) {
            self.chart = chart
            self.version = version
            self.sourceRef = sourceRef
            self.interval = interval
            self.reconcileStrategy = reconcileStrategy
            self.valuesFiles = valuesFiles
            self.ignoreMissingValuesFiles = ignoreMissingValuesFiles
            self.verify = verify
        }
    }

    /// Chart signature verification in the template (`cosign` or `notation`).
    public struct ChartVerification: Codable, Hashable, Sendable {
        public var provider: VerificationProvider?
        public var secretRef: LocalObjectReference?

        public init(provider: VerificationProvider? = nil, secretRef: LocalObjectReference? = nil) {
            self.provider = provider
            self.secretRef = secretRef
        }
    }

    public struct DriftDetection: Codable, Hashable, Sendable {
        /// `enabled`, `warn` or `disabled` (default).
        public var mode: DriftDetectionMode?
        public var ignore: [IgnoreRule]?

        public init(mode: DriftDetectionMode? = nil, ignore: [IgnoreRule]? = nil) {
            self.mode = mode
            self.ignore = ignore
        }
    }

    /// A post-render step; only kustomize exists.
    public struct PostRenderer: Codable, Hashable, Sendable {
        public var kustomize: KustomizePostRenderer?

        public init(kustomize: KustomizePostRenderer? = nil) { self.kustomize = kustomize }
    }

    public struct KustomizePostRenderer: Codable, Hashable, Sendable {
        public var patches: [KustomizePatch]?
        public var images: [KustomizeImage]?

        public init(patches: [KustomizePatch]? = nil, images: [KustomizeImage]? = nil) {
            self.patches = patches
            self.images = images
        }
    }

    public struct WaitStrategy: Codable, Hashable, Sendable {
        /// `poller` (kstatus) or `legacy` (Helm's own wait).
        public var name: WaitStrategyName

        public init(name: WaitStrategyName) { self.name = name }
    }

    /// The source kinds `spec.chart.spec.sourceRef` may name.
    public static let chartSourceKinds = ["HelmRepository", "GitRepository", "Bucket"]
    /// The kinds `spec.chartRef` may name.
    public static let chartRefKinds = ["OCIRepository", "HelmChart", "ExternalArtifact"]
}

extension HelmRelease: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try Self.topLevelContainer(decoder)
        metadata = try c.decodeIfPresent(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta()
        spec = try c.decode(Spec.self, forKey: .spec)
        status = try c.decodeIfPresent(Status.self, forKey: .status)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = try Self.topLevelContainer(encoder)
        try c.encode(metadata, forKey: .metadata)
        try c.encode(spec, forKey: .spec)
        try c.encodeIfPresent(status, forKey: .status)
    }
}
