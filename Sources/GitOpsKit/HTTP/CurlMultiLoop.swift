import CCurl
import Foundation
import Logging
import Synchronization

/// Runs `curl_global_init` once per process, before the first handle is made.
private let curlGlobalInitResult: CURLcode = curl_global_init(3 /* CURL_GLOBAL_DEFAULT: SSL | WIN32 */)

/// A curl multi handle shared between the loop thread and submitters.
///
/// `@unchecked Sendable`: only the loop thread calls `curl_multi_*` on `raw`, except `curl_multi_wakeup`, which
/// libcurl documents as safe to call from any thread. Cleanup runs in `deinit`, after the loop thread has exited
/// (the thread holds a reference while it runs).
final class CurlMultiHandle: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer

    init?() {
        _ = curlGlobalInitResult
        guard let raw = curl_multi_init() else { return nil }
        self.raw = raw
    }

    func wakeup() { _ = curl_multi_wakeup(raw) }

    deinit { curl_multi_cleanup(raw) }
}

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
            let thread = Thread { [self] in self.runThread() }
            thread.name = "gitopskit-curl"
            thread.start()
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
    fileprivate func takeCommands(hasTransfers: Bool) -> [CurlCommand]? {
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
                if commands.isEmpty { Thread.sleep(forTimeInterval: 0.05) }
            }
            return
        }
        CurlMultiDriver(loop: self, multi: multi.raw).run()
    }
}

/// The loop thread's private state: the transfers it drives. Never leaves that thread.
private final class CurlMultiDriver {
    let loop: CurlMultiLoop
    let multi: UnsafeMutableRawPointer
    var transfers: [UInt64: CurlTransfer] = [:]
    var idsByHandle: [UnsafeMutableRawPointer: UInt64] = [:]
    /// When the idle scan must next run; nil while no running stream has an idle timeout.
    var nextIdleCheck: ContinuousClock.Instant?

    init(loop: CurlMultiLoop, multi: UnsafeMutableRawPointer) {
        self.loop = loop
        self.multi = multi
    }

    func run() {
        while let commands = loop.takeCommands(hasTransfers: !transfers.isEmpty) {
            for command in commands { apply(command) }
            var running: Int32 = 0
            _ = curl_multi_perform(multi, &running)
            reapFinished()
            if transfers.isEmpty, loop.isShutdownRequested { continue }  // exit now rather than after a poll
            let timeout = expireIdleStreams()
            var ready: Int32 = 0
            // libcurl shortens the wait to its own timers; commands interrupt it through curl_multi_wakeup.
            _ = curl_multi_poll(multi, nil, 0, timeout, &ready)
        }
    }

    private func apply(_ command: CurlCommand) {
        switch command {
        case .start(let spec):
            if spec.control.isCancelled {
                spec.fail(.cancelled(url: spec.request.url))
                return
            }
            let transfer: CurlTransfer
            do {
                transfer = try CurlTransfer(spec: spec)
            } catch {
                spec.fail(error)
                return
            }
            let added = curl_multi_add_handle(multi, transfer.easy)
            guard added == CURLM_OK else {
                let message = String(cString: curl_multi_strerror(added))
                transfer.complete(HTTPClientError(code: .transferFailed, url: spec.request.url, message: message))
                return
            }
            transfers[spec.control.id] = transfer
            idsByHandle[transfer.easy] = spec.control.id
            noteIdleDeadline(of: transfer)
        case .cancel(let id):
            guard let transfer = remove(id) else { return }
            transfer.complete(.cancelled(url: transfer.spec.request.url))
        case .resume(let id):
            guard let transfer = transfers[id] else { return }
            transfer.resumedForReader()
            noteIdleDeadline(of: transfer)
            _ = curl_easy_pause(transfer.easy, CURLPAUSE_RECV_CONT | CURLPAUSE_SEND_CONT)
        }
    }

    private func remove(_ id: UInt64) -> CurlTransfer? {
        guard let transfer = transfers.removeValue(forKey: id) else { return nil }
        idsByHandle[transfer.easy] = nil
        _ = curl_multi_remove_handle(multi, transfer.easy)
        return transfer
    }

    /// Ends streams silent for longer than their idle timeout; returns how long the loop may sleep before the next
    /// deadline (at most 10 s). `nextIdleCheck` is a lower bound of every running stream's deadline, so most wakeups
    /// skip the scan.
    private func expireIdleStreams() -> Int32 {
        let longest = Duration.seconds(10)
        guard let next = nextIdleCheck else { return Int32(longest.milliseconds) }
        let now = ContinuousClock.now
        if now < next { return Int32(min(longest, next - now).milliseconds) }
        var earliest: ContinuousClock.Instant?
        for (id, transfer) in transfers {
            guard let idleTimeout = transfer.idleTimeout, !transfer.pausedForReader else { continue }
            let deadline = transfer.lastActivity + idleTimeout
            if deadline <= now {
                _ = remove(id)
                transfer.complete(HTTPClientError(code: .timedOut, url: transfer.spec.request.url,
                                                  message: "no data received for \(idleTimeout)"))
            } else {
                earliest = min(earliest ?? deadline, deadline)
            }
        }
        nextIdleCheck = earliest
        guard let earliest else { return Int32(longest.milliseconds) }
        return Int32(min(longest, earliest - now).milliseconds)
    }

    /// Makes sure the idle scan runs by the time `transfer` could become idle.
    private func noteIdleDeadline(of transfer: CurlTransfer) {
        guard let idleTimeout = transfer.idleTimeout else { return }
        let deadline = transfer.lastActivity + idleTimeout
        nextIdleCheck = min(nextIdleCheck ?? deadline, deadline)
    }

    private func reapFinished() {
        var left: Int32 = 0
        while let message = curl_multi_info_read(multi, &left) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                  let id = idsByHandle[easy] else { continue }
            let result = message.pointee.data.result
            guard let transfer = remove(id) else { continue }
            transfer.complete(result: result)
        }
    }
}
