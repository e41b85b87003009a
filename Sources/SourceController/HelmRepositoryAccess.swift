import FoundationEssentials
import GitOpsKit
import Logging

/// How source-controller talks to one HTTP Helm repository: its URL, the credentials of `spec.secretRef`, the TLS
/// material of `spec.certSecretRef`, `passCredentials` and `timeout` — the settings both the HelmRepository
/// (index) and the HelmChart (chart download) reconcilers need.
struct HelmRepositoryAccess: Sendable {
    var repositoryURL: String
    var username: String?
    var password: String?
    var passCredentials: Bool
    var timeout: Duration
    var client: HTTPClient

    /// Largest index accepted (Flux's `--helm-index-max-size` default).
    static let maximumIndexSize = 50 << 20
    /// Largest chart archive accepted (Flux's `--helm-chart-max-size` default).
    static let maximumChartSize = 10 << 20

    /// Reads the repository's Secrets (from the API, so a rotated Secret applies at once) and builds a client:
    /// the shared one, or a dedicated one when `certSecretRef` (or the deprecated `secretRef` TLS keys) sets TLS.
    static func make(for repository: HelmRepository, context: SourceControllerContext) async throws(SourceFailure)
        -> HelmRepositoryAccess
    {
        let namespace = repository.namespace ?? "default"
        var tls = HTTPClientConfiguration.TLS()
        var hasTLS = false
        var username: String?
        var password: String?
        if let name = repository.spec.secretRef?.name, !name.isEmpty {
            let data = try await secretData(name, namespace: namespace, context: context)
            let user = data["username"].map { String(decoding: $0, as: UTF8.self) } ?? ""
            let pass = data["password"].map { String(decoding: $0, as: UTF8.self) } ?? ""
            if user.isEmpty != pass.isEmpty {
                throw .fetch(reason: .authenticationFailed,
                             message: "invalid '\(name)' secret data: required fields 'username' and 'password'")
            }
            if !user.isEmpty {
                username = user
                password = pass
            }
            // Deprecated TLS keys of secretRef, still honoured by Flux.
            if let ca = data["caFile"] { tls.certificateAuthority = .data(ca); hasTLS = true }
            if let cert = data["certFile"], let key = data["keyFile"] {
                tls.clientCertificate = .data(cert)
                tls.clientKey = .data(key)
                hasTLS = true
            }
        }
        if let name = repository.spec.certSecretRef?.name, !name.isEmpty {
            let data = try await secretData(name, namespace: namespace, context: context)
            let cert = data["tls.crt"]
            let key = data["tls.key"]
            if (cert == nil) != (key == nil) {
                throw .fetch(reason: .authenticationFailed,
                             message: "invalid '\(name)' secret data: 'tls.crt' and 'tls.key' must be set together")
            }
            if cert == nil && data["ca.crt"] == nil {
                throw .fetch(reason: .authenticationFailed,
                             message: "invalid '\(name)' secret data: no 'ca.crt', 'tls.crt' or 'tls.key' found")
            }
            if let ca = data["ca.crt"] { tls.certificateAuthority = .data(ca) }
            if let cert, let key {
                tls.clientCertificate = .data(cert)
                tls.clientKey = .data(key)
            }
            hasTLS = true
        }
        let client = hasTLS ? HTTPClient(configuration: HTTPClientConfiguration(tls: tls)) : context.http
        return HelmRepositoryAccess(
            repositoryURL: repository.spec.url, username: username, password: password,
            passCredentials: repository.spec.passCredentials ?? false,
            timeout: (try? repository.timeout.duration) ?? .seconds(60), client: client)
    }

    /// GETs `url` (following redirects) with the repository's credentials when allowed, within `limit` bytes.
    ///
    /// - Throws: a message in Helm's words: `failed to fetch <url> : 401 Unauthorized`, or the transport error.
    func get(_ url: String, limit: Int) async throws(HelmFetchError) -> [UInt8] {
        var request = HTTPClientRequest(url: url, timeout: timeout, maximumResponseSize: limit, followRedirects: true)
        if let username, let password, passCredentials || HelmURL.isSameOrigin(url, as: repositoryURL) {
            request.headers["Authorization"] = "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
        }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request)
        } catch {
            if error.code == .tooLarge { throw HelmFetchError("\(url) is larger than the limit of \(limit) bytes") }
            throw HelmFetchError("\(error)")
        }
        guard response.isSuccess else {
            throw HelmFetchError("failed to fetch \(url) : \(response.status) \(Self.statusText(response.status))")
        }
        return response.body
    }

    /// The Secret's `data` (base64-decoded) and `stringData`.
    static func secretData(_ name: String, namespace: String, context: SourceControllerContext)
        async throws(SourceFailure) -> [String: [UInt8]]
    {
        let secret: JSONValue
        do {
            secret = try await context.api.get(GroupVersionKind(group: "", version: "v1", kind: "Secret"),
                                               ObjectKey(namespace: namespace, name: name))
        } catch {
            let detail = error.code == .notFound ? "secrets \"\(name)\" not found" : "\(error)"
            throw .fetch(reason: .authenticationFailed,
                         message: "failed to get authentication secret '\(namespace)/\(name)': \(detail)")
        }
        var data: [String: [UInt8]] = [:]
        for (key, value) in secret["data"]?.objectValue ?? [:] {
            guard let text = value.stringValue, let bytes = Data(base64Encoded: text) else {
                throw .fetch(reason: .authenticationFailed,
                             message: "invalid secret '\(namespace)/\(name)': data.\(key) is not base64")
            }
            data[key] = Array(bytes)
        }
        for (key, value) in secret["stringData"]?.objectValue ?? [:] {
            if let text = value.stringValue { data[key] = Array(text.utf8) }
        }
        return data
    }

    /// Go's `http.StatusText` for the statuses a repository answers with.
    static func statusText(_ status: Int) -> String {
        switch status {
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
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
