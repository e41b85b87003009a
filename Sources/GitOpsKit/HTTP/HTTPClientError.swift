/// A failed HTTP exchange: no usable response arrived. (A response with a 4xx/5xx status is not an error here.)
public struct HTTPClientError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, coarse enough to branch on; new codes may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Hashable, Sendable {
            case invalidRequest, connectFailed, tlsVerificationFailed, tlsHandshakeFailed, tlsConfigurationInvalid
            case timedOut, cancelled, tooLarge, connectionLost, protocolError, transferFailed
        }

        private var value: Value
        private init(_ value: Value) { self.value = value }

        /// The URL or request is unusable (bad syntax, unsupported scheme).
        public static let invalidRequest = Code(.invalidRequest)
        /// DNS resolution or the TCP connection (to the server or the proxy) failed.
        public static let connectFailed = Code(.connectFailed)
        /// The server's certificate is not trusted by the configured CA or does not match the host name.
        public static let tlsVerificationFailed = Code(.tlsVerificationFailed)
        /// The TLS handshake failed for another reason (protocol, cipher, client certificate refused…).
        public static let tlsHandshakeFailed = Code(.tlsHandshakeFailed)
        /// The client's TLS material (CA bundle, client certificate or key) could not be loaded.
        public static let tlsConfigurationInvalid = Code(.tlsConfigurationInvalid)
        /// The connect, total or idle timeout elapsed.
        public static let timedOut = Code(.timedOut)
        /// The calling task was cancelled, or the stream's consumer went away.
        public static let cancelled = Code(.cancelled)
        /// The response body (or one line of a stream) exceeded the configured limit; the transfer was aborted.
        public static let tooLarge = Code(.tooLarge)
        /// The connection broke mid-exchange (reset, closed early, nothing received).
        public static let connectionLost = Code(.connectionLost)
        /// The server broke HTTP (bad framing, too many redirects, HTTP/2 stream errors).
        public static let protocolError = Code(.protocolError)
        /// Any other transfer failure.
        public static let transferFailed = Code(.transferFailed)

        public var description: String { value.rawValue }
    }

    public var code: Code
    /// The request URL.
    public var url: String
    /// What failed, in libcurl's words when it came from libcurl.
    public var message: String
    /// The `CURLcode`, when libcurl reported the failure.
    public var curlCode: Int?

    public init(code: Code, url: String, message: String, curlCode: Int? = nil) {
        self.code = code
        self.url = url
        self.message = message
        self.curlCode = curlCode
    }

    public var description: String { "\(code) for \(url): \(message)" }
}
