import GitOpsKit
import Logging
import NotificationControllerKit
import Synchronization
import Testing

@Suite struct EventServerTests {
    /// Collects dispatched events.
    final class Collector: EventHandler {
        let events = Mutex<[FluxEvent]>([])
        func handle(_ event: FluxEvent) async { events.withLock { $0.append(event) } }
    }

    /// Runs an EventServer on a free port for `body`.
    static func withServer(rateLimit: Duration = .seconds(60), maximumBodySize: Int = EventServer.maximumBodySize,
                           _ body: (String, Collector) async throws -> Void) async throws {
        let collector = Collector()
        let server = EventServer(address: ListenAddress(host: "127.0.0.1", port: 0), rateLimit: rateLimit,
                                 maximumBodySize: maximumBodySize, logger: Logger(label: "test"), dispatcher: collector)
        let task = Task { try await server.run() }
        defer { task.cancel() }
        let port = try await server.boundPort()
        try await body("http://127.0.0.1:\(port)/", collector)
    }

    static func post(_ url: String, _ body: [UInt8]) async throws -> HTTPClientResponse {
        try await HTTPClient().execute(HTTPClientRequest(method: .post, url: url,
                                                         headers: ["Content-Type": "application/json"], body: body,
                                                         timeout: .seconds(5)))
    }

    static func waitFor(_ collector: Collector, count: Int) async throws {
        for _ in 0..<200 where collector.events.withLock({ $0.count }) < count {
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    @Test func acceptsAndDispatchesTheCleanedEvent() async throws {
        try await Self.withServer { url, collector in
            let response = try await Self.post(url, FluxEventTests.recorded().jsonBytes())
            #expect(response.status == 202)
            try await Self.waitFor(collector, count: 1)
            let events = collector.events.withLock { $0 }
            #expect(events.count == 1)
            #expect(events.first?.metadata == ["revision": "main@sha1:abc", "team": "web"])
        }
    }

    @Test func refusesInvalidEventsWithTheReason() async throws {
        try await Self.withServer { url, collector in
            let bad = try await Self.post(url, Array("{not json".utf8))
            #expect(bad.status == 400)
            #expect(bad.bodyText.contains("invalid JSON"))
            var event = FluxEventTests.recorded()
            event["severity"] = "warning"
            let invalid = try await Self.post(url, event.jsonBytes())
            #expect(invalid.status == 400)
            #expect(invalid.bodyText.contains("severity"))
            #expect(collector.events.withLock { $0.isEmpty })
        }
    }

    @Test func refusesOversizeBodies() async throws {
        try await Self.withServer(maximumBodySize: 1024) { url, _ in
            let response = try await Self.post(url, FluxEventTests.recorded(message: String(repeating: "x", count: 2000)).jsonBytes())
            #expect(response.status == 413)
            #expect(try await Self.post(url, FluxEventTests.recorded().jsonBytes()).status == 202)
        }
    }

    @Test func identicalEventsWithinTheIntervalAreRateLimited() async throws {
        try await Self.withServer { url, collector in
            #expect(try await Self.post(url, FluxEventTests.recorded().jsonBytes()).status == 202)
            #expect(try await Self.post(url, FluxEventTests.recorded().jsonBytes()).status == 429)
            // Another message or revision is another event.
            #expect(try await Self.post(url, FluxEventTests.recorded(message: "Health check failed").jsonBytes()).status == 202)
            #expect(try await Self.post(url, FluxEventTests.recorded(metadata: ["revision": "main@sha1:def"]).jsonBytes()).status == 202)
            try await Self.waitFor(collector, count: 3)
            #expect(collector.events.withLock { $0.count } == 3)
        }
    }

    @Test func rateLimitExpires() async throws {
        try await Self.withServer(rateLimit: .milliseconds(100)) { url, _ in
            #expect(try await Self.post(url, FluxEventTests.recorded().jsonBytes()).status == 202)
            #expect(try await Self.post(url, FluxEventTests.recorded().jsonBytes()).status == 429)
            try await Task.sleep(for: .milliseconds(150))
            #expect(try await Self.post(url, FluxEventTests.recorded().jsonBytes()).status == 202)
        }
    }
}
