import FoundationEssentials
import GitOpsKit

/// How to reach the registry of one ImageRepository: its credentials (`secretRef`, and the `imagePullSecrets`
/// of `serviceAccountName`), TLS (`certSecretRef`: `ca.crt`, `tls.crt` + `tls.key`), proxy (`proxySecretRef`:
/// `address`, `username`, `password`), plain HTTP (`insecure`) and `timeout`.
///
/// Secrets are read from the API server on every reconcile, so a rotated Secret applies at once. A repository
/// without TLS or proxy settings uses the shared HTTP client.
enum RegistryAccess {
    static let secretKind = GroupVersionKind(group: "", version: "v1", kind: "Secret")
    static let serviceAccountKind = GroupVersionKind(group: "", version: "v1", kind: "ServiceAccount")

    /// A client for `image` with the repository's settings.
    ///
    /// - Throws: ``ReflectorFailure`` with reason `AuthenticationFailed` naming the Secret and the problem
    ///   (Flux: "failed to configure authentication options").
    static func client(for repository: ImageRepository, image: ImageReference, context: ImageReflectorContext)
        async throws(ReflectorFailure) -> RegistryClient
    {
        let namespace = repository.namespace ?? "default"
        do throws(ConfigurationError) {
            var keychain = DockerConfigKeychain()
            if let name = repository.spec.secretRef?.name, !name.isEmpty {
                try add(try await secretData(name, namespace: namespace, context: context), secretName: name, to: &keychain)
            }
            if let account = repository.spec.serviceAccountName, !account.isEmpty {
                for name in try await pullSecretNames(account, namespace: namespace, context: context) {
                    try add(try await secretData(name, namespace: namespace, context: context), secretName: name, to: &keychain)
                }
            }
            var configuration = HTTPClientConfiguration(maximumResponseSize: RegistryClient.maximumTagListPageSize)
            var dedicated = false
            if let name = repository.spec.certSecretRef?.name, !name.isEmpty {
                configuration.tls = try tls(from: try await secretData(name, namespace: namespace, context: context), secretName: name)
                dedicated = true
            }
            if let name = repository.spec.proxySecretRef?.name, !name.isEmpty {
                configuration.proxy = .url(try proxyURL(from: try await secretData(name, namespace: namespace, context: context),
                                                        secretName: name))
                dedicated = true
            }
            let timeout = (try? repository.timeout.duration) ?? .seconds(60)
            return RegistryClient(http: dedicated ? HTTPClient(configuration: configuration) : context.http, image: image,
                                  credentials: keychain.credentials(for: image.registry), timeout: timeout,
                                  pageSize: context.registryPageSize)
        } catch {
            throw ReflectorFailure(reason: .authenticationFailed,
                                   message: "failed to configure authentication options: \(error.description)")
        }
    }

    /// A Secret or ServiceAccount that cannot be used.
    struct ConfigurationError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
        init(_ error: DockerConfigError) { self.description = error.description }
    }

    private static func add(_ data: [String: [UInt8]], secretName: String, to keychain: inout DockerConfigKeychain)
        throws(ConfigurationError)
    {
        do {
            try keychain.add(secretData: data, secretName: secretName)
        } catch {
            throw ConfigurationError(error)
        }
    }

    /// `ca.crt`, `tls.crt` + `tls.key` of a TLS Secret (the keys Flux reads; at least one must be there).
    static func tls(from data: [String: [UInt8]], secretName: String) throws(ConfigurationError) -> HTTPClientConfiguration.TLS {
        var tls = HTTPClientConfiguration.TLS()
        let certificate = data["tls.crt"]
        let key = data["tls.key"]
        if (certificate == nil) != (key == nil) {
            throw ConfigurationError("secret '\(secretName)': 'tls.crt' and 'tls.key' must be set together")
        }
        if certificate == nil && data["ca.crt"] == nil {
            throw ConfigurationError("secret '\(secretName)': no 'ca.crt', 'tls.crt' or 'tls.key' found")
        }
        if let ca = data["ca.crt"] { tls.certificateAuthority = .data(ca) }
        if let certificate, let key {
            tls.clientCertificate = .data(certificate)
            tls.clientKey = .data(key)
        }
        return tls
    }

    /// `address` (required), `username` and `password` of a proxy Secret, as one proxy URL with user info.
    static func proxyURL(from data: [String: [UInt8]], secretName: String) throws(ConfigurationError) -> String {
        guard let addressBytes = data["address"], !addressBytes.isEmpty else {
            throw ConfigurationError("secret '\(secretName)': key 'address' not found")
        }
        let address = String(decoding: addressBytes, as: UTF8.self)
        guard let schemeEnd = address.firstRange(of: "://"), !address[schemeEnd.upperBound...].isEmpty else {
            throw ConfigurationError("secret '\(secretName)': 'address' must be a URL such as http://proxy:8080, got '\(address)'")
        }
        let username = data["username"].map { String(decoding: $0, as: UTF8.self) } ?? ""
        let password = data["password"].map { String(decoding: $0, as: UTF8.self) } ?? ""
        guard !username.isEmpty || !password.isEmpty else { return address }
        let userInfo = PercentEncoding.encode(username) + ":" + PercentEncoding.encode(password) + "@"
        return String(address[..<schemeEnd.upperBound]) + userInfo + address[schemeEnd.upperBound...]
    }

    /// The `imagePullSecrets` of a ServiceAccount.
    static func pullSecretNames(_ account: String, namespace: String, context: ImageReflectorContext)
        async throws(ConfigurationError) -> [String]
    {
        let object: JSONValue
        do {
            object = try await context.api.get(serviceAccountKind, ObjectKey(namespace: namespace, name: account))
        } catch {
            let detail = error.code == .notFound ? "serviceaccounts \"\(account)\" not found" : "\(error)"
            throw ConfigurationError("failed to get service account '\(namespace)/\(account)': \(detail)")
        }
        return (object["imagePullSecrets"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
    }

    /// A Secret's `data` (base64-decoded) and `stringData`.
    static func secretData(_ name: String, namespace: String, context: ImageReflectorContext)
        async throws(ConfigurationError) -> [String: [UInt8]]
    {
        let secret: JSONValue
        do {
            secret = try await context.api.get(secretKind, ObjectKey(namespace: namespace, name: name))
        } catch {
            let detail = error.code == .notFound ? "secrets \"\(name)\" not found" : "\(error)"
            throw ConfigurationError("failed to get secret '\(namespace)/\(name)': \(detail)")
        }
        var data: [String: [UInt8]] = [:]
        for (key, value) in secret["data"]?.objectValue ?? [:] {
            guard let text = value.stringValue, let bytes = Data(base64Encoded: text) else {
                throw ConfigurationError("invalid secret '\(namespace)/\(name)': data.\(key) is not base64")
            }
            data[key] = Array(bytes)
        }
        for (key, value) in secret["stringData"]?.objectValue ?? [:] {
            if let text = value.stringValue { data[key] = Array(text.utf8) }
        }
        return data
    }
}
