import FoundationEssentials
import GitOpsKit

/// Builds the HTTP request a Provider sends for one event, per `spec.type`, as Flux formats it
/// (`NC:internal/notifier/*.go`).
public struct ProviderClient: Sendable {
    /// The Slack Web API method that takes a Bearer token instead of an incoming-webhook URL.
    public static let slackPostMessageURL = "https://slack.com/api/chat.postMessage"

    public var type: Provider.ProviderType
    /// `address` from the Secret, else `spec.address`.
    public var address: String
    public var channel: String?
    public var username: String?
    /// The Secret's `token`: the HMAC key of `generic-hmac`, the Bearer token of Slack's API.
    public var token: String?
    /// The Secret's `headers` (a YAML map), sent by webhook types.
    public var headers: [String: String]
    public var timeout: Duration
    /// The Provider's `metadata.uid`: part of the commit status context of Git providers.
    public var providerUID: String?

    public init(type: Provider.ProviderType, address: String, channel: String? = nil, username: String? = nil,
                token: String? = nil, headers: [String: String] = [:], timeout: Duration = .seconds(15),
                providerUID: String? = nil) {
        self.type = type
        self.address = address
        self.channel = channel
        self.username = username
        self.token = token
        self.headers = headers
        self.timeout = timeout
        self.providerUID = providerUID
    }

    /// The client for `provider`, reading `address`, `token` and `headers` from its Secret's decoded `data`.
    public init(provider: Provider, secretData: [String: String]?) throws(ProviderError) {
        let name = provider.metadata.name ?? ""
        let address = secretData?["address"] ?? provider.spec.address ?? ""
        guard !address.isEmpty else { throw ProviderError(provider: name, reason: "no address in spec or Secret") }
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
        self.init(type: provider.spec.type, address: address, channel: provider.spec.channel,
                  username: provider.spec.username, token: secretData?["token"], headers: headers,
                  timeout: timeout.duration, providerUID: provider.metadata.uid)
    }

    /// The types this client can format.
    public static let supportedTypes: Set<Provider.ProviderType> = [.generic, .genericHMAC, .slack, .rocket, .discord, .msteams, .googleChat, .github]

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
                    throw ProviderError(provider: address, reason: "generic-hmac needs a 'token' in the Secret")
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
        case .msteams:
            request.body = MSTeamsPayload(event: event, address: address).json.jsonBytes()
        default:
            throw ProviderError(provider: address, reason: "provider type '\(type.rawValue)' is not supported")
        }
        return request
    }

    /// Whether a 2xx response really delivered: Slack's Web API answers 200 with `"ok": false` on failure.
    public func isDelivered(_ response: HTTPClientResponse) -> Bool {
        guard response.isSuccess else { return false }
        guard type == .slack, address.hasPrefix("https://slack.com/api/") else { return true }
        return (try? JSONValue(json: response.body))?["ok"] == .bool(true)
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
