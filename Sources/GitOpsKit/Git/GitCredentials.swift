/// How to authenticate to a Git remote: Flux's GitRepository `secretRef` keys mapped to libgit2 credentials.
///
/// - HTTP(S): `username` + `password` (basic auth) or `bearerToken` (an `Authorization: Bearer` header).
/// - SSH: `identity` (a private key; ed25519 or ECDSA — libssh2 1.10 signs RSA keys with SHA-1, which OpenSSH ≥ 8.8
///   refuses), optional `password` for an encrypted key, and `known_hosts`, which is required.
public struct GitCredentials: Sendable, Hashable {
    public var username: String?
    public var password: String?
    public var bearerToken: String?
    /// PEM/OpenSSH private key text.
    public var identity: String?
    public var knownHosts: KnownHosts?

    public init(
        username: String? = nil, password: String? = nil, bearerToken: String? = nil, identity: String? = nil,
        knownHosts: KnownHosts? = nil
    ) {
        self.username = username
        self.password = password
        self.bearerToken = bearerToken
        self.identity = identity
        self.knownHosts = knownHosts
    }

    /// No credentials (public repositories; SSH then fails for want of `known_hosts`).
    public static let none = GitCredentials()

    /// Credentials from the `data` of a Secret (values already base64-decoded): `username`, `password`,
    /// `bearerToken`, `identity`, `known_hosts`.
    public init(secretData data: [String: [UInt8]]) throws(GitError) {
        func text(_ key: String) -> String? {
            data[key].map { String(decoding: $0, as: UTF8.self) }
        }
        self.init(username: text("username"), password: text("password"), bearerToken: text("bearerToken"), identity: text("identity"))
        if let knownHosts = text("known_hosts") { self.knownHosts = try KnownHosts(knownHosts) }
    }

    /// HTTP headers to send (the bearer token).
    var extraHeaders: [String] {
        guard let bearerToken, !bearerToken.isEmpty else { return [] }
        return ["Authorization: Bearer \(bearerToken)"]
    }
}
