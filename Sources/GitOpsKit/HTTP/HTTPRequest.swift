/// An HTTP method; any token is allowed, the common ones have names.
public struct HTTPMethod: RawRepresentable, Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public static let get: HTTPMethod = "GET"
    public static let head: HTTPMethod = "HEAD"
    public static let post: HTTPMethod = "POST"
    public static let put: HTTPMethod = "PUT"
    public static let patch: HTTPMethod = "PATCH"
    public static let delete: HTTPMethod = "DELETE"

    public var description: String { rawValue }
}

/// One HTTP request for `HTTPClient`: what to send and the limits that apply to this request alone.
///
/// Usage:
/// ```swift
/// var request = HTTPRequest(method: .post, url: "https://example.com/hook", body: Array(json.utf8))
/// request.headers["Content-Type"] = "application/json"
/// let response = try await client.execute(request)
/// ```
public struct HTTPRequest: Sendable, Hashable {
    public var method: HTTPMethod
    /// An absolute `http://` or `https://` URL.
    public var url: String
    public var headers: HTTPHeaders
    public var body: [UInt8]?
    /// The whole exchange must finish within this time; nil: the client's `requestTimeout` for `execute`, no limit
    /// for `stream` (whose idle timeout still applies).
    public var timeout: Duration?
    /// The largest body `execute` accepts; nil: the client's `maximumResponseSize`.
    public var maximumResponseSize: Int?
    /// Follow 3xx redirects (up to 10, http and https only).
    public var followRedirects: Bool

    public init(method: HTTPMethod = .get, url: String, headers: HTTPHeaders = [:], body: [UInt8]? = nil,
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
