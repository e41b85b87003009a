import GitOpsKit
import NotificationControllerKit
import Testing

@Suite struct ProviderClientTests {
    static let event = AlertMatcherTests.event(severity: .error, message: "Health check failed",
                                               metadata: ["revision": "main@sha1:abc", "cluster": "prod"])

    @Test func genericSendsTheEventJSONWithSecretHeaders() throws {
        let provider = Provider(metadata: ObjectMeta(name: "hook", namespace: "apps"),
                                spec: .init(type: .generic, address: "http://spec.example/hook", timeout: "3s"))
        let client = try ProviderClient(provider: provider, secretData: [
            "address": "http://secret.example/hook", "headers": "X-Team: web\nAuthorization: Basic abc\n",
        ])
        let request = try client.request(for: Self.event)
        #expect(request.url == "http://secret.example/hook")
        #expect(request.timeout == .seconds(3))
        #expect(request.headers["gotk-component"] == "kustomize-controller")
        #expect(request.headers["X-Team"] == "web")
        #expect(request.headers["Authorization"] == "Basic abc")
        #expect(request.headers["X-Signature"] == nil)
        #expect(try FluxEvent(json: request.body ?? []) == Self.event)
    }

    @Test func genericHMACSignsTheExactBody() throws {
        let client = ProviderClient(type: .genericHMAC, address: "http://h.example/", token: "s3cret")
        let request = try client.request(for: Self.event)
        let body = try #require(request.body)
        let signature = try #require(request.headers["X-Signature"])
        #expect(signature.hasPrefix("sha256="))
        let mac = try #require([UInt8](hex: signature.dropFirst("sha256=".count)))
        #expect(HMAC.isValid(mac, algorithm: .sha256, key: Array("s3cret".utf8), message: body))
        #expect(!HMAC.isValid(mac, algorithm: .sha256, key: Array("other".utf8), message: body))
        // No key, no request.
        #expect(throws: ProviderError.self) {
            try ProviderClient(type: .genericHMAC, address: "http://h.example/").request(for: Self.event)
        }
    }

    @Test func slackPayloadAsFluxFormatsIt() throws {
        let client = ProviderClient(type: .slack, address: "https://hooks.slack.example/T/B/x", channel: "#ops",
                                    username: "flux")
        let request = try client.request(for: Self.event)
        #expect(request.headers["Authorization"] == nil)
        let json = try JSONValue(json: request.body ?? [])
        #expect(json["username"] == "flux")
        #expect(json["channel"] == "#ops")
        let attachment = try #require(json["attachments"]?.arrayValue?.first)
        #expect(attachment["color"] == "danger")
        #expect(attachment["author_name"] == "Kustomization/webapp.apps")
        #expect(attachment["text"] == "Health check failed")
        #expect(attachment["fields"] == [
            ["title": "cluster", "value": "prod", "short": false],
            ["title": "revision", "value": "main@sha1:abc", "short": false],
        ])
        var info = Self.event
        info.severity = .info
        #expect(try JSONValue(json: client.request(for: info).body ?? [])[path: "attachments"]?.arrayValue?.first?["color"] == "good")
    }

    @Test func slackAPIUsesTheBearerTokenAndChecksOK() throws {
        let client = ProviderClient(type: .slack, address: ProviderClient.slackPostMessageURL, channel: "C123",
                                    token: "xoxb-1")
        let request = try client.request(for: Self.event)
        #expect(request.headers["Authorization"] == "Bearer xoxb-1")
        #expect(client.isDelivered(HTTPClientResponse(status: 200, headers: [:], body: Array(#"{"ok":true}"#.utf8))))
        #expect(!client.isDelivered(HTTPClientResponse(status: 200, headers: [:],
                                                       body: Array(#"{"ok":false,"error":"channel_not_found"}"#.utf8))))
    }

    @Test func discordPostsSlackPayloadToItsSlackEndpoint() throws {
        let request = try ProviderClient(type: .discord, address: "https://discord.example/api/webhooks/1/t")
            .request(for: Self.event)
        #expect(request.url == "https://discord.example/api/webhooks/1/t/slack")
        #expect(try JSONValue(json: request.body ?? [])["attachments"] != nil)
    }

    @Test func msteamsAdaptiveCardAndLegacyMessageCard() throws {
        let workflow = try ProviderClient(type: .msteams, address: "https://prod.westeurope.logic.azure.example/workflows/1")
            .request(for: Self.event)
        let card = try #require(try JSONValue(json: workflow.body ?? [])[path: "attachments"]?.arrayValue?.first)
        #expect(card["contentType"] == "application/vnd.microsoft.card.adaptive")
        let body = try #require(card[path: "content", "body"]?.arrayValue)
        #expect(body.first?["text"] == "Kustomization/webapp.apps")
        #expect(body.first?["color"] == "attention")
        #expect(body.dropFirst().first?["text"] == "Health check failed")
        #expect(body.last?["facts"]?.arrayValue?.count == 2)

        let legacy = try ProviderClient(type: .msteams, address: "https://acme.webhook.office.com/webhookb2/x")
            .request(for: Self.event)
        let json = try JSONValue(json: legacy.body ?? [])
        #expect(json["@type"] == "MessageCard")
        #expect(json["themeColor"] == "FF0000")
        let section = try #require(json[path: "sections"]?.arrayValue?.first)
        #expect(section["activityTitle"] == "Kustomization/webapp.apps")
        #expect(section["activitySubtitle"] == "Health check failed")
        #expect(section["facts"]?.arrayValue?.first == ["name": "cluster", "value": "prod"])
    }

    @Test func githubCommitStatusOnTheRevisionsCommit() throws {
        var event = Self.event
        event.reason = "HealthCheckFailed"
        event.metadata["revision"] = "main@sha1:0123456789abcdef0123456789abcdef01234567"
        let request = try ProviderClient(type: .github, address: "https://github.com/acme/app.git", token: "ghp_x",
                                         providerUID: "4f2a91c0-1111-2222-3333-444455556666").request(for: event)
        #expect(request.url == "https://api.github.com/repos/acme/app/statuses/0123456789abcdef0123456789abcdef01234567")
        #expect(request.headers["Authorization"] == "Bearer ghp_x")
        #expect(try JSONValue(json: request.body ?? []) == [
            "state": "failure", "context": "kustomization/webapp/4f2a91c0", "description": "health check failed",
        ])
        let enterprise = try ProviderClient(type: .github, address: "http://ghe.example/acme/app").request(for: event)
        #expect(enterprise.url.hasPrefix("http://ghe.example/api/v3/repos/acme/app/statuses/0123456789abcdef"))
        event.metadata["revision"] = nil
        #expect(throws: ProviderError.self) {
            try ProviderClient(type: .github, address: "https://github.com/acme/app").request(for: event)
        }
    }

    @Test func rocketAndGoogleChat() throws {
        let rocket = try ProviderClient(type: .rocket, address: "https://rocket.example/hooks/x", channel: "#ops",
                                        token: "unused").request(for: Self.event)
        #expect(rocket.headers["Authorization"] == nil)
        #expect(try JSONValue(json: rocket.body ?? [])[path: "attachments"]?.arrayValue?.first?["color"] == "danger")

        let chat = try ProviderClient(type: .googleChat, address: "https://chat.example/v1/spaces/x/messages")
            .request(for: Self.event)
        let card = try #require(try JSONValue(json: chat.body ?? [])[path: "cards"]?.arrayValue?.first)
        #expect(card[path: "header", "title"] == "Kustomization/webapp.apps")
        let sections = try #require(card["sections"]?.arrayValue)
        #expect(sections.first?[path: "widgets"]?.arrayValue?.first?[path: "textParagraph", "text"] == "Health check failed")
        #expect(sections.last?[path: "widgets"]?.arrayValue?.first?["keyValue"] == ["topLabel": "cluster", "content": "prod"])
    }

    @Test func configurationErrors() {
        let noAddress = Provider(metadata: ObjectMeta(name: "p"), spec: .init(type: .generic))
        #expect(throws: ProviderError(provider: "p", reason: "no address in spec or Secret")) {
            try ProviderClient(provider: noAddress, secretData: nil)
        }
        let badHeaders = Provider(metadata: ObjectMeta(name: "p"), spec: .init(type: .generic, address: "http://x/"))
        #expect(throws: ProviderError.self) {
            try ProviderClient(provider: badHeaders, secretData: ["headers": "- a list"])
        }
        #expect(throws: ProviderError.self) {
            try ProviderClient(type: .pagerduty, address: "http://x/").request(for: Self.event)
        }
    }
}
