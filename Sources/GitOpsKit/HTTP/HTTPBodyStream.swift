/// The body of a streaming response as chunks.
public struct HTTPBodyStream: AsyncSequence, Sendable {
    public typealias Element = [UInt8]
    public typealias Failure = HTTPClientError

    let lifetime: HTTPStreamLifetime

    public struct AsyncIterator: AsyncIteratorProtocol, Sendable {
        public typealias Element = [UInt8]
        public typealias Failure = HTTPClientError

        let lifetime: HTTPStreamLifetime

        public mutating func next() async throws(HTTPClientError) -> [UInt8]? {
            try await lifetime.buffer.next()
        }

        public mutating func next(isolation actor: isolated (any Actor)?) async throws(HTTPClientError) -> [UInt8]? {
            try await lifetime.buffer.next()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(lifetime: lifetime) }
}
