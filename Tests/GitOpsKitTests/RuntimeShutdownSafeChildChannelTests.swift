import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Hummingbird
import Logging
import NIOCore
import Testing

@testable import GitOpsKit

/// Cancelling a Hummingbird server while connections it accepted wait in NIO's buffer: with plain `.http1()` the
/// process traps ("Deinited NIOAsyncWriter without calling finish()"); `ShutdownSafeChildChannel` closes them.
struct RuntimeShutdownSafeChildChannelTests {
    @Test func cancellingTheServerClosesConnectionsItNeverServed() async throws {
        for _ in 0..<5 {
            let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
            let app = Application(
                router: Router(), server: .shutdownSafeHTTP1(),
                configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { channel in
                    portContinuation.yield(channel.localAddress?.port ?? 0)
                    portContinuation.finish()
                },
                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
            let server = Task { try await app.runService(gracefulShutdownSignals: []) }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            // A burst of connections, then cancel at once: most are still buffered, unserved.
            let sockets = await Self.offPool { (0..<64).compactMap { _ in Self.connect(port: port) } }
            server.cancel()
            _ = await server.result
            #expect(sockets.count == 64)
            let deadline = ContinuousClock.now + .seconds(20)
            let closed = await Self.offPool { sockets.filter { Self.waitForClose($0, until: deadline) }.count }
            #expect(closed == sockets.count, "\(sockets.count - closed) connections stayed open")
        }
    }

    private static func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: work()) }
        }
    }

    /// Whether the peer closes `fd` by `deadline` (then closes our end too).
    private static func waitForClose(_ fd: Int32, until deadline: ContinuousClock.Instant) -> Bool {
        defer { close(fd) }
        let left = max(deadline - ContinuousClock.now, .milliseconds(10))
        var timeout = timeval(tv_sec: Int(left.components.seconds), tv_usec: Int(left.components.attoseconds / 1_000_000_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var byte: UInt8 = 0
        while true {
            let count = recv(fd, &byte, 1, 0)
            if count == 0 { return true }
            if count < 0 { return errno == ECONNRESET }
        }
    }

    private static func connect(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
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
