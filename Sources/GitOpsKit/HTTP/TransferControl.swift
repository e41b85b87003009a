import Synchronization

/// Shared between a request's caller and the loop thread: the transfer's id and whether the caller gave up.
final class TransferControl: Sendable {
    let id: UInt64
    let loop: CurlMultiLoop
    private let cancelled = Atomic<Bool>(false)

    init(loop: CurlMultiLoop) {
        self.loop = loop
        self.id = loop.makeID()
    }

    var isCancelled: Bool { cancelled.load(ordering: .acquiring) }

    /// Stops the transfer (at most once); the loop then completes it with `.cancelled`.
    func cancel() {
        if !cancelled.exchange(true, ordering: .acquiringAndReleasing) {
            loop.submit(.cancel(id))
        }
    }

    /// Unpauses a stream whose consumer caught up.
    func resume() { loop.submit(.resume(id)) }
}
