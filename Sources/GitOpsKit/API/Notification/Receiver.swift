/// An incoming webhook that requests reconciliation of Flux objects (`notification.toolkit.fluxcd.io/v1`,
/// `Receiver`). Its URL path is `status.webhookPath`, `/hook/<sha256(token+name+namespace)>`.
public struct Receiver: ReconcilableObject {
    public static let kind = GroupVersionKind(group: "notification.toolkit.fluxcd.io", version: "v1", kind: "Receiver")
    public static let plural = "receivers"
    public static let shortNames: [String] = []

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

extension Receiver {
    public struct Spec: Codable, Hashable, Sendable {
        public var type: ReceiverType
        /// How often the receiver is reconciled; default `10m`.
        public var interval: String?
        /// Accepted event types (`push`, `Push Hook`, …); empty: all.
        public var events: [String]?
        /// The objects annotated with `reconcile.fluxcd.io/requestedAt` on a valid request.
        public var resources: [Resource]
        /// CEL over `res` and `req` (and `claims` for `generic-oidc`) selecting resources.
        public var resourceFilter: String?
        /// A Secret with `token`; required except for `generic-oidc`.
        public var secretRef: LocalObjectReference?
        /// Only for `generic-oidc`.
        public var oidcProviders: [OIDCProvider]?
        public var suspend: Bool?

        public init(type: ReceiverType, resources: [Resource], secretRef: LocalObjectReference? = nil,
                    interval: String? = nil, events: [String]? = nil, resourceFilter: String? = nil,
                    oidcProviders: [OIDCProvider]? = nil, suspend: Bool? = nil) {
            self.type = type
            self.interval = interval
            self.events = events
            self.resources = resources
            self.resourceFilter = resourceFilter
            self.secretRef = secretRef
            self.oidcProviders = oidcProviders
            self.suspend = suspend
        }
    }

    /// An object (or `*` with `matchLabels`) to reconcile, optionally filtered by a CEL expression.
    public struct Resource: Codable, Hashable, Sendable {
        public var apiVersion: String?
        public var kind: String
        public var name: String
        public var namespace: String?
        public var matchLabels: [String: String]?
        /// CEL over `res` and `req`: reconcile only when true.
        public var filter: String?

        public init(apiVersion: String? = nil, kind: String, name: String, namespace: String? = nil,
                    matchLabels: [String: String]? = nil, filter: String? = nil) {
            self.apiVersion = apiVersion
            self.kind = kind
            self.name = name
            self.namespace = namespace
            self.matchLabels = matchLabels
            self.filter = filter
        }

        /// The reference without the filter.
        public var reference: CrossNamespaceObjectReference {
            CrossNamespaceObjectReference(apiVersion: apiVersion, kind: kind, name: name, namespace: namespace,
                                          matchLabels: matchLabels)
        }
    }

    /// An OIDC issuer trusted by a `generic-oidc` receiver.
    public struct OIDCProvider: Codable, Hashable, Sendable {
        /// `http://` or `https://` issuer URL.
        public var issuerURL: String
        /// Default `notification-controller`.
        public var audience: String?
        public var variables: [Variable]?
        /// At least one.
        public var validations: [Validation]

        public init(issuerURL: String, validations: [Validation], audience: String? = nil,
                    variables: [Variable]? = nil) {
            self.issuerURL = issuerURL
            self.audience = audience
            self.variables = variables
            self.validations = validations
        }

        /// `audience`, default `notification-controller`.
        public var effectiveAudience: String { audience.nonEmpty ?? "notification-controller" }

        public struct Variable: Codable, Hashable, Sendable {
            public var name: String
            public var expression: String

            public init(name: String, expression: String) {
                self.name = name
                self.expression = expression
            }
        }

        public struct Validation: Codable, Hashable, Sendable {
            public var expression: String
            public var message: String

            public init(expression: String, message: String) {
                self.expression = expression
                self.message = message
            }
        }
    }

    public struct Status: FluxStatus {
        public var lastHandledReconcileAt: String?
        public var conditions: [Condition]?
        /// `/hook/<sha256 hex of token+name+namespace>`.
        public var webhookPath: String?
        public var observedGeneration: Int64?

        public init() {}
    }

    public struct ReceiverType: FluxEnum {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static let generic: Self = "generic"
        public static let genericHMAC: Self = "generic-hmac"
        public static let genericOIDC: Self = "generic-oidc"
        public static let github: Self = "github"
        public static let gitlab: Self = "gitlab"
        public static let bitbucket: Self = "bitbucket"
        public static let harbor: Self = "harbor"
        public static let dockerhub: Self = "dockerhub"
        public static let quay: Self = "quay"
        public static let gcr: Self = "gcr"
        public static let nexus: Self = "nexus"
        public static let acr: Self = "acr"
        public static let cdevents: Self = "cdevents"
        public static var allowedValues: [Self] {
            [.generic, .genericHMAC, .genericOIDC, .github, .gitlab, .bitbucket, .harbor, .dockerhub, .quay, .gcr,
             .nexus, .acr, .cdevents]
        }
    }
}

extension Receiver: Codable {
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

extension Receiver {
    public static let defaultInterval = FluxDuration.minutes(10)
    /// The prefix of every webhook path.
    public static let webhookPathPrefix = "/hook/"

    /// `spec.interval`, default 10m.
    public var interval: FluxDuration {
        get throws(FluxFieldError) {
            guard let text = spec.interval else { return Self.defaultInterval }
            return try .field(text, at: "spec.interval")
        }
    }

    public func validate() -> [FluxFieldError] {
        var v = FieldValidator()
        v.allowed(spec.type, "spec.type")
        v.duration(spec.interval, "spec.interval")
        for (i, resource) in spec.resources.enumerated() {
            validateObjectReference(resource.reference, "spec.resources[\(i)]", &v)
        }
        let isOIDC = spec.type == .genericOIDC
        let providers = spec.oidcProviders ?? []
        if isOIDC {
            v.check(!providers.isEmpty, "spec.oidcProviders", "generic-oidc receivers must define at least one oidcProvider")
            v.check(spec.secretRef == nil, "spec.secretRef", "cannot be set when type is generic-oidc")
        } else {
            v.check(providers.isEmpty, "spec.oidcProviders", "can only be set when type is generic-oidc")
            v.check(spec.secretRef != nil, "spec.secretRef", "required when type is not generic-oidc")
        }
        var issuers: Set<String> = []
        for (i, provider) in providers.enumerated() {
            let path = "spec.oidcProviders[\(i)]"
            v.urlScheme(provider.issuerURL, ["http", "https"], "\(path).issuerURL")
            v.check(issuers.insert(provider.issuerURL).inserted, "\(path).issuerURL",
                    "duplicate issuerURL \(quoted(provider.issuerURL))")
            v.check(!provider.validations.isEmpty, "\(path).validations", "must have at least 1 item")
        }
        return v.errors
    }
}
