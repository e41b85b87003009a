import Synchronization

/// The bounded queue of body chunks between the curl loop thread (producer) and one consuming task.
///
/// When `capacity` bytes wait unread, `offer` answers `.full`: the write callback then pauses the transfer and curl
/// keeps the chunk. Once the consumer drains below half the capacity it asks the loop to resume the transfer, so
/// memory stays bounded by `capacity` plus one chunk whatever the server sends.
final class HTTPBodyBuffer: Sendable {
    enum OfferResult { case accepted, full, closed }

    private struct State {
        var chunks: [[UInt8]] = []
        var head = 0
        var bufferedBytes = 0
        var paused = false
        var finished = false
        var error: HTTPClientError?
        var waiter: CheckedContinuation<Result<[UInt8]?, HTTPClientError>, Never>?
    }

    private let state = Mutex(State())
    private let capacity: Int
    let control: TransferControl
    let url: String

    init(capacity: Int, control: TransferControl, url: String) {
        self.capacity = max(1, capacity)
        self.control = control
        self.url = url
    }

    /// Producer: hands over received bytes (loop thread).
    func offer(_ bytes: UnsafeRawBufferPointer) -> OfferResult {
        let chunk = Array(bytes)
        let (result, waiter): (OfferResult, CheckedContinuation<Result<[UInt8]?, HTTPClientError>, Never>?) = state.withLock { state in
            if state.finished { return (.closed, nil) }
            if let waiter = state.waiter {
                state.waiter = nil
                return (.accepted, waiter)
            }
            if state.bufferedBytes >= capacity {
                state.paused = true
                return (.full, nil)
            }
            state.chunks.append(chunk)
            state.bufferedBytes += chunk.count
            return (.accepted, nil)
        }
        waiter?.resume(returning: .success(chunk))
        return result
    }

    /// Producer or canceller: no more data; `error` (if any) is thrown after the buffered chunks. First call wins.
    func finish(_ error: HTTPClientError?) {
        let waiter = state.withLock { state -> CheckedContinuation<Result<[UInt8]?, HTTPClientError>, Never>? in
            guard !state.finished else { return nil }
            state.finished = true
            state.error = error
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: error.map { .failure($0) } ?? .success(nil))
    }

    var isFinished: Bool { state.withLock { $0.finished } }

    /// Bytes received and not yet read.
    var bufferedByteCount: Int { state.withLock { $0.bufferedBytes } }

    /// Consumer: the next chunk, nil at the end, or the transfer's error.
    func next() async throws(HTTPClientError) -> [UInt8]? {
        if Task.isCancelled { cancelByConsumer() }
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<[UInt8]?, HTTPClientError>, Never>) in
                let (ready, unpause) = state.withLock { state -> (Result<[UInt8]?, HTTPClientError>?, Bool) in
                    if state.head < state.chunks.count {
                        let chunk = state.chunks[state.head]
                        state.chunks[state.head] = []
                        state.head += 1
                        state.bufferedBytes -= chunk.count
                        if state.head == state.chunks.count {
                            state.chunks.removeAll(keepingCapacity: true)
                            state.head = 0
                        }
                        var unpause = false
                        if state.paused, state.bufferedBytes <= capacity / 2 {
                            state.paused = false
                            unpause = true
                        }
                        return (.success(chunk), unpause)
                    }
                    if state.finished { return (state.error.map { .failure($0) } ?? .success(nil), false) }
                    state.waiter = continuation
                    return (nil, false)
                }
                if unpause { control.resume() }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            cancelByConsumer()
        }
        return try result.get()
    }

    /// The consumer gave up (task cancelled, stream dropped, line too long): end the stream and stop the transfer.
    func cancelByConsumer(_ error: HTTPClientError? = nil) {
        finish(error ?? .cancelled(url: url))
        control.cancel()
    }
}
