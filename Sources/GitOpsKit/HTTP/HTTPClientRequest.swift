/// One HTTP request for `HTTPClient`: what to send and the limits that apply to this request alone.
///
/// Usage:
/// ```swift
/// var request = HTTPClientRequest(method: .post, url: "https://example.com/hook", body: Array(json.utf8))
/// request.headers["Content-Type"] = "application/json"
/// let response = try await client.execute(request)
/// ```
public struct HTTPClientRequest: Sendable, Hashable {
    public var method: HTTPClientRequest.Method
    /// An absolute `http://` or `https://` URL.
    public var url: String
    public var headers: HTTPClientHeaders
    public var body: [UInt8]?
    /// The whole exchange must finish within this time; nil: the client's `requestTimeout` for `execute`, no limit
    /// for `stream` (whose idle timeout still applies).
    public var timeout: Duration?
    /// The largest body `execute` accepts; nil: the client's `maximumResponseSize`.
    public var maximumResponseSize: Int?
    /// Follow 3xx redirects (up to 10, http and https only).
    public var followRedirects: Bool

    public init(method: HTTPClientRequest.Method = .get, url: String, headers: HTTPClientHeaders = [:], body: [UInt8]? = nil,
                timeout: Duration? = nil, maximumResponseSize: Int? = nil, followRedirects: Bool = false) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.maximumResponseSize = maximumResponseSize
        self.followRedirects = followRedirects
    }
}

extension HTTPClientRequest {
    /// An HTTP method; any token is allowed, the common ones have names.
    public struct Method: RawRepresentable, Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
        public var rawValue: String

        public init(rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { self.rawValue = value }

        public static let get: Method = "GET"
        public static let head: Method = "HEAD"
        public static let post: Method = "POST"
        public static let put: Method = "PUT"
        public static let patch: Method = "PATCH"
        public static let delete: Method = "DELETE"

        public var description: String { rawValue }
    }
}
