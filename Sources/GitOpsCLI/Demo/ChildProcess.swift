import Foundation
import Synchronization

/// A child process started with `posix_spawn`, its stdout and stderr appended to a file.
///
/// The child gets default handlers for SIGINT/SIGTERM/SIGPIPE (gok ignores them itself while it handles them),
/// an empty signal mask, no descriptor above 2, and optionally its own process group, so a terminal's Ctrl-C
/// reaches gok alone and gok stops its children in order.
final class ChildProcess: Sendable {
    let name: String
    let pid: pid_t
    let logPath: String
    /// The exit status once reaped (a signal number is reported as 128 + signal, as shells do).
    private let exitStatus = Mutex<Int32?>(nil)

    /// Starts `arguments[0]` (a path, or a name looked up in `PATH`).
    init(name: String, arguments: [String], environment: [String: String] = [:], logPath: String,
         newProcessGroup: Bool) throws(DemoError)
    {
        self.name = name
        self.logPath = logPath
        let log = open(logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard log >= 0 else { throw DemoError("cannot create \(logPath): \(String(cString: strerror(errno)))") }
        defer { close(log) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, log, 1)
        posix_spawn_file_actions_adddup2(&actions, log, 2)
        // The emulator's listening socket and every other descriptor of gok stay out of the child.
        try Self.closeDescriptorsFrom3(&actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        if newProcessGroup {
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { _, new in new }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, envp)
        guard status == 0 else {
            throw DemoError("cannot start \(arguments[0]): \(String(cString: strerror(status)))")
        }
        self.pid = pid
    }

    /// Reaps the child if it exited; returns its status, or nil while it runs.
    func poll() -> Int32? {
        exitStatus.withLock { recorded in
            if let recorded { return recorded }
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            guard result == pid else {
                // ECHILD: reaped elsewhere; report it as gone rather than running forever.
                if result < 0 && errno == ECHILD { recorded = -1 }
                return recorded
            }
            let low = status & 0x7f
            recorded = low == 0 ? (status >> 8) & 0xff : 128 + low
            return recorded
        }
    }

    var isRunning: Bool { poll() == nil }

    func signal(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// Waits for the exit. Cancellation kills the child (SIGKILL) and reaps it before rethrowing.
    func waitForExit(pollInterval: Duration = .milliseconds(20)) async throws -> Int32 {
        while true {
            if let status = poll() { return status }
            do {
                try await Task.sleep(for: pollInterval)
            } catch {
                stopNow()
                throw error
            }
        }
    }

    /// SIGTERM, then SIGKILL when it is still running after `grace`. Returns the exit status and whether it was
    /// killed.
    func stop(grace: Duration) async -> (status: Int32, killed: Bool) {
        signal(SIGTERM)
        let deadline = ContinuousClock.now + grace
        while ContinuousClock.now < deadline {
            if let status = poll() { return (status, false) }
            // Cleanup runs after the demo's task was cancelled, in an uncancelled context; a sleep error cannot
            // happen there, and if it did the loop would only spin to the deadline.
            try? await Task.sleep(for: .milliseconds(20))
        }
        return (stopNow(), true)
    }

    /// SIGKILL and reap (blocking for the moment the kernel needs).
    @discardableResult
    func stopNow() -> Int32 {
        if let status = poll() { return status }
        kill(pid, SIGKILL)
        return exitStatus.withLock { recorded in
            if let recorded { return recorded }
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
            recorded = 128 + SIGKILL
            return 128 + SIGKILL
        }
    }

    /// The last `limit` characters of the child's output.
    func logTail(_ limit: Int = 2_000) -> String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return String(text.suffix(limit))
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np(actions, 3)` (glibc ≥ 2.34; Swift's Glibc module does not
    /// export it, so it is looked up at run time).
    private static func closeDescriptorsFrom3(_ actions: inout posix_spawn_file_actions_t) throws(DemoError) {
        typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else {
            throw DemoError("posix_spawn_file_actions_addclosefrom_np is missing (glibc < 2.34)")
        }
        let addCloseFrom = unsafeBitCast(symbol, to: AddCloseFrom.self)
        guard addCloseFrom(&actions, 3) == 0 else { throw DemoError("posix_spawn_file_actions_addclosefrom_np failed") }
    }
}
