/// Settings shared by every request of one `HTTPClient`: TLS identity and trust, credentials, proxy, timeouts and
/// size limits. A Kubernetes cluster, a Helm repository or a webhook each get a client with their own settings.
public struct HTTPClientConfiguration: Sendable, Hashable {
    /// PEM material given inline or as a file path.
    public enum PEMSource: Sendable, Hashable {
        case file(String)
        case data([UInt8])
    }

    /// How the server is trusted and how the client proves who it is.
    public struct TLS: Sendable, Hashable {
        /// Trust only these CAs (replacing the system store); nil: the system store.
        public var certificateAuthority: PEMSource?
        /// A client certificate (chain) for mutual TLS; needs `clientKey`.
        public var clientCertificate: PEMSource?
        public var clientKey: PEMSource?
        /// Accept any server certificate. For tests and `insecure-skip-tls-verify` only.
        public var insecureSkipVerify: Bool
        /// Verify the server certificate (and send SNI) for this name instead of the URL's host; the connection still
        /// goes to the URL's host (kubeconfig `tls-server-name`).
        public var serverName: String?

        public init(certificateAuthority: PEMSource? = nil, clientCertificate: PEMSource? = nil, clientKey: PEMSource? = nil,
                    insecureSkipVerify: Bool = false, serverName: String? = nil) {
            self.certificateAuthority = certificateAuthority
            self.clientCertificate = clientCertificate
            self.clientKey = clientKey
            self.insecureSkipVerify = insecureSkipVerify
            self.serverName = serverName
        }
    }

    /// Credentials sent with every request that does not set its own `Authorization` header.
    public enum Authorization: Sendable, Hashable {
        case none
        case bearer(String)
        case basic(username: String, password: String)
    }

    /// Where requests go through.
    public enum Proxy: Sendable, Hashable {
        /// As curl does: `http_proxy`, `HTTPS_PROXY`, `ALL_PROXY`, honouring `NO_PROXY`.
        case environment
        /// Never use a proxy, whatever the environment says.
        case none
        /// This proxy URL (`http://host:port`, `socks5://…`); `NO_PROXY` still applies.
        case url(String)
    }

    public var tls: TLS
    public var authorization: Authorization
    public var proxy: Proxy
    /// Time allowed to establish a connection (TCP + TLS).
    public var connectTimeout: Duration
    /// Total time allowed for `execute` when the request sets no `timeout`.
    public var requestTimeout: Duration
    /// A stream that receives no byte for this long fails with `.timedOut` (rounded up to whole seconds); nil: never.
    public var streamIdleTimeout: Duration?
    /// The largest body `execute` accepts when the request sets no limit.
    public var maximumResponseSize: Int
    /// The longest line `HTTPStreamingResponse.lines` accepts.
    public var maximumLineSize: Int
    /// Bytes a stream buffers ahead of its consumer before the transfer is paused.
    public var streamBufferSize: Int
    /// At most this many connections per host (0: unlimited). With HTTP/1.1, each open stream holds one connection,
    /// so a limit below the number of concurrent watches stalls other requests.
    public var maximumConnectionsPerHost: Int
    public var userAgent: String
    /// Ask for gzip/deflate/br/zstd bodies; decoding is transparent and size limits apply to decoded bytes.
    public var acceptCompressedResponses: Bool

    public init(tls: TLS = TLS(), authorization: Authorization = .none, proxy: Proxy = .environment,
                connectTimeout: Duration = .seconds(10), requestTimeout: Duration = .seconds(60),
                streamIdleTimeout: Duration? = .seconds(330), maximumResponseSize: Int = 64 << 20,
                maximumLineSize: Int = 16 << 20, streamBufferSize: Int = 1 << 20, maximumConnectionsPerHost: Int = 0,
                userAgent: String = "gitopskit/\(GitOpsKit.version)", acceptCompressedResponses: Bool = true) {
        self.tls = tls
        self.authorization = authorization
        self.proxy = proxy
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.streamIdleTimeout = streamIdleTimeout
        self.maximumResponseSize = maximumResponseSize
        self.maximumLineSize = maximumLineSize
        self.streamBufferSize = streamBufferSize
        self.maximumConnectionsPerHost = maximumConnectionsPerHost
        self.userAgent = userAgent
        self.acceptCompressedResponses = acceptCompressedResponses
    }
}
