import CGit2
import FoundationEssentials
import Synchronization

/// Process-wide libgit2 setup and the thread that blocking libgit2 calls run on.
enum GitRuntime {
    /// `git_libgit2_init` once per process; mirrors are created by this process, so owner validation (meant for
    /// repositories of other users) is off.
    static let initialized: Bool = {
        git_libgit2_init()
        _ = gok_git_set_owner_validation(0)
        return true
    }()

    /// The message of libgit2's last error on this thread, with `fallback` when there is none.
    static func lastErrorMessage(_ fallback: String) -> String {
        guard let error = git_error_last(), let message = error.pointee.message else { return fallback }
        let text = String(cString: message)
        return text.isEmpty ? fallback : text
    }

    /// Throws `GitError(.operationFailed)` with libgit2's message when `status` is negative.
    static func check(_ status: Int32, _ what: @autoclosure () -> String) throws(GitError) {
        guard status < 0 else { return }
        throw GitError(.operationFailed, "\(what()): \(lastErrorMessage("error \(status)"))")
    }

    /// Runs `body` on a dedicated thread (libgit2 blocks: network, disk, compression) and awaits its result without
    /// occupying the cooperative pool. If the deadline passes or the task is cancelled, the caller gets
    /// `.timeout`/`.cancelled` at once and `control` tells libgit2's callbacks to abort; `onFinish` runs on the
    /// thread when `body` has really returned (release locks there, not in the caller).
    static func run<T: Sendable>(
        _ what: String, control: GitOperationControl, onFinish: @escaping @Sendable () -> Void = {},
        _ body: @escaping @Sendable () throws -> T
    ) async throws -> T {
        _ = initialized
        let gate = ResumeGate<T>()
        let started = DetachedThread.start(name: "git: \(what)", stackSize: 8 << 20) {
            let result = Result { try body() }
            gate.resume(with: result)
            onFinish()
        }
        guard started else {
            onFinish()
            throw GitError(.operationFailed, "\(what): could not start a thread")
        }
        let watchdog = Task {
            // A little grace so libgit2 can abort through its callbacks and report its own error first.
            try await Task.sleep(until: control.deadline + .seconds(1), clock: .continuous)
            control.cancel()
            gate.resume(with: .failure(GitError(.timeout, "\(what) timed out after \(control.timeout)")))
        }
        defer { watchdog.cancel() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { gate.install($0) }
        } onCancel: {
            control.cancel()
            gate.resume(with: .failure(GitError(.cancelled, "\(what) was cancelled")))
        }
    }
}

/// Delivers exactly one result to a continuation that may be installed before or after the result arrives.
final class ResumeGate<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        var pending: Result<T, any Error>?
        var done = false
    }

    private let state = Mutex(State())

    func install(_ continuation: CheckedContinuation<T, any Error>) {
        let ready = state.withLock { state -> Result<T, any Error>? in
            if let pending = state.pending {
                state.pending = nil
                state.done = true
                return pending
            }
            state.continuation = continuation
            return nil
        }
        if let ready { continuation.resume(with: ready) }
    }

    func resume(with result: Result<T, any Error>) {
        let continuation = state.withLock { state -> CheckedContinuation<T, any Error>? in
            guard !state.done else { return nil }
            guard let continuation = state.continuation else {
                if state.pending == nil { state.pending = result }
                return nil
            }
            state.continuation = nil
            state.done = true
            return continuation
        }
        continuation?.resume(with: result)
    }
}

/// Shared by the awaiting task and the libgit2 thread: the deadline and a cancellation flag the callbacks poll.
final class GitOperationControl: Sendable {
    let deadline: ContinuousClock.Instant
    let timeout: Duration
    private let cancelled = Atomic<Bool>(false)

    init(timeout: Duration) {
        self.timeout = timeout
        self.deadline = .now + timeout
    }

    func cancel() {
        cancelled.store(true, ordering: .relaxed)
    }

    /// Why the operation must stop now, if it must.
    var stopReason: GitError? {
        if ContinuousClock.now >= deadline { return GitError(.timeout, "Git operation timed out after \(timeout)") }
        if cancelled.load(ordering: .relaxed) { return GitError(.cancelled, "Git operation was cancelled") }
        return nil
    }
}
