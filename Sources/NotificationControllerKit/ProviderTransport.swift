import FoundationEssentials
import GitOpsKit

/// How a Provider's requests travel: the TLS trust and identity (`certSecretRef`) and the proxy (`proxySecretRef`,
/// the deprecated `spec.proxy` or the Secret's deprecated `proxy` key). Two Providers with the same transport share
/// one ``HTTPClient`` (see ``ProviderHTTPClients``).
public struct ProviderTransport: Sendable, Hashable {
    public var tls: HTTPClientConfiguration.TLS
    public var proxy: HTTPClientConfiguration.Proxy

    public init(tls: HTTPClientConfiguration.TLS = .init(), proxy: HTTPClientConfiguration.Proxy = .environment) {
        self.tls = tls
        self.proxy = proxy
    }

    /// The client settings: the defaults of `HTTPClientConfiguration` with this TLS and proxy, so a Provider
    /// without either uses the dispatcher's default client.
    public var httpConfiguration: HTTPClientConfiguration {
        HTTPClientConfiguration(tls: tls, proxy: proxy)
    }

    /// The transport of `provider` as Flux resolves it: the proxy of `proxySecretRef` wins over the Secret's
    /// `proxy` key, which wins over `spec.proxy`; TLS comes from `certSecretRef`, or, for Git commit status
    /// providers without one, from a `ca.crt` in `secretRef`'s Secret.
    static func resolve(provider: Provider, secrets: ProviderSecrets) throws(ProviderError) -> ProviderTransport {
        let name = provider.metadata.name ?? ""
        var transport = ProviderTransport()
        if let proxy = provider.spec.proxy.map(trimmed), !proxy.isEmpty {
            transport.proxy = .url(proxy)
        }
        if let proxy = secrets.secret?["proxy"].map(trimmed), !proxy.isEmpty {
            transport.proxy = .url(proxy)
        }
        if let proxySecret = secrets.proxySecret {
            transport.proxy = .url(try proxyURL(from: proxySecret, provider: name))
        }
        if let certSecret = secrets.certSecret {
            transport.tls = try tls(from: certSecret, provider: name, secretKind: "certSecretRef")
        } else if Provider.ProviderType.commitStatusTypes.contains(provider.spec.type), let secret = secrets.secret,
                  secret["ca.crt"] != nil {
            transport.tls = try tls(from: secret, provider: name, secretKind: "secretRef")
        }
        return transport
    }

    /// `address` with `username`/`password` (both, percent-encoded) as the URL's user info, which curl sends as
    /// proxy credentials.
    static func proxyURL(from data: [String: String], provider: String) throws(ProviderError) -> String {
        guard let address = data["address"].map(trimmed), !address.isEmpty else {
            throw ProviderError(provider: provider, reason: "proxySecretRef Secret has no 'address' key")
        }
        guard let username = data["username"], !username.isEmpty, let password = data["password"] else { return address }
        guard let schemeEnd = address.firstRange(of: "://") else {
            throw ProviderError(provider: provider, reason: "proxy address '\(address)' is not a URL")
        }
        return String(address[..<schemeEnd.upperBound]) + PercentEncoding.encode(username) + ":" + PercentEncoding.encode(password) + "@"
            + String(address[schemeEnd.upperBound...])
    }

    /// `ca.crt` (or the legacy `caFile`) as the only trusted CA; `tls.crt` with `tls.key` as the client certificate.
    static func tls(from data: [String: String], provider: String, secretKind: String) throws(ProviderError)
        -> HTTPClientConfiguration.TLS
    {
        var tls = HTTPClientConfiguration.TLS()
        if let ca = data["ca.crt"] ?? data["caFile"], !ca.isEmpty { tls.certificateAuthority = .data(Array(ca.utf8)) }
        switch (data["tls.crt"], data["tls.key"]) {
        case (let certificate?, let key?):
            tls.clientCertificate = .data(Array(certificate.utf8))
            tls.clientKey = .data(Array(key.utf8))
        case (nil, nil):
            break
        default:
            throw ProviderError(provider: provider, reason: "\(secretKind) Secret must hold both 'tls.crt' and 'tls.key', or neither")
        }
        return tls
    }

    /// `text` without leading and trailing whitespace (Secret values often end with a newline).
    static func trimmed(_ text: String) -> String {
        String(text.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}

/// The decoded data of the Secrets a Provider references (nil when it references none).
public struct ProviderSecrets: Sendable, Hashable {
    /// `secretRef`: `address`, `token`, `username`, `password`, `headers`, `proxy` (deprecated), `ca.crt`.
    public var secret: [String: String]?
    /// `proxySecretRef`: `address`, `username`, `password`.
    public var proxySecret: [String: String]?
    /// `certSecretRef`: `ca.crt` (or `caFile`), `tls.crt`, `tls.key`.
    public var certSecret: [String: String]?

    public init(secret: [String: String]? = nil, proxySecret: [String: String]? = nil,
                certSecret: [String: String]? = nil) {
        self.secret = secret
        self.proxySecret = proxySecret
        self.certSecret = certSecret
    }
}
