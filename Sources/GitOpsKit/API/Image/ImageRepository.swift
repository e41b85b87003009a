/// A container image repository whose tags are scanned (`image.toolkit.fluxcd.io/v1`, `ImageRepository`).
public struct ImageRepository: ReconcilableObject {
    public static let kind = GroupVersionKind(group: "image.toolkit.fluxcd.io", version: "v1", kind: "ImageRepository")
    public static let plural = "imagerepositories"
    public static let shortNames = ["imgrepo", "imagerepo"]

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

extension ImageRepository {
    public struct Spec: Codable, Hashable, Sendable {
        /// The image without tag, e.g. `ghcr.io/stefanprodan/podinfo`.
        public var image: String
        public var interval: String
        /// Scan timeout; default `interval`.
        public var timeout: String?
        /// A `kubernetes.io/dockerconfigjson` Secret.
        public var secretRef: LocalObjectReference?
        public var proxySecretRef: LocalObjectReference?
        public var serviceAccountName: String?
        public var certSecretRef: LocalObjectReference?
        public var suspend: Bool?
        /// Namespaces whose ImagePolicies may refer to this repository.
        public var accessFrom: AccessFrom?
        /// Tag regexes to ignore; default `["^.*\\.sig$"]`, at most 25.
        public var exclusionList: [String]?
        /// Default `generic`.
        public var provider: CloudProvider?
        /// Plain HTTP.
        public var insecure: Bool?

        public init(image: String, interval: String, timeout: String? = nil, secretRef: LocalObjectReference? = nil,
                    proxySecretRef: LocalObjectReference? = nil, serviceAccountName: String? = nil,
                    certSecretRef: LocalObjectReference? = nil, suspend: Bool? = nil, accessFrom: AccessFrom? = nil,
                    exclusionList: [String]? = nil, provider: CloudProvider? = nil, insecure: Bool? = nil) {
            self.image = image
            self.interval = interval
            self.timeout = timeout
            self.secretRef = secretRef
            self.proxySecretRef = proxySecretRef
            self.serviceAccountName = serviceAccountName
            self.certSecretRef = certSecretRef
            self.suspend = suspend
            self.accessFrom = accessFrom
            self.exclusionList = exclusionList
            self.provider = provider
            self.insecure = insecure
        }
    }

    public struct ScanResult: Codable, Hashable, Sendable {
        /// A hash of the tag list: changes when the tags change.
        public var revision: String?
        public var tagCount: Int
        public var scanTime: KubeTime?
        /// Up to 10 tags, sorted descending.
        public var latestTags: [String]?

        public init(revision: String? = nil, tagCount: Int, scanTime: KubeTime? = nil, latestTags: [String]? = nil) {
            self.revision = revision
            self.tagCount = tagCount
            self.scanTime = scanTime
            self.latestTags = latestTags
        }
    }

    public struct Status: FluxStatus {
        public var conditions: [Condition]?
        public var observedGeneration: Int64?
        /// E.g. `docker.io/library/alpine`.
        public var canonicalImageName: String?
        public var lastScanResult: ScanResult?
        public var observedExclusionList: [String]?
        public var lastHandledReconcileAt: String?

        public init() {}
    }
}

extension ImageRepository: Codable {
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

extension ImageRepository {
    public static let defaultExclusionList = [#"^.*\.sig$"#]

    /// `spec.interval`.
    public var interval: FluxDuration {
        get throws(FluxFieldError) { try .field(spec.interval, at: "spec.interval") }
    }

    /// `spec.timeout`, default `interval`; at least 1s (`GetTimeout`).
    public var timeout: FluxDuration {
        get throws(FluxFieldError) {
            let value: FluxDuration
            if let text = spec.timeout {
                value = try .field(text, at: "spec.timeout")
            } else {
                value = try interval
            }
            return max(value, .seconds(1))
        }
    }

    /// `spec.exclusionList`, default `["^.*\\.sig$"]` (an empty list also means the default).
    public var exclusionList: [String] {
        guard let list = spec.exclusionList, !list.isEmpty else { return Self.defaultExclusionList }
        return list
    }

    /// `spec.provider`, default `generic`.
    public var provider: CloudProvider { spec.provider ?? .generic }

    public func validate() -> [FluxFieldError] {
        var v = FieldValidator()
        v.required(spec.image, "spec.image")
        v.duration(spec.interval, "spec.interval")
        v.duration(spec.timeout, "spec.timeout", allowHours: false)
        v.length(spec.serviceAccountName, max: 253, "spec.serviceAccountName")
        v.maxItems(spec.exclusionList, 25, "spec.exclusionList")
        v.allowed(spec.provider, "spec.provider")
        return v.errors
    }
}
