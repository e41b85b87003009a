import FoundationEssentials
import GitOpsKit

/// Builds the HTTP request a Provider sends for one event, per `spec.type`, as Flux formats it
/// (`NC:internal/notifier/*.go`).
public struct ProviderClient: Sendable {
    /// The Slack Web API method that takes a Bearer token instead of an incoming-webhook URL.
    public static let slackPostMessageURL = "https://slack.com/api/chat.postMessage"
    /// The Telegram Bot API, used when the Provider sets no `address`.
    public static let telegramAPIURL = "https://api.telegram.org"

    public var type: Provider.ProviderType
    /// `address` from the Secret, else `spec.address`.
    public var address: String
    public var channel: String?
    public var username: String?
    /// The Secret's `token`: the HMAC key of `generic-hmac`, the Bearer token of Slack's API, GitLab's private token…
    public var token: String?
    /// The Secret's `password`: basic auth (with `username`) for Alertmanager and Grafana; GitLab's token when
    /// `token` is unset.
    public var password: String?
    /// The Secret's `headers` (a YAML map), sent by webhook types.
    public var headers: [String: String]
    public var timeout: Duration
    /// The Provider's `metadata.uid`: part of the commit status context of Git providers.
    public var providerUID: String?
    /// TLS and proxy: which shared HTTP client sends the request.
    public var transport: ProviderTransport
    /// Whether `address` came from the Secret (then it is a secret too and never logged in full).
    public var addressIsSecret: Bool

    public init(type: Provider.ProviderType, address: String, channel: String? = nil, username: String? = nil,
                token: String? = nil, password: String? = nil, headers: [String: String] = [:],
                timeout: Duration = .seconds(15), providerUID: String? = nil,
                transport: ProviderTransport = ProviderTransport(), addressIsSecret: Bool = false) {
        self.type = type
        self.address = address
        self.channel = channel
        self.username = username
        self.token = token
        self.password = password
        self.headers = headers
        self.timeout = timeout
        self.providerUID = providerUID
        self.transport = transport
        self.addressIsSecret = addressIsSecret
    }

    /// The client for `provider`, reading `address`, `token` and `headers` from its Secret's decoded `data`.
    public init(provider: Provider, secretData: [String: String]?) throws(ProviderError) {
        try self.init(provider: provider, secrets: ProviderSecrets(secret: secretData))
    }

    /// The client for `provider` with the decoded data of the Secrets it references.
    public init(provider: Provider, secrets: ProviderSecrets) throws(ProviderError) {
        let name = provider.metadata.name ?? ""
        let secretData = secrets.secret
        let secretAddress = secretData?["address"].flatMap { $0.isEmpty ? nil : $0 }
        let address = secretAddress ?? provider.spec.address ?? ""
        // Telegram's API address is fixed; every other type needs one.
        guard !address.isEmpty || provider.spec.type == .telegram else {
            throw ProviderError(provider: name, reason: "no address in spec or Secret")
        }
        var headers: [String: String] = [:]
        if let text = secretData?["headers"], !text.isEmpty {
            guard let map = (try? YAML.decode(text))?.objectValue else {
                throw ProviderError(provider: name, reason: "Secret key 'headers' is not a YAML map")
            }
            for (key, value) in map { headers[key] = value.stringValue ?? value.jsonString() }
        }
        let timeout: FluxDuration
        do {
            timeout = try provider.timeout
        } catch {
            throw ProviderError(provider: name, reason: "\(error)")
        }
        let transport = try ProviderTransport.resolve(provider: provider, secrets: secrets)
        // Flux lets the Secret's `username` override `spec.username`.
        let username = secretData?["username"].flatMap { $0.isEmpty ? nil : $0 } ?? provider.spec.username
        self.init(type: provider.spec.type, address: address, channel: provider.spec.channel, username: username,
                  token: secretData?["token"], password: secretData?["password"], headers: headers,
                  timeout: timeout.duration, providerUID: provider.metadata.uid, transport: transport,
                  addressIsSecret: secretAddress != nil)
    }

    /// The types this client can format.
    public static let supportedTypes: Set<Provider.ProviderType> = [
        .generic, .genericHMAC, .slack, .rocket, .discord, .msteams, .googleChat, .github, .gitlab, .telegram,
        .alertmanager, .grafana, .webex, .opsgenie,
    ]

    /// The request announcing `event`.
    public func request(for event: FluxEvent) throws(ProviderError) -> HTTPClientRequest {
        var request = HTTPClientRequest(method: .post, url: address, headers: ["Content-Type": "application/json"],
                                        timeout: timeout, maximumResponseSize: 64 * 1024)
        switch type {
        case .generic, .genericHMAC:
            let body = event.json.jsonBytes()
            request.body = body
            request.headers["gotk-component"] = event.reportingController
            for (name, value) in headers.sorted(by: { $0.key < $1.key }) { request.headers[name] = value }
            if type == .genericHMAC {
                guard let token, !token.isEmpty else {
                    throw ProviderError(provider: redactedAddress, reason: "generic-hmac needs a 'token' in the Secret")
                }
                let mac = HMAC.code(.sha256, key: Array(token.utf8), message: body)
                request.headers["X-Signature"] = "sha256=\(mac.hexString)"
            }
        case .slack, .rocket:
            // Rocket.Chat incoming webhooks take Slack's payload.
            request.body = SlackPayload(event: event, channel: channel, username: username).json.jsonBytes()
            if type == .slack, let token, !token.isEmpty { request.headers["Authorization"] = "Bearer \(token)" }
        case .googleChat:
            request.body = GoogleChatPayload(event: event).json.jsonBytes()
        case .discord:
            // Discord accepts Slack's payload on its webhook's `/slack` endpoint, as Flux uses it.
            request.url = address.hasSuffix("/slack") ? address : address + "/slack"
            request.body = SlackPayload(event: event, channel: channel, username: username).json.jsonBytes()
        case .github:
            let status = try GitHubCommitStatus(event: event, address: address, providerUID: providerUID).request()
            request.url = status.url
            request.body = status.body.jsonBytes()
            request.headers["Accept"] = "application/vnd.github+json"
            if let token, !token.isEmpty { request.headers["Authorization"] = "Bearer \(token)" }
        case .gitlab:
            // Flux takes the password when no token is set (a GitLab deploy token's credentials).
            guard let privateToken = token.flatMap({ $0.isEmpty ? nil : $0 }) ?? password.flatMap({ $0.isEmpty ? nil : $0 }) else {
                throw ProviderError(provider: redactedAddress, reason: "gitlab needs a 'token' in the Secret")
            }
            let status = try GitLabCommitStatus(event: event, address: address, providerUID: providerUID).request()
            request.url = status.url
            request.body = status.body.jsonBytes()
            request.headers["PRIVATE-TOKEN"] = privateToken
        case .telegram:
            guard let channel, !channel.isEmpty else {
                throw ProviderError(provider: "telegram", reason: "telegram needs spec.channel (the chat id)")
            }
            guard let token, !token.isEmpty else {
                throw ProviderError(provider: "telegram", reason: "telegram needs a 'token' (the bot token) in the Secret")
            }
            let base = address.isEmpty ? Self.telegramAPIURL : (address.hasSuffix("/") ? String(address.dropLast()) : address)
            request.url = "\(base)/bot\(token)/sendMessage"
            request.body = TelegramMessage(event: event, channel: channel).json.jsonBytes()
        case .alertmanager:
            request.body = AlertmanagerPayload(event: event).json.jsonBytes()
            if let token, !token.isEmpty { request.headers["Authorization"] = "Bearer \(token)" }
            // Flux sets basic auth after the token, so it wins when both are given.
            if let basic = basicAuthorization { request.headers["Authorization"] = basic }
        case .grafana:
            request.body = GrafanaAnnotation(event: event).json.jsonBytes()
            if let token, !token.isEmpty {
                request.headers["Authorization"] = "Bearer \(token)"
            } else if let basic = basicAuthorization {
                request.headers["Authorization"] = basic
            }
        case .webex:
            request.body = WebexMessage(event: event, roomID: channel).json.jsonBytes()
            request.headers["Authorization"] = "Bearer \(token ?? "")"
        case .opsgenie:
            guard let token, !token.isEmpty else {
                throw ProviderError(provider: redactedAddress, reason: "opsgenie needs a 'token' (the API key) in the Secret")
            }
            request.body = OpsgenieAlert(event: event, providerUID: providerUID).json.jsonBytes()
            request.headers["Authorization"] = "GenieKey \(token)"
        case .msteams:
            request.body = MSTeamsPayload(event: event, address: address).json.jsonBytes()
        default:
            throw ProviderError(provider: redactedAddress, reason: "provider type '\(type.rawValue)' is not supported")
        }
        return request
    }

    /// `Basic base64(username:password)` when both are set.
    private var basicAuthorization: String? {
        guard let username, !username.isEmpty, let password, !password.isEmpty else { return nil }
        return "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
    }

    /// Whether a 2xx response really delivered: Slack's Web API answers 200 with `"ok": false` on failure.
    public func isDelivered(_ response: HTTPClientResponse) -> Bool {
        guard response.isSuccess else { return false }
        guard type == .slack, address.hasPrefix("https://slack.com/api/") else { return true }
        return (try? JSONValue(json: response.body))?["ok"] == .bool(true)
    }

    /// The address as it may appear in logs and Kubernetes Events: scheme, host and port only when it came from the
    /// Secret (a webhook URL's path is its credential) or is Telegram's (the bot token is in the path); otherwise
    /// without user info and query.
    public var redactedAddress: String {
        if type == .telegram { return address.isEmpty ? Self.telegramAPIURL : Self.origin(of: address) }
        if addressIsSecret {
            let origin = Self.origin(of: address)
            return origin.count < address.count ? origin + "/…" : origin
        }
        var text = address
        if let query = text.firstIndex(of: "?") { text = String(text[..<query]) }
        if let schemeEnd = text.firstRange(of: "://"), let at = text[schemeEnd.upperBound...].firstIndex(of: "@") {
            let slash = text[schemeEnd.upperBound...].firstIndex(of: "/") ?? text.endIndex
            if at < slash { text = String(text[..<schemeEnd.upperBound]) + String(text[text.index(after: at)...]) }
        }
        return text
    }

    /// `scheme://host[:port]` of a URL, without user info; the text up to the first `/` when it is not a URL.
    static func origin(of url: String) -> String {
        guard let schemeEnd = url.firstRange(of: "://") else { return String(url.prefix { $0 != "/" && $0 != "?" }) }
        var authority = url[schemeEnd.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        return String(url[..<schemeEnd.upperBound]) + authority
    }

    /// `text` with the secrets this client knows replaced, for logs and Events: an address from the Secret by its
    /// redacted form, token and password by `*****` (curl errors repeat the URL, which holds a webhook's credential
    /// path or Telegram's bot token).
    public func masked(_ text: String) -> String {
        var result = text
        if addressIsSecret, !address.isEmpty { result = result.replacing(address, with: redactedAddress) }
        for secret in [token, password] {
            if let secret, secret.count >= 4 { result = result.replacing(secret, with: "*****") }
        }
        return result
    }
}

/// Why a Provider cannot send (bad configuration, unsupported type); retrying never helps.
public struct ProviderError: Error, Sendable, Hashable, CustomStringConvertible {
    public var provider: String
    public var reason: String

    public init(provider: String, reason: String) {
        self.provider = provider
        self.reason = reason
    }

    public var description: String { "provider \(provider): \(reason)" }
}
