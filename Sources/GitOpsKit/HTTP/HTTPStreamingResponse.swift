/// A response whose body arrives while it is read: status and headers first, then the body as chunks or lines.
///
/// Read the body once, through `body` or `lines`, from one task. Dropping the response (or cancelling the reading
/// task) stops the transfer.
///
/// Usage:
/// ```swift
/// let response = try await client.stream(HTTPClientRequest(url: watchURL))
/// for try await line in response.lines { handle(try JSONValue(json: line)) }
/// ```
public struct HTTPStreamingResponse: Sendable {
    public var status: Int
    public var headers: HTTPClientHeaders
    /// The body as the server's chunks, of any size.
    public let body: HTTPBodyStream
    /// The longest line `lines` accepts before failing with `.tooLarge`.
    public var maximumLineSize: Int

    init(status: Int, headers: HTTPClientHeaders, body: HTTPBodyStream, maximumLineSize: Int) {
        self.status = status
        self.headers = headers
        self.body = body
        self.maximumLineSize = maximumLineSize
    }

    /// The body split at `\n` (a trailing `\r` is removed); a last line without a newline is yielded too.
    public var lines: HTTPLineSequence { HTTPLineSequence(body: body, maximumLineSize: maximumLineSize) }

    /// Stops the transfer; reading then ends with `.cancelled`.
    public func cancel() { body.lifetime.buffer.cancelByConsumer() }

    /// Reads the rest of the body, failing with `.tooLarge` beyond `limit` bytes (e.g. an error status's message).
    public func collect(upTo limit: Int) async throws(HTTPClientError) -> [UInt8] {
        var bytes: [UInt8] = []
        var iterator = body.makeAsyncIterator()
        while let chunk = try await iterator.next() {
            guard bytes.count + chunk.count <= limit else {
                let error = HTTPClientError(code: .tooLarge, url: body.lifetime.buffer.url,
                                      message: "response body exceeds the limit of \(limit) bytes")
                body.lifetime.buffer.cancelByConsumer(error)
                throw error
            }
            bytes.append(contentsOf: chunk)
        }
        return bytes
    }
}

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

/// Splits bytes into `\n`-terminated lines (dropping a trailing `\r`), remembering a partial last line.
public struct HTTPLineSplitter: Sendable {
    public let maximumLineSize: Int
    private var buffer: [UInt8] = []
    private var start = 0
    /// Where to resume looking for a newline (bytes before it, from `start`, hold none).
    private var scanned = 0

    public init(maximumLineSize: Int) { self.maximumLineSize = maximumLineSize }

    /// Bytes received but not yet returned as a line.
    public var pendingCount: Int { buffer.count - start }

    public mutating func append(_ bytes: some Collection<UInt8>) {
        if start > 0, start >= buffer.count / 2 {
            buffer.removeFirst(start)
            scanned -= start
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete line, or nil when none is complete yet.
    public mutating func nextLine() -> [UInt8]? {
        guard let newline = buffer[scanned...].firstIndex(of: UInt8(ascii: "\n")) else {
            scanned = buffer.count
            return nil
        }
        var end = newline
        if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let line = Array(buffer[start..<end])
        start = newline + 1
        scanned = start
        return line
    }

    /// The unterminated rest at the end of the body, or nil when there is none.
    public mutating func remainder() -> [UInt8]? {
        guard start < buffer.count else { return nil }
        var line = Array(buffer[start...])
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        buffer = []
        start = 0
        scanned = 0
        return line
    }
}
