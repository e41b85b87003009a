import GitOpsKit
import Hummingbird
import Logging
import Synchronization

/// A local HTTP endpoint standing in for Slack or a webhook: records every request and answers with scripted
/// statuses (then 200).
final class RecordingWebhook: Sendable {
    struct Recorded: Sendable {
        var path: String
        var headers: [String: String]
        var body: [UInt8]
        var json: JSONValue? { try? JSONValue(json: body) }
    }

    private let server: RuntimeHTTPServer
    /// The shared log the route writes to.
    final class Log: Sendable {
        let state: Mutex<(requests: [Recorded], statuses: [Int])>
        init(statuses: [Int]) { state = Mutex(([], statuses)) }
    }

    private let log: Log
    private let task: Task<Void, any Error>
    let port: Int

    var url: String { "http://127.0.0.1:\(port)/hook" }
    var requests: [Recorded] { log.state.withLock { $0.requests } }

    init(statuses: [Int] = []) async throws {
        let log = Log(statuses: statuses)
        self.log = log
        let server = RuntimeHTTPServer(name: "webhook", address: ListenAddress(host: "127.0.0.1", port: 0),
                                       logger: Logger(label: "webhook")) { router in
            let record: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
                let body = try await request.body.collect(upTo: 1 << 20)
                var headers: [String: String] = [:]
                for field in request.headers { headers[field.name.canonicalName] = field.value }
                let status = log.state.withLock { state in
                    state.requests.append(Recorded(path: request.uri.path, headers: headers,
                                                   body: Array(body.readableBytesView)))
                    return state.statuses.isEmpty ? 200 : state.statuses.removeFirst()
                }
                return Response(status: .init(code: status))
            }
            router.post("/hook", use: record)
            router.post("/hook/slack", use: record)
            router.post("/api/v3/**", use: record)
        }
        self.server = server
        task = Task { try await server.run() }
        port = try await server.boundPort()
    }

    func stop() { task.cancel() }
    deinit { task.cancel() }
}
