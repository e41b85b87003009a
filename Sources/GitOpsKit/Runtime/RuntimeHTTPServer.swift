import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A small plain-HTTP server of the runtime (metrics, health probes) on Hummingbird, run as a `Service`.
///
/// Bind to port 0 in tests and read the real port with ``boundPort()``.
public final class RuntimeHTTPServer: Service {
    public let name: String
    public let address: ListenAddress
    private let application: Application<RouterResponder<BasicRequestContext>>
    private let bound: BoundPort

    /// Remembers the port the listener got.
    private final class BoundPort: Sendable {
        let gate = AsyncGate()
        let port = Mutex<Int?>(nil)
    }

    /// - Parameter routes: adds the server's routes to the router.
    public init(name: String, address: ListenAddress, logger: Logger,
                routes: (Router<BasicRequestContext>) -> Void)
    {
        self.name = name
        self.address = address
        let router = Router()
        routes(router)
        let bound = BoundPort()
        self.bound = bound
        var logger = logger
        logger[metadataKey: "server"] = "\(name)"
        self.application = Application(
            router: router,
            server: .shutdownSafeHTTP1(),
            configuration: ApplicationConfiguration(address: .hostname(address.host, port: address.port), serverName: nil),
            onServerRunning: { channel in
                bound.port.withLock { $0 = channel.localAddress?.port }
                bound.gate.open()
            },
            logger: logger)
    }

    public func run() async throws {
        try await application.run()
    }

    /// The port the server listens on, once it does.
    public func boundPort() async throws -> Int {
        try await bound.gate.wait()
        return bound.port.withLock { $0 } ?? address.port
    }

    /// The `/metrics` server: Prometheus text exposition of `metrics`.
    public static func metrics(_ metrics: RuntimeMetrics, address: ListenAddress, logger: Logger) -> RuntimeHTTPServer {
        RuntimeHTTPServer(name: "metrics", address: address, logger: logger) { router in
            router.get("/metrics") { _, _ -> Response in
                var headers = HTTPFields()
                headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
                return Response(status: .ok, headers: headers,
                                body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.exposition())))
            }
        }
    }

    /// The probe server: `/healthz` answers 200 while the process runs; `/readyz` 200 once `ready()` returns nil,
    /// else 503 with the reason.
    public static func health(address: ListenAddress, logger: Logger,
                              ready: @escaping @Sendable () -> String?) -> RuntimeHTTPServer
    {
        RuntimeHTTPServer(name: "health", address: address, logger: logger) { router in
            router.get("/healthz") { _, _ -> Response in
                Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: "ok")))
            }
            router.get("/readyz") { _, _ -> Response in
                if let reason = ready() {
                    return Response(status: .serviceUnavailable,
                                    body: ResponseBody(byteBuffer: ByteBuffer(string: "not ready: \(reason)")))
                }
                return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: "ok")))
            }
        }
    }
}
