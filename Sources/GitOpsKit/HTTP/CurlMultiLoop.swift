import CCurl
import FoundationEssentials
import Logging
import Synchronization

/// Work for the loop thread.
enum CurlCommand: Sendable {
    case start(CurlTransferSpec)
    case cancel(UInt64)
    case resume(UInt64)
}

/// One dedicated thread driving a curl multi handle (`curl_multi_perform` + `curl_multi_poll`), fed through a
/// command queue. Submitters never block: they append a command and wake the poll.
///
/// The thread starts with the first command and exits once `requestShutdown()` was called and no transfer is left.
final class CurlMultiLoop: Sendable {
    private struct State {
        var commands: [CurlCommand] = []
        var threadStarted = false
        var shutdownRequested = false
        var exited = false
    }

    private let state = Mutex(State())
    private let nextID = Atomic<UInt64>(1)
    let multi: CurlMultiHandle?
    let logger: Logger

    init(maximumConnectionsPerHost: Int, logger: Logger) {
        self.logger = logger
        self.multi = CurlMultiHandle()
        if let multi {
            _ = gok_curl_multi_setopt_long(multi.raw, CURLMOPT_MAX_HOST_CONNECTIONS, maximumConnectionsPerHost)
        }
    }

    /// A fresh transfer id.
    func makeID() -> UInt64 { nextID.add(1, ordering: .relaxed).oldValue }

    /// Queues a command and wakes the loop, starting its thread on first use.
    func submit(_ command: CurlCommand) {
        enum Action { case wake, start, refuse }
        let action: Action = state.withLock { state in
            if state.exited { return .refuse }
            state.commands.append(command)
            if state.threadStarted { return .wake }
            state.threadStarted = true
            return .start
        }
        switch action {
        case .wake:
            multi?.wakeup()
        case .start:
            if !DetachedThread.start(name: "gitopskit-curl", { [self] in self.runThread() }) {
                // No thread (resource exhaustion): fail what is queued; the next submit tries again.
                let queued = state.withLock { state in
                    state.threadStarted = false
                    defer { state.commands.removeAll() }
                    return state.commands
                }
                for case .start(let spec) in queued {
                    spec.fail(HTTPClientError(code: .transferFailed, url: spec.request.url, message: "could not start the HTTP client thread"))
                }
            }
        case .refuse:
            if case .start(let spec) = command {
                spec.fail(HTTPClientError(code: .cancelled, url: spec.request.url, message: "the HTTP client was shut down"))
            }
        }
    }

    /// Lets the thread exit once every transfer has finished (called when the owning client goes away).
    func requestShutdown() {
        let started = state.withLock { state in
            state.shutdownRequested = true
            return state.threadStarted
        }
        if started { multi?.wakeup() }
    }

    var isShutdownRequested: Bool { state.withLock { $0.shutdownRequested } }

    /// Whether the thread has ended (after `requestShutdown()` and the last transfer).
    var hasExited: Bool { state.withLock { $0.exited } }

    /// The pending commands, or nil when the thread should exit now.
    func takeCommands(hasTransfers: Bool) -> [CurlCommand]? {
        state.withLock { state in
            if state.commands.isEmpty, state.shutdownRequested, !hasTransfers {
                state.exited = true
                return nil
            }
            let commands = state.commands
            state.commands.removeAll(keepingCapacity: true)
            return commands
        }
    }

    private func runThread() {
        guard let multi else {
            // No multi handle (out of memory at init): fail everything that arrives.
            while let commands = takeCommands(hasTransfers: false) {
                for case .start(let spec) in commands {
                    spec.fail(HTTPClientError(code: .transferFailed, url: spec.request.url, message: "curl_multi_init failed"))
                }
                if commands.isEmpty { DetachedThread.sleep(milliseconds: 50) }
            }
            return
        }
        CurlMultiDriver(loop: self, multi: multi.raw).run()
    }
}
