import GitOpsKit
import Hummingbird
import Logging

/// notification-controller's event endpoint (`--events-addr`, default `:9090`): a `POST` (any path) of a Flux event
/// answers 202 at once, and matching plus delivery run afterwards on ``run()``'s own tasks.
///
/// Refusals: 400 (bad JSON or invalid event, with the reason), 413 (body over ``maximumBodySize``), 429 (identical
/// event within the rate-limit interval).
public final class EventServer: Sendable {
    /// Flux's body limit (3 MiB).
    public static let maximumBodySize = 3 * 1024 * 1024
    /// Accepted events waiting for dispatch beyond this are dropped (logged) rather than growing memory.
    public static let queueCapacity = 10_000

    private let http: RuntimeHTTPServer
    private let events: AsyncStream<FluxEvent>
    private let handler: any EventHandler
    private let logger: Logger

    /// - Parameters:
    ///   - rateLimit: `--rate-limit-interval`; zero disables deduplication.
    ///   - dispatcher: receives every accepted event (metadata cleaned up), e.g. an ``EventDispatcher``.
    public init(address: ListenAddress, rateLimit: Duration = EventRateLimiter.defaultInterval,
                maximumBodySize: Int = EventServer.maximumBodySize, metrics: NotificationMetrics = NotificationMetrics(nil),
                logger: Logger, dispatcher: any EventHandler) {
        let (events, continuation) = AsyncStream.makeStream(of: FluxEvent.self,
                                                            bufferingPolicy: .bufferingOldest(Self.queueCapacity))
        let limiter = EventRateLimiter(interval: rateLimit)
        self.events = events
        self.handler = dispatcher
        self.logger = logger
        self.http = RuntimeHTTPServer(name: "events", address: address, logger: logger) { router in
            let accept: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
                let body: ByteBuffer
                do {
                    body = try await request.body.collect(upTo: maximumBodySize)
                } catch {
                    metrics.invalid()
                    return Self.text(.contentTooLarge, "request body larger than \(maximumBodySize) bytes")
                }
                let event: FluxEvent
                do {
                    event = try FluxEvent(json: body.readableBytesView)
                } catch {
                    metrics.invalid()
                    logger.debug("Refused invalid event", metadata: ["reason": "\(error)"])
                    return Self.text(.badRequest, "invalid event: \(error)")
                }
                guard limiter.admit(event) else {
                    metrics.rateLimited()
                    return Self.text(.tooManyRequests, "event rate limited")
                }
                metrics.accepted()
                if case .dropped = continuation.yield(event.cleanedUp()) {
                    metrics.dropped()
                    logger.error("Event queue full, dropping event", metadata: [
                        "object": "\(event.involvedObject.kind)/\(event.involvedObject.namespace)/\(event.involvedObject.name)",
                    ])
                }
                return Response(status: .accepted)
            }
            // Flux serves any path; controllers post to `/`.
            router.post("/", use: accept)
            router.post("**", use: accept)
        }
    }

    /// Serves and dispatches until cancelled.
    public func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { [http] in try await http.run() }
            group.addTask { [events, handler] in
                await withDiscardingTaskGroup { dispatches in
                    for await event in events {
                        dispatches.addTask { await handler.handle(event) }
                    }
                }
            }
        }
    }

    /// The port the server listens on, once it does (bind port 0 in tests).
    public func boundPort() async throws -> Int {
        try await http.boundPort()
    }

    private static func text(_ status: HTTPResponse.Status, _ message: String) -> Response {
        Response(status: status, body: ResponseBody(byteBuffer: ByteBuffer(string: message + "\n")))
    }
}
