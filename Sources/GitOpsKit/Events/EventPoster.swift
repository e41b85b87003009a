/// Sends one HTTP POST of an event to notification-controller; the seam between the recorder and an HTTP client.
public protocol EventPoster: Sendable {
    /// POSTs `body` as `application/json` to `url`.
    /// - Returns: the HTTP status code.
    /// - Throws: when no response arrived (connection refused, timeout, …).
    func post(url: String, body: [UInt8], timeout: Duration) async throws -> Int
}
