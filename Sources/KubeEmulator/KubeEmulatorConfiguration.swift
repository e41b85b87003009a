/// How a `KubeEmulator` listens and behaves.
public struct KubeEmulatorConfiguration: Sendable {
    /// The address to bind (loopback by default).
    public var host: String
    /// The port to bind; 0 picks a free one (read it from the endpoint).
    public var port: Int
    /// Serve HTTPS with a CA generated at start; false serves plain HTTP (benchmarks).
    public var tls: Bool
    /// The bearer token of the emulator's administrator (`system:masters`: every request is allowed).
    public var token: String
    /// Further bearer tokens and the users they authenticate (kube-apiserver's `--token-auth-file`); what these
    /// users may do is decided by RBAC objects.
    public var users: [KubeEmulatorUser]
    /// How long simulated controllers take to report workloads rolled out (or failed).
    public var workloadDelay: Duration
    /// How many change events are kept for watch resume; a watch from an older resourceVersion gets 410 Gone.
    public var watchHistoryLimit: Int
    /// How often a watch with `allowWatchBookmarks=true` gets a BOOKMARK.
    public var bookmarkInterval: Duration
    /// Events a slow watcher may fall behind by before its watch is closed (it then resumes).
    public var watchBufferLimit: Int
    /// The largest request body accepted (kube-apiserver: 3 MiB).
    public var maxRequestBodyBytes: Int
    /// What `/version` reports.
    public var kubernetesVersion: String

    public init(host: String = "127.0.0.1", port: Int = 0, tls: Bool = true, token: String? = nil,
                workloadDelay: Duration = .milliseconds(100), watchHistoryLimit: Int = 10_000,
                bookmarkInterval: Duration = .seconds(15), watchBufferLimit: Int = 10_000,
                maxRequestBodyBytes: Int = 3 * 1024 * 1024, kubernetesVersion: String = "v1.32.0",
                users: [KubeEmulatorUser] = []) {
        self.host = host
        self.port = port
        self.tls = tls
        self.token = token ?? Self.randomToken()
        self.users = users
        self.workloadDelay = workloadDelay
        self.watchHistoryLimit = max(1, watchHistoryLimit)
        self.bookmarkInterval = bookmarkInterval
        self.watchBufferLimit = max(16, watchBufferLimit)
        self.maxRequestBodyBytes = maxRequestBodyBytes
        self.kubernetesVersion = kubernetesVersion
    }

    /// 32 random hex characters.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in
            let value = generator.next() as UInt64
            let hex = String(value, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }
}

/// A user the emulator authenticates by bearer token, besides its administrator.
public struct KubeEmulatorUser: Sendable, Hashable {
    public var token: String
    public var name: String
    /// Groups besides `system:authenticated` (which every user gets).
    public var groups: [String]

    public init(token: String, name: String, groups: [String] = []) {
        self.token = token
        self.name = name
        self.groups = groups
    }
}
