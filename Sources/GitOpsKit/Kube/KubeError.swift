/// A failed Kubernetes API call: a decoded `metav1.Status` from the server, or a client-side failure.
public struct KubeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, coarse enough to branch on.
    public enum Code: String, Hashable, Sendable {
        case notFound, alreadyExists, conflict, invalid, gone, forbidden, unauthorized, badRequest
        case methodNotAllowed, unsupportedMediaType, tooManyRequests, requestEntityTooLarge, timeout, serverError
        /// Connection refused, DNS, TLS verification failure, reset…: the request may not have reached the server.
        case transport
        /// The response was not what the API promises (not JSON, too large, wrong shape).
        case badResponse
        /// Kubeconfig or in-cluster configuration is unusable.
        case configuration
        /// The kind is not served by the server (discovery has no mapping).
        case unknownKind
    }

    /// One field-level cause of an `invalid` or `conflict` error (`status.details.causes`).
    public struct Cause: Hashable, Sendable {
        public var field: String?
        public var reason: String?
        public var message: String

        public init(field: String?, reason: String?, message: String) {
            self.field = field
            self.reason = reason
            self.message = message
        }
    }

    public var code: Code
    /// The HTTP status, when a response was received.
    public var httpStatus: Int?
    /// The `metav1.Status` reason (`NotFound`, `Conflict`, `Invalid`, …), when the server sent one.
    public var reason: String?
    public var message: String
    public var causes: [Cause]

    public init(code: Code, httpStatus: Int? = nil, reason: String? = nil, message: String, causes: [Cause] = []) {
        self.code = code
        self.httpStatus = httpStatus
        self.reason = reason
        self.message = message
        self.causes = causes
    }

    public var description: String {
        var text = message
        if let httpStatus { text = "\(text) (HTTP \(httpStatus)\(reason.map { ", \($0)" } ?? ""))" }
        return text
    }
}
