import GitOpsKit
import Logging
import NotificationControllerKit
import Testing

@Suite struct ProviderSenderTests {
    static let fast = EventDeliveryPolicy(timeout: .seconds(2), maxRetries: 3, minimumWait: .milliseconds(10),
                                          maximumWait: .milliseconds(40))
    static let sender = ProviderSender(policy: fast, logger: Logger(label: "test"))

    @Test func retriesServerErrorsThenDelivers() async throws {
        let hook = try await RecordingWebhook(statuses: [500, 503])
        defer { hook.stop() }
        let outcome = await Self.sender.send(ProviderClientTests.event, with: ProviderClient(type: .generic, address: hook.url))
        #expect(outcome == .delivered(status: 200))
        #expect(hook.requests.count == 3)
        #expect(Set(hook.requests.map { $0.body }).count == 1)
    }

    @Test func neverRetriesClientErrors() async throws {
        let hook = try await RecordingWebhook(statuses: [400])
        defer { hook.stop() }
        let outcome = await Self.sender.send(ProviderClientTests.event, with: ProviderClient(type: .generic, address: hook.url))
        #expect(outcome == .rejected(status: 400))
        #expect(hook.requests.count == 1)
    }

    @Test func givesUpAfterRetriesOnPersistentFailure() async throws {
        let hook = try await RecordingWebhook(statuses: [500, 500, 500, 500, 500])
        defer { hook.stop() }
        let outcome = await Self.sender.send(ProviderClientTests.event, with: ProviderClient(type: .generic, address: hook.url))
        #expect(outcome == .failed(attempts: 4, reason: "status 500"))
        #expect(hook.requests.count == 4)
    }

    @Test func unreachableEndpointFailsWithoutHanging() async {
        // Port 1 on loopback: connection refused at once.
        let outcome = await Self.sender.send(ProviderClientTests.event,
                                             with: ProviderClient(type: .generic, address: "http://127.0.0.1:1/hook"))
        guard case .failed(let attempts, _) = outcome else {
            Issue.record("expected failure, got \(outcome)")
            return
        }
        #expect(attempts == 4)
    }

    @Test func slackWebhookReceivesThePayload() async throws {
        let hook = try await RecordingWebhook()
        defer { hook.stop() }
        let client = ProviderClient(type: .slack, address: hook.url, channel: "#ops", username: "flux")
        #expect(await Self.sender.send(ProviderClientTests.event, with: client) == .delivered(status: 200))
        let json = try #require(hook.requests.first?.json)
        #expect(json["channel"] == "#ops")
        #expect(json[path: "attachments"]?.arrayValue?.first?["author_name"] == "Kustomization/webapp.apps")
        #expect(hook.requests.first?.headers["content-type"] == "application/json")
    }
}
