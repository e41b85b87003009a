/// A path in a source artifact that kustomize-controller builds and applies, then prunes and health-checks
/// (`kustomize.toolkit.fluxcd.io/v1`, `Kustomization`).
public struct Kustomization: ReconcilableObject {
    public static let kind = GroupVersionKind(group: "kustomize.toolkit.fluxcd.io", version: "v1", kind: "Kustomization")
    public static let plural = "kustomizations"
    public static let shortNames = ["ks"]

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

extension Kustomization {
    public struct Spec: Codable, Hashable, Sendable {
        /// Labels and annotations added to every applied object.
        public var commonMetadata: CommonMetadata?
        /// Kustomizations that must be Ready first.
        public var dependsOn: [DependencyReference]?
        public var decryption: Decryption?
        public var interval: String
        /// Interval after a failed reconcile; default `interval`.
        public var retryInterval: String?
        /// Apply to a remote cluster.
        public var kubeConfig: KubeConfigReference?
        /// Path in the artifact; default its root.
        public var path: String?
        public var postBuild: PostBuild?
        /// Garbage-collect objects removed from the source.
        public var prune: Bool
        /// What deleting the Kustomization does to its objects; default `MirrorPrune`.
        public var deletionPolicy: DeletionPolicy?
        public var healthChecks: [NamespacedObjectKindReference]?
        public var namePrefix: String?
        public var nameSuffix: String?
        public var patches: [KustomizePatch]?
        public var images: [KustomizeImage]?
        /// Impersonate this ServiceAccount when applying.
        public var serviceAccountName: String?
        /// `OCIRepository`, `GitRepository`, `Bucket` or `ExternalArtifact`.
        public var sourceRef: CrossNamespaceSourceReference
        public var suspend: Bool?
        public var targetNamespace: String?
        /// Apply, health-check and prune timeout; default `interval − 30s`, at least 30s.
        public var timeout: String?
        /// Recreate objects whose immutable fields changed.
        public var force: Bool?
        /// Health-check every applied object (`healthChecks` is then ignored).
        public var wait: Bool?
        /// `originAnnotations`, `transformerAnnotations`.
        public var buildMetadata: [BuildMetadataOption]?
        public var components: [String]?
        public var ignoreMissingComponents: Bool?
        public var healthCheckExprs: [CustomHealthCheck]?
        /// Fields excluded from apply and drift detection.
        public var ignore: [IgnoreRule]?

        public init(sourceRef: CrossNamespaceSourceReference, interval: String, prune: Bool, path: String? = nil,
                    commonMetadata: CommonMetadata? = nil, dependsOn: [DependencyReference]? = nil,
                    decryption: Decryption? = nil, retryInterval: String? = nil,
                    kubeConfig: KubeConfigReference? = nil, postBuild: PostBuild? = nil,
                    deletionPolicy: DeletionPolicy? = nil, healthChecks: [NamespacedObjectKindReference]? = nil,
                    namePrefix: String? = nil, nameSuffix: String? = nil, patches: [KustomizePatch]? = nil,
                    images: [KustomizeImage]? = nil, serviceAccountName: String? = nil, suspend: Bool? = nil,
                    targetNamespace: String? = nil, timeout: String? = nil, force: Bool? = nil, wait: Bool? = nil,
                    buildMetadata: [BuildMetadataOption]? = nil, components: [String]? = nil,
                    ignoreMissingComponents: Bool? = nil, healthCheckExprs: [CustomHealthCheck]? = nil,
                    ignore: [IgnoreRule]? = nil) {
            self.commonMetadata = commonMetadata
            self.dependsOn = dependsOn
            self.decryption = decryption
            self.interval = interval
            self.retryInterval = retryInterval
            self.kubeConfig = kubeConfig
            self.path = path
            self.postBuild = postBuild
            self.prune = prune
            self.deletionPolicy = deletionPolicy
            self.healthChecks = healthChecks
            self.namePrefix = namePrefix
            self.nameSuffix = nameSuffix
            self.patches = patches
            self.images = images
            self.serviceAccountName = serviceAccountName
            self.sourceRef = sourceRef
            self.suspend = suspend
            self.targetNamespace = targetNamespace
            self.timeout = timeout
            self.force = force
            self.wait = wait
            self.buildMetadata = buildMetadata
            self.components = components
            self.ignoreMissingComponents = ignoreMissingComponents
            self.healthCheckExprs = healthCheckExprs
            self.ignore = ignore
        }
    }

    /// SOPS decryption settings.
    public struct Decryption: Codable, Hashable, Sendable {
        /// Only `sops`.
        public var provider: String
        public var serviceAccountName: String?
        /// Keys (`*.agekey`, `*.asc`, `sops.aws-kms`, …).
        public var secretRef: LocalObjectReference?

        public init(provider: String = "sops", serviceAccountName: String? = nil,
                    secretRef: LocalObjectReference? = nil) {
            self.provider = provider
            self.serviceAccountName = serviceAccountName
            self.secretRef = secretRef
        }
    }

    /// Variable substitution after the build.
    public struct PostBuild: Codable, Hashable, Sendable {
        /// Default `WithVariables`.
        public var substituteStrategy: SubstituteStrategy?
        /// Inline variables; they win over `substituteFrom`.
        public var substitute: [String: String]?
        /// ConfigMaps/Secrets whose data are variables, later ones winning.
        public var substituteFrom: [SubstituteReference]?

        public init(substituteStrategy: SubstituteStrategy? = nil, substitute: [String: String]? = nil,
                    substituteFrom: [SubstituteReference]? = nil) {
            self.substituteStrategy = substituteStrategy
            self.substitute = substitute
            self.substituteFrom = substituteFrom
        }
    }

    public struct SubstituteReference: Codable, Hashable, Sendable {
        public var kind: ConfigReferenceKind
        public var name: String
        /// A missing object is skipped.
        public var optional: Bool?

        public init(kind: ConfigReferenceKind, name: String, optional: Bool? = nil) {
            self.kind = kind
            self.name = name
            self.optional = optional
        }
    }

    public struct Status: FluxStatus {
        public var lastHandledReconcileAt: String?
        public var observedGeneration: Int64?
        public var conditions: [Condition]?
        public var lastAppliedRevision: String?
        /// The source's origin revision (OCI `org.opencontainers.image.revision`).
        public var lastAppliedOriginRevision: String?
        public var lastAttemptedRevision: String?
        public var inventory: ResourceInventory?
        /// The latest distinct build results, newest first.
        public var history: [ReconcileSnapshot]?

        public init() {}
    }

    /// `MirrorPrune`, `Delete`, `WaitForTermination` or `Orphan`.
    public struct DeletionPolicy: FluxEnum {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        /// Delete the objects when `prune` is true.
        public static let mirrorPrune: Self = "MirrorPrune"
        public static let delete: Self = "Delete"
        /// Delete and wait until they are gone (up to `timeout`).
        public static let waitForTermination: Self = "WaitForTermination"
        public static let orphan: Self = "Orphan"
        public static var allowedValues: [Self] { [.mirrorPrune, .delete, .waitForTermination, .orphan] }
    }

    /// `WithVariables` (substitute only when a variable resolves) or `Always`.
    public struct SubstituteStrategy: FluxEnum {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static let withVariables: Self = "WithVariables"
        public static let always: Self = "Always"
        public static var allowedValues: [Self] { [.withVariables, .always] }
    }

    /// Kustomize `buildMetadata` options.
    public struct BuildMetadataOption: FluxEnum {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static let originAnnotations: Self = "originAnnotations"
        public static let transformerAnnotations: Self = "transformerAnnotations"
        public static var allowedValues: [Self] { [.originAnnotations, .transformerAnnotations] }
    }

    /// The source kinds a Kustomization may reference.
    public static let sourceKinds = ["OCIRepository", "GitRepository", "Bucket", "ExternalArtifact"]
}

extension Kustomization: Codable {
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
