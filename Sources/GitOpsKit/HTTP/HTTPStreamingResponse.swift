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
