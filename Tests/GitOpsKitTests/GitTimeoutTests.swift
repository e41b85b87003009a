import Foundation
import Logging
import Testing

@testable import GitOpsKit

/// A remote that accepts connections and never answers: fetches must end at their timeout or on cancellation
/// instead of hanging.
@Suite struct GitTimeoutTests {
    typealias Support = ArtifactTestSupport

    static func startSilentServer() throws -> GitTestSupport.Server {
        let script = """
            import socket, time
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", 0))
            s.listen(16)
            print(s.getsockname()[1], flush=True)
            held = []
            while True:
                conn, _ = s.accept()
                held.append(conn)
            """
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw Support.CommandFailure(command: ["pipe"], status: errno, output: "") }
        let pid = try GitTestSupport.spawn(["python3", "-c", script], stdout: fds[1])
        close(fds[1])
        let reader = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true)
        return GitTestSupport.Server(pid: pid, port: try GitTestSupport.readPort(from: reader))
    }

    @Test func aSilentRemoteTimesOut() async throws {
        let root = try Support.makeDirectory("gittimeout")
        defer { Support.cleanUp(root) }
        let server = try Self.startSilentServer()
        defer { server.stop() }
        let mirrors = GitRepositoryMirror(root: root, logger: Logger(label: "test"))
        let started = ContinuousClock.now
        await #expect {
            try await mirrors.fetch(
                key: "ns/slow", url: "http://127.0.0.1:\(server.port)/repo.git", reference: GitReference(branch: "main"),
                credentials: .none, timeout: .milliseconds(500))
        } throws: { error in
            (error as? GitError)?.code == .timeout
        }
        let elapsed = ContinuousClock.now - started
        #expect(elapsed < .seconds(10))
    }

    @Test func cancellingTheTaskStopsTheFetch() async throws {
        let root = try Support.makeDirectory("gitcancel")
        defer { Support.cleanUp(root) }
        let server = try Self.startSilentServer()
        defer { server.stop() }
        let mirrors = GitRepositoryMirror(root: root, logger: Logger(label: "test"))
        let task = Task {
            try await mirrors.fetch(
                key: "ns/cancel", url: "http://127.0.0.1:\(server.port)/repo.git", reference: GitReference(branch: "main"),
                credentials: .none, timeout: .seconds(60))
        }
        try await Task.sleep(for: .milliseconds(300))
        let started = ContinuousClock.now
        task.cancel()
        await #expect {
            try await task.value
        } throws: { error in
            (error as? GitError)?.code == .cancelled
        }
        #expect(ContinuousClock.now - started < .seconds(20), "the fetch's own timeout is 60 s")
    }
}
