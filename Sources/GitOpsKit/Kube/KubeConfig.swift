/// Where the API server is and how to talk to it: what a kubeconfig context or the in-cluster service account
/// resolves to.
///
/// Usage:
/// ```swift
/// let config = try KubeConfig.load(context: flags.kubeContext)   // KUBECONFIG, ~/.kube/config, then in-cluster
/// let client = KubeClient(config: config, logger: logger)
/// ```
public struct KubeConfig: Sendable, Hashable {
    /// How requests authenticate (client certificates live in `tls`).
    public enum Credentials: Sendable, Hashable {
        case none
        /// A fixed bearer token.
        case token(String)
        /// A bearer token read from this file and re-read every minute (projected service-account tokens rotate).
        case tokenFile(String)
        case basic(username: String, password: String)
    }

    /// The API server's base URL, e.g. `https://10.96.0.1:443`, without a trailing slash.
    public var server: String
    /// Trust (CA, insecure, server name) and the client certificate for mutual TLS.
    public var tls: HTTPClientConfiguration.TLS
    public var credentials: Credentials
    /// The namespace the context (or service account) defaults to.
    public var namespace: String
    /// A proxy for this cluster (kubeconfig `proxy-url`); nil: the environment's (`HTTPS_PROXY`, `NO_PROXY`).
    public var proxyURL: String?
    /// The kubeconfig context this came from; nil for in-cluster or hand-made configurations.
    public var contextName: String?

    public init(server: String, tls: HTTPClientConfiguration.TLS = .init(), credentials: Credentials = .none,
                namespace: String = "default", proxyURL: String? = nil, contextName: String? = nil) {
        var server = server
        while server.hasSuffix("/") { server.removeLast() }
        self.server = server
        self.tls = tls
        self.credentials = credentials
        self.namespace = namespace
        self.proxyURL = proxyURL
        self.contextName = contextName
    }
}

extension KubeError {
    /// A configuration problem, in words that name the file and field.
    static func configuration(_ message: String) -> KubeError {
        KubeError(code: .configuration, message: message)
    }
}
