import Foundation
import GitOpsKit
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// gok's own HTTP server in the demo, on one loopback port: the Helm repository the HelmRepository points at
/// (`GET /charts/<file>`, files held in memory) and the webhook the Alert's generic Provider posts to
/// (`POST /notifications`). Serving both from gok keeps the demo free of anything to install or run besides the
/// four controllers.
final class DemoHTTPServer: Sendable {
    /// The URL path of the Helm repository (the HelmRepository's `spec.url` is this under the base URL ``start()`` returns).
    static let chartsPath = "/charts"
    static let notificationsPath = "/notifications"
    /// How long the server may take to close its connections before it is cancelled.
    static let stopGrace: Duration = .seconds(2)

    private let http: RuntimeHTTPServer
    private let group: ServiceGroup
    private let running: Mutex<Task<Void, any Error>?> = Mutex(nil)
    /// Set when the server's task returns (stopped, or failed to listen).
    private let ended = Mutex(false)
    private let repository: HelmRepositoryFiles
    let sink: NotificationSink

    init(sink: NotificationSink, logger: Logger) {
        let repository = HelmRepositoryFiles()
        self.repository = repository
        self.sink = sink
        http = RuntimeHTTPServer(name: "gok-demo", address: ListenAddress(host: "127.0.0.1", port: 0), logger: logger) { router in
            router.get(RouterPath("\(Self.chartsPath)/:file")) { _, context -> Response in
                guard let name = context.parameters.get("file"), let bytes = repository.file(name) else {
                    return Response(status: .notFound)
                }
                var headers = HTTPFields()
                headers[.contentType] = name.hasSuffix(".yaml") ? "application/x-yaml" : "application/gzip"
                return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
            }
            router.post(RouterPath(Self.notificationsPath)) { request, _ -> Response in
                let body = try await request.body.collect(upTo: 1 << 20)
                sink.receive(Array(body.readableBytesView))
                return Response(status: .ok)
            }
        }
        group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [http], logger: logger))
    }

    /// Starts serving; returns the base URL (`http://127.0.0.1:<port>`), or throws when the server ends before it
    /// listens (a port that never comes is not waited for).
    func start() async throws -> String {
        let task = Task { [self] in
            defer { ended.withLock { $0 = true } }
            try await group.run()
        }
        running.withLock { $0 = task }
        let port = try await withThrowingTaskGroup(of: Int.self) { waiters in
            waiters.addTask { [self] in try await http.boundPort() }
            waiters.addTask { [self] in
                // Polled rather than awaiting `task.value`, which would outlive this wait's cancellation.
                while !ended.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(20)) }
                throw DemoError("gok's HTTP server stopped before it listened on 127.0.0.1")
            }
            defer { waiters.cancelAll() }
            return try await waiters.next() ?? 0
        }
        return "http://127.0.0.1:\(port)"
    }

    /// Publishes the file `name` in the Helm repository (`/charts/<name>`).
    func publish(_ name: String, _ bytes: [UInt8]) {
        repository.store(name, bytes)
    }

    /// Graceful shutdown; the server is cancelled when its connections are not closed within ``stopGrace``.
    func stop() async {
        guard let task = running.withLock({ $0.take() }) else { return }
        await group.triggerGracefulShutdown()
        await withTaskGroup(of: Void.self) { waiters in
            waiters.addTask { _ = await task.result }
            waiters.addTask {
                // Cancelled once the server is done; otherwise the grace is over and the server is cancelled.
                guard (try? await Task.sleep(for: Self.stopGrace)) != nil else { return }
                task.cancel()
            }
            await waiters.next()
            waiters.cancelAll()
        }
    }
}

/// The Helm repository's files: `index.yaml` and the chart archives, by name.
final class HelmRepositoryFiles: Sendable {
    private let files = Mutex<[String: [UInt8]]>([:])

    func store(_ name: String, _ bytes: [UInt8]) {
        files.withLock { $0[name] = bytes }
    }

    func file(_ name: String) -> [UInt8]? {
        files.withLock { $0[name] }
    }
}

/// The webhook end of the Alert: parses what notification-controller's generic Provider posts (the Flux event:
/// involved object, reason, message, metadata) and hands each one to `onReceive` as it arrives, so the narration
/// shows notifications live rather than at the next step.
final class NotificationSink: Sendable {
    /// One notification, as the generic Provider posts it.
    struct Notification: Sendable {
        var kind: String
        var namespace: String
        var name: String
        var reason: String
        var severity: String
        var message: String
        var revision: String?
        var controller: String?

        var object: String { "\(kind)/\(namespace.isEmpty ? "" : namespace + "/")\(name)" }

        /// `notification Kustomization/flux-system/fleet Progressing (info, kustomize-controller)` and the message,
        /// at most ``messageLines`` lines of it (a change set can be long).
        var narration: String {
            let origin = [severity, controller ?? ""].filter { !$0.isEmpty }.joined(separator: ", ")
            var lines = message.split(separator: "\n").map { "  " + $0 }
            if lines.count > Self.messageLines {
                let more = lines.count - Self.messageLines + 1
                lines = Array(lines.prefix(Self.messageLines - 1)) + ["  … \(more) more lines"]
            }
            return (["notification \(object) \(reason)" + (origin.isEmpty ? "" : " (\(origin))")] + lines)
                .joined(separator: "\n")
        }

        static let messageLines = 6
    }

    private let received = Mutex<[Notification]>([])
    private let onReceive: @Sendable (Notification) -> Void

    init(onReceive: @escaping @Sendable (Notification) -> Void) {
        self.onReceive = onReceive
    }

    var notifications: [Notification] { received.withLock { $0 } }

    /// Records a posted body; a body that is not a Flux event is ignored (the sink answers 200 all the same, as a
    /// webhook receiver should not make notification-controller retry garbage).
    func receive(_ body: [UInt8]) {
        guard let event = try? JSONValue(json: body), case .object = event else { return }
        let notification = Notification(
            kind: event[path: "involvedObject", "kind"]?.stringValue ?? "?",
            namespace: event[path: "involvedObject", "namespace"]?.stringValue ?? "",
            name: event[path: "involvedObject", "name"]?.stringValue ?? "?",
            reason: event["reason"]?.stringValue ?? "",
            severity: event["severity"]?.stringValue ?? "",
            message: event["message"]?.stringValue ?? "",
            revision: event[path: "metadata", "revision"]?.stringValue,
            controller: event["reportingController"]?.stringValue)
        received.withLock { $0.append(notification) }
        onReceive(notification)
    }

    /// The first notification after the first `skip` ones that satisfies `matches`, if any arrived yet.
    func first(after skip: Int = 0, where matches: (Notification) -> Bool) -> Notification? {
        received.withLock { Array($0.dropFirst(skip)).first(where: matches) }
    }
}
