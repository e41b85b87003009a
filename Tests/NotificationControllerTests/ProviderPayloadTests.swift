import Foundation
import GitOpsKit
import NotificationControllerKit
import Testing

/// The request each newer provider type builds (URL, headers, body), without a network.
@Suite struct ProviderPayloadTests {
    static let sha = "0123456789abcdef0123456789abcdef01234567"
    static var statusEvent: FluxEvent {
        AlertMatcherTests.event(severity: .info, metadata: ["revision": "main@sha1:\(sha)", "commit_status": "update"])
    }

    @Test func gitlabAddressesAllBecomeTheProjectStatusesEndpoint() throws {
        let cases = [
            ("https://gitlab.example/group/sub/app.git", "https://gitlab.example/api/v4/projects/group%2Fsub%2Fapp"),
            ("ssh://git@gitlab.example:2222/group/app", "https://gitlab.example:2222/api/v4/projects/group%2Fapp"),
            ("git@gitlab.example:group/my.app.git", "https://gitlab.example/api/v4/projects/group%2Fmy.app"),
        ]
        for (address, base) in cases {
            let request = try ProviderClient(type: .gitlab, address: address, token: "glpat", providerUID: "abc-def")
                .request(for: Self.statusEvent)
            #expect(request.url == "\(base)/statuses/\(Self.sha)")
            #expect(request.headers["PRIVATE-TOKEN"] == "glpat")
            #expect(try JSONValue(json: request.body ?? []) == ["state": "success", "name": "kustomization/webapp/abc",
                                                            "description": "reconciliation succeeded"])
        }
        // Flux falls back to the password (deploy token); without either it is a configuration error.
        let withPassword = try ProviderClient(type: .gitlab, address: "https://gitlab.example/g/a", password: "dtok")
            .request(for: Self.statusEvent)
        #expect(withPassword.headers["PRIVATE-TOKEN"] == "dtok")
        #expect(throws: ProviderError.self) {
            try ProviderClient(type: .gitlab, address: "https://gitlab.example/g/a").request(for: Self.statusEvent)
        }
        #expect(throws: ProviderError.self) {
            try ProviderClient(type: .gitlab, address: "https://gitlab.example/", token: "t").request(for: Self.statusEvent)
        }
    }

    @Test func telegramDefaultsToTheBotAPIAndEscapesMarkdown() throws {
        let event = AlertMatcherTests.event(severity: .error, message: "kustomize build failed: [x] *y* _z_ #1 > 2!",
                                            metadata: [:])
        let request = try ProviderClient(type: .telegram, address: "", channel: "@ops", token: "42:tok").request(for: event)
        #expect(request.url == "https://api.telegram.org/bot42:tok/sendMessage")
        let json = try JSONValue(json: request.body ?? [])
        #expect(json["chat_id"] == "@ops")
        #expect(json["message_thread_id"] == nil)
        #expect(json["text"] == .string("*🚨 kustomization/webapp/apps*\nkustomize build failed: \\[x\\] \\*y\\* \\_z\\_ \\#1 \\> 2\\!\n"))
        #expect(throws: ProviderError.self) { try ProviderClient(type: .telegram, address: "", token: "t").request(for: event) }
        #expect(throws: ProviderError.self) { try ProviderClient(type: .telegram, address: "", channel: "1").request(for: event) }
        // The bot token is in the URL: it never appears in the redacted address or masked errors.
        let client = ProviderClient(type: .telegram, address: "", channel: "1", token: "42:tok")
        #expect(client.redactedAddress == "https://api.telegram.org")
        #expect(client.masked("couldn't connect to https://api.telegram.org/bot42:tok/sendMessage")
            == "couldn't connect to https://api.telegram.org/bot*****/sendMessage")
    }

    @Test func telegramProviderNeedsNoAddress() throws {
        let provider = Provider(metadata: ObjectMeta(name: "tg", namespace: "apps"), spec: .init(type: .telegram, channel: "1"))
        let client = try ProviderClient(provider: provider, secretData: ["token": "42:tok"])
        #expect(try client.request(for: Self.statusEvent).url == "https://api.telegram.org/bot42:tok/sendMessage")
    }

    @Test func alertmanagerUsesBearerUnlessBasicCredentialsAreSet() throws {
        let bearer = try ProviderClient(type: .alertmanager, address: "http://am/api/v2/alerts", token: "t0k")
            .request(for: Self.statusEvent)
        #expect(bearer.headers["Authorization"] == "Bearer t0k")
        let body = try JSONValue(json: bearer.body ?? [])
        #expect(body.arrayValue?.first?[path: "labels", "alertname"] == "FluxKustomizationReconciliationsucceeded")
        #expect(body.arrayValue?.first?[path: "labels", "severity"] == "info")
        let basic = try ProviderClient(type: .alertmanager, address: "http://am/", username: "u", token: "t0k", password: "p")
            .request(for: Self.statusEvent)
        #expect(basic.headers["Authorization"] == "Basic " + Data("u:p".utf8).base64EncodedString())
    }

    @Test func grafanaAnnotatesWithTags() throws {
        let event = AlertMatcherTests.event(metadata: ["revision": "main@sha1:abc"])
        let request = try ProviderClient(type: .grafana, address: "http://grafana/api/annotations/graphite",
                                         username: "admin", password: "pw").request(for: event)
        #expect(request.headers["Authorization"] == "Basic " + Data("admin:pw".utf8).base64EncodedString())
        #expect(try JSONValue(json: request.body ?? []) == [
            "when": 1_666_941_979, "text": "kustomization/webapp.apps",
            "tags": ["flux", "kustomize-controller", "revision: main@sha1|abc", "kind: Kustomization", "name: webapp",
                     "namespace: apps"],
        ])
        let token = try ProviderClient(type: .grafana, address: "http://grafana/", username: "admin", token: "glsa", password: "pw")
            .request(for: event)
        #expect(token.headers["Authorization"] == "Bearer glsa")
    }

    @Test func webexPostsMarkdownToTheRoom() throws {
        let request = try ProviderClient(type: .webex, address: "https://webexapis.com/v1/messages", channel: "room1",
                                         token: "bot").request(for: AlertMatcherTests.event())
        #expect(request.headers["Authorization"] == "Bearer bot")
        #expect(try JSONValue(json: request.body ?? []) == [
            "roomId": "room1",
            "markdown": "✅ **kustomization/webapp.apps**\nApplied revision main@sha1:abc\n>**revision**: main@sha1:abc\n",
        ])
    }

    @Test func opsgenieAlertWithAStableAlias() throws {
        let event = AlertMatcherTests.event(severity: .error, message: "Health check failed", metadata: ["revision": "main@sha1:abc"])
        let request = try ProviderClient(type: .opsgenie, address: "https://api.opsgenie.com/v2/alerts", token: "key",
                                         providerUID: "uid-1").request(for: event)
        #expect(request.headers["Authorization"] == "GenieKey key")
        let alias = Digest.sha256Hex(Array("uid-1/Kustomization/apps/webapp/ReconciliationSucceeded".utf8))
        #expect(try JSONValue(json: request.body ?? []) == [
            "message": "Kustomization/webapp", "alias": .string(alias), "description": "Health check failed",
            "details": ["revision": "main@sha1:abc", "severity": "error"],
        ])
        #expect(throws: ProviderError.self) {
            try ProviderClient(type: .opsgenie, address: "https://api.opsgenie.com/v2/alerts").request(for: event)
        }
    }

    @Test func unsupportedTypesAreAClearError() {
        for type in [Provider.ProviderType.matrix, .pagerduty, .lark, .sentry] {
            let error = #expect(throws: ProviderError.self) {
                try ProviderClient(type: type, address: "http://x/").request(for: Self.statusEvent)
            }
            #expect(error?.reason == "provider type '\(type.rawValue)' is not supported")
        }
    }

    @Test func addressesAreRedactedForLogsAndEvents() {
        #expect(ProviderClient(type: .generic, address: "https://user:pw@hooks.example:8443/path?key=s").redactedAddress
            == "https://hooks.example:8443/path")
        #expect(ProviderClient(type: .slack, address: "https://hooks.slack.com/services/T/B/secret", addressIsSecret: true)
            .redactedAddress == "https://hooks.slack.com/…")
    }

    @Test func proxyAndTLSSettingsFromSecrets() throws {
        let provider = Provider(metadata: ObjectMeta(name: "p", namespace: "apps"),
                                spec: .init(type: .generic, address: "http://x/", proxy: "http://deprecated:3128"))
        #expect(try ProviderClient(provider: provider, secrets: ProviderSecrets()).transport.proxy == .url("http://deprecated:3128"))
        let fromSecret = try ProviderClient(provider: provider, secrets: ProviderSecrets(
            secret: ["proxy": "http://legacy:3128"],
            proxySecret: ["address": "http://proxy:3128", "username": "a b", "password": "p@ss"]))
        #expect(fromSecret.transport.proxy == .url("http://a%20b:p%40ss@proxy:3128"))
        #expect(throws: ProviderError.self) {
            try ProviderClient(provider: provider, secrets: ProviderSecrets(proxySecret: ["username": "u"]))
        }
        #expect(throws: ProviderError.self) {
            try ProviderClient(provider: provider, secrets: ProviderSecrets(certSecret: ["tls.crt": "x"]))
        }
        let tls = try ProviderClient(provider: provider, secrets: ProviderSecrets(certSecret: ["caFile": "CA"])).transport.tls
        #expect(tls.certificateAuthority == .data(Array("CA".utf8)))
        // A Git commit status provider also takes `ca.crt` from its secretRef.
        let gitlab = Provider(metadata: ObjectMeta(name: "g", namespace: "apps"), spec: .init(type: .gitlab, address: "https://gl/g/a"))
        let gitlabTLS = try ProviderClient(provider: gitlab, secrets: ProviderSecrets(secret: ["token": "t", "ca.crt": "CA"])).transport.tls
        #expect(gitlabTLS.certificateAuthority == .data(Array("CA".utf8)))
    }

    @Test func clientsAreSharedPerTransport() {
        let clients = ProviderHTTPClients()
        let plain = ProviderTransport().httpConfiguration
        let proxied = ProviderTransport(proxy: .url("http://proxy:3128")).httpConfiguration
        #expect(clients.client(for: plain) === clients.client(for: plain))
        #expect(clients.count == 0, "the default transport uses the default client")
        let first = clients.client(for: proxied)
        #expect(clients.client(for: proxied) === first)
        #expect(clients.client(for: ProviderTransport(proxy: .url("http://other:3128")).httpConfiguration) !== first)
        #expect(clients.count == 2)
    }

    @Test func rateLimiterRemembersDigestsOnly() {
        let limiter = EventRateLimiter(interval: .seconds(60))
        let event = AlertMatcherTests.event()
        #expect(limiter.admit(event))
        #expect(!limiter.admit(event))
        var other = event
        other.metadata["revision"] = "main@sha1:def"
        #expect(limiter.admit(other))
        #expect(limiter.count == 2)
    }

    /// Distinct events spread over the shards: each is admitted once and remembered.
    @Test func rateLimiterRemembersManyDistinctEvents() {
        let limiter = EventRateLimiter(interval: .seconds(60))
        let events = (0..<5_000).map { AlertMatcherTests.event(message: "event \($0)") }
        #expect(events.allSatisfy { limiter.admit($0) })
        #expect(!events.contains { limiter.admit($0) })
        #expect(limiter.count == 5_000)
    }

    /// Expiry by generations: an entry survives the rotation that follows it (for the rest of its interval) and is
    /// gone two intervals later, without a sweep.
    @Test func rateLimiterExpiresByGeneration() async throws {
        let limiter = EventRateLimiter(interval: .milliseconds(400))
        let first = AlertMatcherTests.event(message: "first")
        let second = AlertMatcherTests.event(message: "second")
        #expect(limiter.admit(first))
        try await Task.sleep(for: .milliseconds(200))
        #expect(limiter.admit(second))
        try await Task.sleep(for: .milliseconds(250))
        // The current generation rotated: `second` (250 ms old) is still refused from the previous one, `first`
        // (450 ms old) is admitted again.
        #expect(!limiter.admit(second))
        #expect(limiter.admit(first))
        try await Task.sleep(for: .milliseconds(900))
        #expect(limiter.admit(AlertMatcherTests.event(message: "third")))
        #expect(limiter.count == 1, "both older generations are dropped")
    }
}
