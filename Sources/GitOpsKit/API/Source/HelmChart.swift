/// A Helm chart pulled from a HelmRepository or packaged from a GitRepository/Bucket path
/// (`source.toolkit.fluxcd.io/v1`, `HelmChart`). helm-controller generates one per HelmRelease `spec.chart`.
public struct HelmChart: FluxSource {
    public static let kind = GroupVersionKind(group: "source.toolkit.fluxcd.io", version: "v1", kind: "HelmChart")
    public static let plural = "helmcharts"
    public static let shortNames = ["hc"]

    public var metadata: ObjectMeta
    public var spec: Spec
    public var status: Status?

    public init(metadata: ObjectMeta, spec: Spec, status: Status? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    public var isSuspended: Bool { spec.suspend ?? false }
    public var artifact: Artifact? { status?.artifact }
}

extension HelmChart {
    public struct Spec: Codable, Hashable, Sendable {
        /// The chart name in a HelmRepository, or its path in a GitRepository/Bucket.
        public var chart: String
        /// A SemVer version or range; default `*`. Ignored for Git and Bucket sources.
        public var version: String?
        public var sourceRef: SourceReference
        public var interval: String
        /// `ChartVersion` (default) or `Revision`: what change produces a new artifact.
        public var reconcileStrategy: ReconcileStrategy?
        /// Values files merged in order (last wins) into the packaged chart's `values.yaml`.
        public var valuesFiles: [String]?
        public var ignoreMissingValuesFiles: Bool?
        public var suspend: Bool?
        /// Signature verification; OCI HelmRepository sources only.
        public var verify: OCIVerification?

        public init(chart: String, sourceRef: SourceReference, interval: String, version: String? = nil,
                    reconcileStrategy: ReconcileStrategy? = nil, valuesFiles: [String]? = nil,
                    ignoreMissingValuesFiles: Bool? = nil, suspend: Bool? = nil, verify: OCIVerification? = nil) {
            self.chart = chart
            self.version = version
            self.sourceRef = sourceRef
            self.interval = interval
            self.reconcileStrategy = reconcileStrategy
            self.valuesFiles = valuesFiles
            self.ignoreMissingValuesFiles = ignoreMissingValuesFiles
            self.suspend = suspend
            self.verify = verify
        }
    }

    /// The source in the same namespace: `HelmRepository`, `GitRepository` or `Bucket`.
    public struct SourceReference: Codable, Hashable, Sendable {
        public var apiVersion: String?
        public var kind: String
        public var name: String

        public init(apiVersion: String? = nil, kind: String, name: String) {
            self.apiVersion = apiVersion
            self.kind = kind
            self.name = name
        }

        public static let allowedKinds = ["HelmRepository", "GitRepository", "Bucket"]
    }

    public struct Status: FluxStatus {
        public var observedGeneration: Int64?
        /// The source artifact revision the chart was last built from.
        public var observedSourceArtifactRevision: String?
        public var observedChartName: String?
        public var observedValuesFiles: [String]?
        public var conditions: [Condition]?
        public var url: String?
        public var artifact: Artifact?
        public var lastHandledReconcileAt: String?

        public init() {}
    }

    /// `ChartVersion` or `Revision`.
    public struct ReconcileStrategy: FluxEnum {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        /// A new artifact when the chart version changes.
        public static let chartVersion: Self = "ChartVersion"
        /// A new artifact on every new source revision.
        public static let revision: Self = "Revision"
        public static var allowedValues: [Self] { [.chartVersion, .revision] }
    }
}

/// Signature verification of an OCI artifact (`cosign` or `notation`).
public struct OCIVerification: Codable, Hashable, Sendable {
    /// Default `cosign`.
    public var provider: VerificationProvider?
    /// Public keys; omitted: keyless verification.
    public var secretRef: LocalObjectReference?
    /// Keyless: OIDC issuer/subject regexes, one of which must match.
    public var matchOIDCIdentity: [OIDCIdentityMatch]?

    public init(provider: VerificationProvider? = nil, secretRef: LocalObjectReference? = nil,
                matchOIDCIdentity: [OIDCIdentityMatch]? = nil) {
        self.provider = provider
        self.secretRef = secretRef
        self.matchOIDCIdentity = matchOIDCIdentity
    }

    public struct OIDCIdentityMatch: Codable, Hashable, Sendable {
        public var issuer: String
        public var subject: String

        public init(issuer: String, subject: String) {
            self.issuer = issuer
            self.subject = subject
        }
    }
}

/// `cosign` or `notation`.
public struct VerificationProvider: FluxEnum {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let cosign: Self = "cosign"
    public static let notation: Self = "notation"
    public static var allowedValues: [Self] { [.cosign, .notation] }
}

extension HelmChart: Codable {
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

// MARK: - Defaults and validation

extension HelmChart {
    /// `spec.interval`.
    public var interval: FluxDuration {
        get throws(FluxFieldError) { try .field(spec.interval, at: "spec.interval") }
    }

    /// `spec.version`, default `*` (any version; the latest).
    public var version: String { spec.version.nonEmpty ?? "*" }

    /// `spec.reconcileStrategy`, default `ChartVersion`.
    public var reconcileStrategy: ReconcileStrategy { spec.reconcileStrategy ?? .chartVersion }

    public func validate() -> [FluxFieldError] {
        var v = FieldValidator()
        v.required(spec.chart, "spec.chart")
        v.allowed(spec.sourceRef.kind, in: SourceReference.allowedKinds, "spec.sourceRef.kind")
        v.required(spec.sourceRef.name, "spec.sourceRef.name")
        v.duration(spec.interval, "spec.interval")
        v.allowed(spec.reconcileStrategy, "spec.reconcileStrategy")
        if let verify = spec.verify {
            v.allowed(verify.provider, "spec.verify.provider")
            v.check(spec.sourceRef.kind == "HelmRepository", "spec.verify",
                    "only supported when spec.sourceRef.kind is 'HelmRepository'")
        }
        return v.errors
    }
}
