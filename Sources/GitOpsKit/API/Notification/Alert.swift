/// Routes events of selected Flux objects to a Provider (`notification.toolkit.fluxcd.io/v1beta3`, `Alert`).
/// It has no status: notification-controller reads it when an event arrives.
public struct Alert: FluxObject {
    public static let kind = GroupVersionKind(group: "notification.toolkit.fluxcd.io", version: "v1beta3", kind: "Alert")
    public static let plural = "alerts"
    public static let shortNames: [String] = []

    public var metadata: ObjectMeta
    public var spec: Spec

    public init(metadata: ObjectMeta, spec: Spec) {
        self.metadata = metadata
        self.spec = spec
    }

    public var isSuspended: Bool { spec.suspend ?? false }
}

extension Alert {
    public struct Spec: Codable, Hashable, Sendable {
        public var providerRef: LocalObjectReference
        /// `info` (default: every event) or `error` (errors only).
        public var eventSeverity: EventSeverity?
        /// Objects whose events are sent; `name: "*"` selects all of a kind.
        public var eventSources: [CrossNamespaceObjectReference]
        /// Go regular expressions; an event must match one of them (when set).
        public var inclusionList: [String]?
        /// Added to event metadata; never overrides existing keys.
        public var eventMetadata: [String: String]?
        /// Go regular expressions; matching events are dropped.
        public var exclusionList: [String]?
        /// Deprecated: use `eventMetadata`.
        public var summary: String?
        public var suspend: Bool?

        public init(providerRef: LocalObjectReference, eventSources: [CrossNamespaceObjectReference],
                    eventSeverity: EventSeverity? = nil, inclusionList: [String]? = nil,
                    eventMetadata: [String: String]? = nil, exclusionList: [String]? = nil, summary: String? = nil,
                    suspend: Bool? = nil) {
            self.providerRef = providerRef
            self.eventSeverity = eventSeverity
            self.eventSources = eventSources
            self.inclusionList = inclusionList
            self.eventMetadata = eventMetadata
            self.exclusionList = exclusionList
            self.summary = summary
            self.suspend = suspend
        }
    }

    /// `info` or `error`.
    public struct EventSeverity: FluxEnum {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static let info: Self = "info"
        public static let error: Self = "error"
        public static var allowedValues: [Self] { [.info, .error] }
    }

    /// The kinds an event source may name.
    public static let eventSourceKinds = [
        "Bucket", "GitRepository", "Kustomization", "HelmRelease", "HelmChart", "HelmRepository", "ImageRepository",
        "ImagePolicy", "ImageUpdateAutomation", "OCIRepository", "ArtifactGenerator", "ExternalArtifact",
    ]
}

extension Alert: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try Self.topLevelContainer(decoder)
        metadata = try c.decodeIfPresent(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta()
        spec = try c.decode(Spec.self, forKey: .spec)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = try Self.topLevelContainer(encoder)
        try c.encode(metadata, forKey: .metadata)
        try c.encode(spec, forKey: .spec)
    }
}

// MARK: - Defaults and validation

extension Alert {
    /// `spec.eventSeverity`, default `info`.
    public var eventSeverity: EventSeverity { spec.eventSeverity ?? .info }

    public func validate() -> [FluxFieldError] {
        var v = FieldValidator()
        v.required(spec.providerRef.name, "spec.providerRef.name")
        v.allowed(spec.eventSeverity, "spec.eventSeverity")
        v.length(spec.summary, max: 255, "spec.summary")
        for (i, source) in spec.eventSources.enumerated() {
            validateObjectReference(source, "spec.eventSources[\(i)]", &v)
        }
        return v.errors
    }
}

/// The rules of a notification `CrossNamespaceObjectReference` (Alert event sources, Receiver resources).
func validateObjectReference(_ ref: CrossNamespaceObjectReference, _ path: String, _ v: inout FieldValidator) {
    v.allowed(ref.kind, in: Alert.eventSourceKinds, "\(path).kind")
    v.length(ref.name, min: 1, max: 253, "\(path).name")
    v.length(ref.namespace, min: 1, max: 253, "\(path).namespace")
}
