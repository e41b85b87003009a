/// Sends one HTTP POST of an event to notification-controller; the seam between the recorder and an HTTP client.
public protocol EventPoster: Sendable {
    /// POSTs `body` as `application/json` to `url`.
    /// - Returns: the HTTP status code.
    /// - Throws: when no response arrived (connection refused, timeout, …).
    func post(url: String, body: [UInt8], timeout: Duration) async throws -> Int
}

/// Why an event POST failed before a response arrived.
public struct EventPostError: Error, CustomStringConvertible, Sendable {
    public var url: String
    public var reason: String
    public var description: String { "POST \(url): \(reason)" }

    public init(url: String, reason: String) {
        self.url = url
        self.reason = reason
    }
}
