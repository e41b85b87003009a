/// Owned by the consumer side only: when the last copy of a stream goes away unfinished, the transfer stops.
final class HTTPStreamLifetime: Sendable {
    let buffer: HTTPBodyBuffer

    init(buffer: HTTPBodyBuffer) { self.buffer = buffer }

    deinit {
        if !buffer.isFinished { buffer.cancelByConsumer() }
    }
}
