import CCurl

/// The loop thread's private state: the transfers it drives. Never leaves that thread.
final class CurlMultiDriver {
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
