import GitOpsKit
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOSSL
import Synchronization

/// A local HTTP(S) endpoint standing in for Slack, a webhook, a Git host's API or a proxy: records every POST (any
/// path) and answers with scripted statuses (then 200).
final class RecordingWebhook: Sendable {
    struct Recorded: Sendable {
        var path: String
        /// The request target as sent: absolute (`http://host/…`) when the client went through this as a proxy.
        var uri: String
        var headers: [String: String]
        var body: [UInt8]
        var json: JSONValue? { try? JSONValue(json: body) }
    }

    /// The shared log the route writes to.
    final class Log: Sendable {
        let state: Mutex<(requests: [Recorded], statuses: [Int])>
        init(statuses: [Int]) { state = Mutex(([], statuses)) }
    }

    private let log: Log
    private let task: Task<Void, any Error>
    let port: Int
    let scheme: String

    var url: String { "\(scheme)://127.0.0.1:\(port)/hook" }
    var requests: [Recorded] { log.state.withLock { $0.requests } }

    /// - Parameter tls: serve HTTPS with this configuration.
    init(statuses: [Int] = [], tls: TLSConfiguration? = nil) async throws {
        let log = Log(statuses: statuses)
        self.log = log
        scheme = tls == nil ? "http" : "https"
        let router = Router()
        let record: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            let body = try await request.body.collect(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            // HTTP types keep `Host` as the `:authority` pseudo header.
            if let authority = request.head.authority { headers["host"] = authority }
            let status = log.state.withLock { state in
                state.requests.append(Recorded(path: request.uri.path, uri: request.uri.description, headers: headers,
                                               body: Array(body.readableBytesView)))
                return state.statuses.isEmpty ? 200 : state.statuses.removeFirst()
            }
            return Response(status: .init(code: status))
        }
        router.post("/", use: record)
        router.post("**", use: record)
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let server: HTTPServerBuilder = if let tls { try .tls(.http1(), tlsConfiguration: tls) } else { .http1() }
        let application = Application(
            router: router, server: server,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0), serverName: nil),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: Logger(label: "webhook", factory: { _ in SwiftLogNoOpLogHandler() }))
        task = Task { try await application.run() }
        var iterator = ports.makeAsyncIterator()
        port = await iterator.next() ?? 0
    }

    func stop() { task.cancel() }
    deinit { task.cancel() }
}
