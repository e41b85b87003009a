import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GitOpsKit
@testable import KubeEmulator
import Synchronization
import Testing

/// Shutting the emulator down while clients are busy: no ordering of requests, watches, bare connections and
/// shutdown may crash the process (NIO traps on an accepted connection nobody served) or leave a watch open.
@Suite struct ShutdownTests {
    @Test func shutdownUnderLoadEndsEveryWatchAndStopsGracefully() async throws {
        let emulator = KubeEmulator(configuration: KubeEmulatorConfiguration(tls: false, token: "shutdown-token",
                                                                             bookmarkInterval: .milliseconds(50)),
                                    logger: TestEmulators.logger)
        let endpoint = try await emulator.start()
        let client = TestHTTPClient(baseURL: endpoint.url, token: endpoint.token)
        let namespace = try await TestEmulators.namespace(client, "shutdown")
        let configMaps = "/api/v1/namespaces/\(namespace)/configmaps"

        // Watches open before the shutdown, each seen to deliver its initial events.
        var early: [WatchConnection] = []
        for _ in 0..<6 {
            let watch = client.watch("/api/v1/namespaces?watch=true&allowWatchBookmarks=true")
            #expect(await watch.next(timeout: .seconds(20)) != nil, "a watch opened before the shutdown got no event")
            early.append(watch)
        }

        let hammer = ConnectionHammer(port: endpoint.port, token: endpoint.token)
        let load = ClientLoad()
        let connections = Task { await hammer.run() }
        let clients = Task {
            await withTaskGroup(of: Void.self) { group in
                for worker in 0..<4 {
                    group.addTask {
                        var round = 0
                        while !load.stopped {
                            round += 1
                            switch (worker + round) % 3 {
                            case 0: _ = try? await client.get(configMaps)
                            case 1: _ = try? await client.post(configMaps, ["metadata": ["name": .string("c-\(worker)-\(round)")]])
                            default:
                                let watch = client.watch("\(configMaps)?watch=true&allowWatchBookmarks=true")
                                load.add(watch)
                            }
                            load.countRequest()
                        }
                    }
                }
            }
        }

        // Shut down while all of that goes on.
        let enoughLoad = try await TestEmulators.eventually(timeout: .seconds(30)) {
            load.requests >= 20 && hammer.connections >= 20
        }
        #expect(enoughLoad, "the clients did not get going")
        await emulator.shutdown()
        try await Task.sleep(for: .milliseconds(100))  // some clients keep trying against the closed port
        load.stop()
        hammer.stop()
        await clients.value
        await connections.value

        #expect(!emulator.shutdownWasForced, "handlers were still running after the grace period")
        let all = early + load.watches
        var open = 0
        for watch in all {
            if await !watch.ends(within: .seconds(20)) { open += 1 }
        }
        #expect(open == 0, "\(open) of \(all.count) watches stayed open after the shutdown")
        #expect(emulator.api.store.watcherCount == 0)
        let late = ConnectionHammer.connect(port: endpoint.port)
        #expect(late == nil, "the port still accepts connections")
        if let late { close(late) }
    }

    @Test func watchesStartedAfterShutdownBeganEndAfterTheirInitialEvents() async throws {
        let store = ObjectStore(historyLimit: 100)
        let live = try store.watch(nil, since: nil, includeInitial: false, initialNamespace: nil, bufferLimit: 10)
        #expect(store.watcherCount == 1)
        store.finishAllWatchers()
        #expect(store.watcherCount == 0)
        let late = try store.watch(ObjectStore.namespaces, since: nil, includeInitial: true, initialNamespace: nil,
                                   bufferLimit: 10)
        #expect(store.watcherCount == 0, "a watch registered after the shutdown began")
        for stream in [live.stream, late.stream] {
            var iterator = stream.makeAsyncIterator()
            #expect(await iterator.next() == nil)
        }
    }
}

/// What the request workers share with the test.
final class ClientLoad: Sendable {
    /// Guards the stop flag, the request count and the watches opened.
    private let state = Mutex((stopped: false, requests: 0, watches: [WatchConnection]()))

    var stopped: Bool { state.withLock { $0.stopped } }
    var requests: Int { state.withLock { $0.requests } }
    var watches: [WatchConnection] { state.withLock { $0.watches } }

    func stop() { state.withLock { $0.stopped = true } }
    func countRequest() { state.withLock { $0.requests += 1 } }
    func add(_ watch: WatchConnection) { state.withLock { $0.watches.append(watch) } }
}

extension WatchConnection {
    /// Whether the server ended the watch within `limit` (events still arriving are skipped).
    func ends(within limit: Duration) async -> Bool {
        let events = self.events
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await _ in events {}
                return !Task.isCancelled
            }
            group.addTask {
                try? await Task.sleep(for: limit)
                return false
            }
            let ended = await group.next() ?? false
            group.cancelAll()
            return ended
        }
    }
}

/// Opens bare TCP connections as fast as it can on its own thread: a full request then close without reading,
/// half a request, nothing at all, or a connection kept open until the end; so connections are accepted at every
/// moment of the shutdown.
final class ConnectionHammer: Sendable {
    private let port: Int
    private let request: [UInt8]
    private let state = Mutex((stopped: false, connections: 0))

    init(port: Int, token: String) {
        self.port = port
        request = Array("GET /api/v1/namespaces HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n\r\n".utf8)
    }

    /// How many connections the server accepted so far.
    var connections: Int { state.withLock { $0.connections } }

    func stop() { state.withLock { $0.stopped = true } }

    /// Runs until `stop()`; blocking socket calls stay off the cooperative pool.
    func run() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                self.loop()
                continuation.resume()
            }
        }
    }

    private func loop() {
        var kept: [Int32] = []
        defer { for fd in kept { close(fd) } }
        var round = 0
        while !state.withLock({ $0.stopped }) {
            round += 1
            guard let fd = Self.connect(port: port) else {
                usleep(1_000)
                continue
            }
            state.withLock { $0.connections += 1 }
            switch round % 4 {
            case 0: _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            case 1: _ = request.withUnsafeBytes { send(fd, $0.baseAddress, 9, Int32(MSG_NOSIGNAL)) }
            case 2: break
            default:
                if kept.count < 32 {
                    kept.append(fd)
                    continue
                }
            }
            close(fd)
        }
    }

    /// A connected socket to 127.0.0.1:`port`, or nil when nothing accepts (send and connect time out after 2 s).
    static func connect(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else {
            close(fd)
            return nil
        }
        return fd
    }
}
