import FoundationEssentials

extension KubeConfig {
    /// Where Kubernetes mounts a pod's service-account token, CA bundle and namespace.
    public static let serviceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// Whether the environment looks like a pod (`KUBERNETES_SERVICE_HOST` and `_PORT` set).
    public static func isInCluster(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        !(environment["KUBERNETES_SERVICE_HOST"] ?? "").isEmpty && !(environment["KUBERNETES_SERVICE_PORT"] ?? "").isEmpty
    }

    /// The configuration of a pod: the API server from `KUBERNETES_SERVICE_HOST`/`_PORT`, the service account's
    /// rotating token, its CA bundle and namespace.
    ///
    /// - Throws: `KubeError(.configuration)` naming what is missing.
    public static func inCluster(environment: [String: String] = ProcessInfo.processInfo.environment,
                                 serviceAccountDirectory: String = KubeConfig.serviceAccountDirectory) throws(KubeError) -> KubeConfig {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
              let port = environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty else {
            throw .configuration("not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set")
        }
        guard Int(port) != nil else {
            throw .configuration("KUBERNETES_SERVICE_PORT is not a port number: \(port)")
        }
        let tokenPath = serviceAccountDirectory + "/token"
        let caPath = serviceAccountDirectory + "/ca.crt"
        guard FileManager.default.isReadableFile(atPath: tokenPath) else {
            throw .configuration("in-cluster configuration: cannot read the service-account token \(tokenPath)")
        }
        var tls = HTTPClientConfiguration.TLS()
        if FileManager.default.isReadableFile(atPath: caPath) {
            tls.certificateAuthority = .file(caPath)
        }
        var namespace = "default"
        if let data = FileManager.default.contents(atPath: serviceAccountDirectory + "/namespace") {
            let text = String(decoding: data, as: UTF8.self).trimmingWhitespace()
            if !text.isEmpty { namespace = text }
        }
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return KubeConfig(server: "https://\(hostPart):\(port)", tls: tls, credentials: .tokenFile(tokenPath),
                          namespace: namespace)
    }
}
