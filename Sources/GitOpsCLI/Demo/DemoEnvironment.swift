import Foundation
import GitOpsKit
import KubeEmulator
import Logging
import Synchronization

/// Everything the demo starts — the emulator, the controller processes, gok's HTTP server, the scratch directory — registered the
/// moment it exists, so ``stop(narrator:)`` can take it all down whatever point the demo reached (finished,
/// failed, or interrupted by a signal).
final class DemoEnvironment: Sendable {
    /// A temporary directory for the Git repositories, artifacts, logs and (by default) the kubeconfig.
    let scratch: String
    private let state = Mutex<(emulator: KubeEmulator?, children: [ChildProcess], server: DemoHTTPServer?)>((nil, [], nil))

    /// How long a controller may take to exit after SIGTERM before it is killed.
    static let stopGrace: Duration = .seconds(5)

    init() throws(DemoError) {
        let template = FileManager.default.temporaryDirectory.appendingPathComponent("gok-demo-XXXXXX").path
        var bytes = Array(template.utf8CString)
        guard let created = mkdtemp(&bytes) else {
            throw DemoError("cannot create a temporary directory (\(template)): \(String(cString: strerror(errno)))")
        }
        scratch = String(cString: created)
    }

    /// Starts the in-process emulator.
    func startEmulator(_ configuration: KubeEmulatorConfiguration, logger: Logger) async throws -> KubeEmulatorEndpoint {
        let emulator = KubeEmulator(configuration: configuration, logger: logger)
        state.withLock { $0.emulator = emulator }
        return try await emulator.start()
    }

    /// Starts gok's HTTP server (Helm repository and webhook sink); returns its base URL.
    func startHTTPServer(_ server: DemoHTTPServer) async throws -> String {
        state.withLock { $0.server = server }
        return try await server.start()
    }

    /// Starts a controller executable as a child process in its own process group; its output goes to
    /// `<scratch>/<name>.log`.
    func startController(_ name: String, executable: String, arguments: [String]) throws(DemoError) -> ChildProcess {
        let child = try ChildProcess(name: name, arguments: [executable] + arguments,
                                     logPath: scratch + "/\(name).log", newProcessGroup: true)
        state.withLock { $0.children.append(child) }
        return child
    }

    var children: [ChildProcess] { state.withLock { $0.children } }

    /// Stops the controllers one after the other in ``DemoInstallation/stopOrder`` (SIGTERM, SIGKILL after
    /// ``stopGrace``), then gok's HTTP server (nothing posts to it any more), then the emulator, then removes the
    /// scratch directory. Idempotent.
    ///
    /// One at a time because a controller drains its in-flight reconciles on SIGTERM: stopped all at once,
    /// kustomize-controller would wait out its health-check timeout for a HelmRelease that helm-controller no longer
    /// reconciles, and the others would retry posting events to a notification-controller already gone.
    func stop(narrator: DemoNarrator) async {
        let (emulator, children, server) = state.withLock { state in
            let taken = (state.emulator, state.children, state.server)
            state = (nil, [], nil)
            return taken
        }
        func rank(_ child: ChildProcess) -> Int { DemoInstallation.stopOrder.firstIndex(of: child.name) ?? -1 }
        for child in children.reversed().sorted(by: { rank($0) < rank($1) }) {
            let stopping = ContinuousClock.now
            let (status, killed) = await child.stop(grace: Self.stopGrace)
            let how = killed ? "killed: still running \(Self.stopGrace) after SIGTERM"
                : "exited with status \(status) \(DemoNarrator.seconds(ContinuousClock.now - stopping)) after SIGTERM"
            narrator.detail("\(child.name) (pid \(child.pid)) \(how)")
        }
        if let server {
            let stopping = ContinuousClock.now
            await server.stop()
            narrator.detail("gok's HTTP server (Helm repository, webhook) stopped in \(DemoNarrator.seconds(ContinuousClock.now - stopping))")
        }
        if let emulator {
            let stopping = ContinuousClock.now
            await emulator.shutdown()
            narrator.detail("KubeEmulator stopped in \(DemoNarrator.seconds(ContinuousClock.now - stopping))")
        }
        do {
            try FileManager.default.removeItem(atPath: scratch)
            narrator.detail("removed \(scratch)")
        } catch {
            narrator.detail("could not remove \(scratch): \(error.localizedDescription)")
        }
    }

    /// Picks a loopback TCP port nobody listens on right now (bound to port 0, then released).
    static func freePort() throws(DemoError) -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw DemoError("socket() failed: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw DemoError("cannot bind a loopback port: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
