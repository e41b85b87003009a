import GitOpsKit

/// A registry request that did not give what was asked for, with the request in the message so a status names it.
public enum RegistryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No response: connection refused, DNS, TLS, timeout (the transport's own error).
    case unreachable(method: String, url: String, HTTPClientError)
    /// 401 or 403: the credentials are missing or rejected.
    case unauthorized(method: String, url: String, status: Int, detail: String, hadCredentials: Bool)
    /// Any other non-2xx status (`detail` is the registry's error code and message when it sent one).
    case status(method: String, url: String, status: Int, detail: String)
    /// The response body is not what the API defines (`what` says which document).
    case malformed(method: String, url: String, what: String, reason: String)
    /// The body exceeded the limit for that kind of response.
    case tooLarge(method: String, url: String, limit: Int)
    /// The token service did not return a token.
    case tokenFailed(url: String, reason: String)
    /// More than ``RegistryClient/maximumPages`` pages, or a `Link` that loops.
    case tooManyPages(url: String, pages: Int)
    /// The overall deadline (`spec.timeout`) passed between requests.
    case timedOut(url: String, timeout: Duration)

    public var description: String {
        switch self {
        case .unreachable(let method, let url, let error):
            return "\(method) \(url): \(error.code): \(error.message)"
        case .unauthorized(let method, let url, let status, let detail, let hadCredentials):
            let hint = hadCredentials ? "the registry rejected the credentials" : "the registry requires credentials (set spec.secretRef)"
            return "\(method) \(url): \(status) \(Self.statusText(status))\(detail.isEmpty ? "" : ": " + detail) (\(hint))"
        case .status(let method, let url, let status, let detail):
            return "\(method) \(url): \(status) \(Self.statusText(status))\(detail.isEmpty ? "" : ": " + detail)"
        case .malformed(let method, let url, let what, let reason):
            return "\(method) \(url): malformed \(what): \(reason)"
        case .tooLarge(let method, let url, let limit):
            return "\(method) \(url): response larger than the limit of \(limit) bytes"
        case .tokenFailed(let url, let reason):
            return "token request to \(url) failed: \(reason)"
        case .tooManyPages(let url, let pages):
            return "GET \(url): tag list pagination did not end after \(pages) pages"
        case .timedOut(let url, let timeout):
            return "GET \(url): timed out after \(timeout.formatted)"
        }
    }

    /// Whether the failure is about credentials (401/403 or the token service).
    public var isAuthenticationFailure: Bool {
        switch self {
        case .unauthorized, .tokenFailed: true
        default: false
        }
    }

    /// Go's `http.StatusText` for the statuses registries answer with.
    static func statusText(_ status: Int) -> String {
        switch status {
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: ""
        }
    }
}

extension Duration {
    /// `30s`, `1m30s`: whole seconds in Go's style, for messages.
    fileprivate var formatted: String { FluxDuration(nanoseconds: Int64(components.seconds) * 1_000_000_000).description }
}
