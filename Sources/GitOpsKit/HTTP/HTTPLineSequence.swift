/// The body of a streaming response as lines, reassembled across chunk boundaries, each at most `maximumLineSize`
/// bytes (excluding the newline).
public struct HTTPLineSequence: AsyncSequence, Sendable {
    public typealias Element = [UInt8]
    public typealias Failure = HTTPClientError

    let body: HTTPBodyStream
    let maximumLineSize: Int

    public struct AsyncIterator: AsyncIteratorProtocol, Sendable {
        public typealias Element = [UInt8]
        public typealias Failure = HTTPClientError

        var chunks: HTTPBodyStream.AsyncIterator
        var splitter: HTTPLineSplitter
        var finished = false

        public mutating func next() async throws(HTTPClientError) -> [UInt8]? {
            while !finished {
                let line = splitter.nextLine()
                if (line?.count ?? splitter.pendingCount) > splitter.maximumLineSize {
                    finished = true
                    let error = HTTPClientError(code: .tooLarge, url: chunks.lifetime.buffer.url,
                                          message: "a line of the response exceeds the limit of \(splitter.maximumLineSize) bytes")
                    chunks.lifetime.buffer.cancelByConsumer(error)
                    throw error
                }
                if let line { return line }
                do {
                    guard let chunk = try await chunks.next() else {
                        finished = true
                        return splitter.remainder()
                    }
                    splitter.append(chunk)
                } catch {
                    finished = true
                    throw error
                }
            }
            return nil
        }

        public mutating func next(isolation actor: isolated (any Actor)?) async throws(HTTPClientError) -> [UInt8]? {
            try await next()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(chunks: body.makeAsyncIterator(), splitter: HTTPLineSplitter(maximumLineSize: maximumLineSize))
    }
}
