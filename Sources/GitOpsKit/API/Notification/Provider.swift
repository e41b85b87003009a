/// Where and how notification-controller delivers alerts: Slack, a generic webhook, a Git commit status…
/// (`notification.toolkit.fluxcd.io/v1beta3`, `Provider`). It has no status.
public struct Provider: FluxObject {
    public static let kind = GroupVersionKind(group: "notification.toolkit.fluxcd.io", version: "v1beta3", kind: "Provider")
    public static let plural = "providers"
    public static let shortNames: [String] = []

    public var metadata: ObjectMeta
    public var spec: Spec

    public init(metadata: ObjectMeta, spec: Spec) {
        self.metadata = metadata
        self.spec = spec
    }

    public var isSuspended: Bool { spec.suspend ?? false }
}

extension Provider {
    public struct Spec: Codable, Hashable, Sendable {
        public var type: ProviderType
        /// Deprecated and unused.
        public var interval: String?
        /// Channel, room or topic, depending on the type.
        public var channel: String?
        /// Bot name, depending on the type.
        public var username: String?
        /// Webhook URL or API address; `secretRef`'s `address` key overrides it.
        public var address: String?
        /// Default `15s`.
        public var timeout: String?
        /// Deprecated: use `proxySecretRef`.
        public var proxy: String?
        public var proxySecretRef: LocalObjectReference?
        /// Keys `address`, `token`, `username`/`password`, `headers`.
        public var secretRef: LocalObjectReference?
        public var serviceAccountName: String?
        /// `ca.crt` (and `tls.crt`/`tls.key`) for TLS to the provider.
        public var certSecretRef: LocalObjectReference?
        public var suspend: Bool?
        /// CEL expression that builds the commit status key (Git providers only).
        public var commitStatusExpr: String?

        public init(type: ProviderType, channel: String? = nil, username: String? = nil, address: String? = nil,
                    timeout: String? = nil, interval: String? = nil, proxy: String? = nil,
                    proxySecretRef: LocalObjectReference? = nil, secretRef: LocalObjectReference? = nil,
                    serviceAccountName: String? = nil, certSecretRef: LocalObjectReference? = nil,
                    suspend: Bool? = nil, commitStatusExpr: String? = nil) {
            self.type = type
            self.interval = interval
            self.channel = channel
            self.username = username
            self.address = address
            self.timeout = timeout
            self.proxy = proxy
            self.proxySecretRef = proxySecretRef
            self.secretRef = secretRef
            self.serviceAccountName = serviceAccountName
            self.certSecretRef = certSecretRef
            self.suspend = suspend
            self.commitStatusExpr = commitStatusExpr
        }
    }

    /// The 34 provider types of notification-controller.
    public struct ProviderType: FluxEnum {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static let slack: Self = "slack"
        public static let discord: Self = "discord"
        public static let msteams: Self = "msteams"
        public static let rocket: Self = "rocket"
        public static let generic: Self = "generic"
        public static let genericHMAC: Self = "generic-hmac"
        public static let github: Self = "github"
        public static let gitlab: Self = "gitlab"
        public static let gitea: Self = "gitea"
        public static let giteaPullRequestComment: Self = "giteapullrequestcomment"
        public static let bitbucketServer: Self = "bitbucketserver"
        public static let bitbucket: Self = "bitbucket"
        public static let azureDevOps: Self = "azuredevops"
        public static let googleChat: Self = "googlechat"
        public static let googlePubSub: Self = "googlepubsub"
        public static let webex: Self = "webex"
        public static let sentry: Self = "sentry"
        public static let azureEventHub: Self = "azureeventhub"
        public static let telegram: Self = "telegram"
        public static let lark: Self = "lark"
        public static let matrix: Self = "matrix"
        public static let opsgenie: Self = "opsgenie"
        public static let alertmanager: Self = "alertmanager"
        public static let grafana: Self = "grafana"
        public static let githubDispatch: Self = "githubdispatch"
        public static let githubPullRequestComment: Self = "githubpullrequestcomment"
        public static let gitlabMergeRequestComment: Self = "gitlabmergerequestcomment"
        public static let pagerduty: Self = "pagerduty"
        public static let datadog: Self = "datadog"
        public static let nats: Self = "nats"
        public static let zulip: Self = "zulip"
        public static let otel: Self = "otel"
        public static let zoom: Self = "zoom"
        public static let incidentIO: Self = "incident.io"
        public static var allowedValues: [Self] {
            [.slack, .discord, .msteams, .rocket, .generic, .genericHMAC, .github, .gitlab, .gitea,
             .giteaPullRequestComment, .bitbucketServer, .bitbucket, .azureDevOps, .googleChat, .googlePubSub, .webex,
             .sentry, .azureEventHub, .telegram, .lark, .matrix, .opsgenie, .alertmanager, .grafana, .githubDispatch,
             .githubPullRequestComment, .gitlabMergeRequestComment, .pagerduty, .datadog, .nats, .zulip, .otel, .zoom,
             .incidentIO]
        }

        /// The Git providers that set commit statuses (and accept `commitStatusExpr`).
        public static var commitStatusTypes: [Self] { [.github, .gitlab, .gitea, .bitbucketServer, .bitbucket, .azureDevOps] }
    }
}

extension Provider: Codable {
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

extension Provider {
    public static let defaultTimeout = FluxDuration.seconds(15)

    /// `spec.timeout`, default 15s.
    public var timeout: FluxDuration {
        get throws(FluxFieldError) {
            guard let text = spec.timeout else { return Self.defaultTimeout }
            return try .field(text, at: "spec.timeout")
        }
    }

    public func validate() -> [FluxFieldError] {
        var v = FieldValidator()
        v.allowed(spec.type, "spec.type")
        v.duration(spec.interval, "spec.interval")
        v.duration(spec.timeout, "spec.timeout", allowHours: false)
        v.length(spec.channel, max: 2048, "spec.channel")
        v.length(spec.username, max: 2048, "spec.username")
        v.length(spec.address, max: 2048, "spec.address")
        v.length(spec.proxy, max: 2048, "spec.proxy")
        v.urlScheme(spec.proxy, ["http", "https"], "spec.proxy")
        v.check(spec.commitStatusExpr == nil || ProviderType.commitStatusTypes.contains(spec.type),
                "spec.commitStatusExpr",
                "only supported for the 'github', 'gitlab', 'gitea', 'bitbucketserver', 'bitbucket', 'azuredevops' provider types")
        return v.errors
    }
}
