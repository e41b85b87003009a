/// A Helm chart repository (HTTP index or OCI registry) (`source.toolkit.fluxcd.io/v1`, `HelmRepository`).
///
/// An HTTP repository produces the index as an artifact; `type: oci` produces none and only holds connection
/// settings for HelmCharts.
public struct HelmRepository: FluxSource {
    public static let kind = GroupVersionKind(group: "source.toolkit.fluxcd.io", version: "v1", kind: "HelmRepository")
    public static let plural = "helmrepositories"
    public static let shortNames = ["helmrepo"]

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

extension HelmRepository {
    public struct Spec: Codable, Hashable, Sendable {
        /// `http://`, `https://` or `oci://` address.
        public var url: String
        /// `username`/`password` (and deprecated `certFile`/`keyFile`/`caFile`).
        public var secretRef: LocalObjectReference?
        /// `tls.crt`, `tls.key`, `ca.crt` for mutual TLS.
        public var certSecretRef: LocalObjectReference?
        /// Send credentials to hosts other than the repository's (chart URLs elsewhere).
        public var passCredentials: Bool?
        /// How often to fetch the index; optional for OCI.
        public var interval: String?
        /// Plain HTTP for OCI registries.
        public var insecure: Bool?
        /// Timeout of index downloads and OCI operations; default `60s`.
        public var timeout: String?
        public var suspend: Bool?
        /// Provisional and not implemented by Flux.
        public var accessFrom: AccessFrom?
        /// `default` (HTTP index) or `oci`.
        public var type: RepositoryType?
        /// Cloud authentication for OCI; default `generic`.
        public var provider: CloudProvider?

        public init(url: String, interval: String? = nil, secretRef: LocalObjectReference? = nil,
                    certSecretRef: LocalObjectReference? = nil, passCredentials: Bool? = nil, insecure: Bool? = nil,
                    timeout: String? = nil, suspend: Bool? = nil, accessFrom: AccessFrom? = nil,
                    type: RepositoryType? = nil, provider: CloudProvider? = nil) {
            self.url = url
            self.secretRef = secretRef
            self.certSecretRef = certSecretRef
            self.passCredentials = passCredentials
            self.interval = interval
            self.insecure = insecure
            self.timeout = timeout
            self.suspend = suspend
            self.accessFrom = accessFrom
            self.type = type
            self.provider = provider
        }
    }

    public struct Status: FluxStatus {
        public var observedGeneration: Int64?
        public var conditions: [Condition]?
        /// The address consumers fetch charts from (the index artifact's URL for HTTP repositories).
        public var url: String?
        public var artifact: Artifact?
        public var lastHandledReconcileAt: String?

        public init() {}
    }

    /// `default` (HTTP/S `index.yaml`) or `oci`.
    public struct RepositoryType: FluxEnum {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static let `default`: Self = "default"
        public static let oci: Self = "oci"
        public static var allowedValues: [Self] { [.default, .oci] }
    }
}

/// `generic`, `aws`, `azure` or `gcp`: cloud workload identity for registries.
public struct CloudProvider: FluxEnum {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let generic: Self = "generic"
    public static let aws: Self = "aws"
    public static let azure: Self = "azure"
    public static let gcp: Self = "gcp"
    public static var allowedValues: [Self] { [.generic, .aws, .azure, .gcp] }
}

extension HelmRepository: Codable {
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

extension HelmRepository {
    public static let defaultTimeout = FluxDuration.seconds(60)

    /// `spec.interval`; nil when unset (allowed for OCI repositories).
    public var interval: FluxDuration? {
        get throws(FluxFieldError) {
            guard let text = spec.interval else { return nil }
            return try .field(text, at: "spec.interval")
        }
    }

    /// `spec.timeout`, default 60s.
    public var timeout: FluxDuration {
        get throws(FluxFieldError) {
            guard let text = spec.timeout else { return Self.defaultTimeout }
            return try .field(text, at: "spec.timeout")
        }
    }

    /// `spec.type`, default `default`.
    public var repositoryType: RepositoryType { spec.type ?? .default }

    /// `spec.provider`, default `generic`.
    public var provider: CloudProvider { spec.provider ?? .generic }

    /// Whether this is an OCI repository (no artifact is produced).
    public var isOCI: Bool { repositoryType == .oci }

    public func validate() -> [FluxFieldError] {
        var v = FieldValidator()
        v.urlScheme(spec.url, ["http", "https", "oci"], "spec.url")
        v.duration(spec.interval, "spec.interval")
        v.duration(spec.timeout, "spec.timeout", allowHours: false)
        v.allowed(spec.type, "spec.type")
        v.allowed(spec.provider, "spec.provider")
        return v.errors
    }
}
