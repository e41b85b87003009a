import Foundation

/// Where a running emulator listens and how to authenticate: everything a kubeconfig needs.
public struct KubeEmulatorEndpoint: Sendable {
    /// `https://127.0.0.1:<port>` (or `http://` without TLS).
    public var url: String
    public var host: String
    public var port: Int
    /// The CA that signed the serving certificate (nil without TLS).
    public var caCertificatePEM: String?
    /// The bearer token.
    public var token: String

    public init(url: String, host: String, port: Int, caCertificatePEM: String?, token: String) {
        self.url = url
        self.host = host
        self.port = port
        self.caCertificatePEM = caCertificatePEM
        self.token = token
    }

    /// A kubeconfig (YAML) for kubectl, helm and the project's client, with the CA inline, the token and a
    /// context named `kube-emulator` whose default namespace is `namespace`.
    public func kubeconfig(namespace: String = "default") -> String {
        var cluster = "    server: \(Self.quoted(url))\n"
        if let caCertificatePEM {
            cluster = "    certificate-authority-data: \(Data(caCertificatePEM.utf8).base64EncodedString())\n" + cluster
        }
        return """
            apiVersion: v1
            kind: Config
            clusters:
            - cluster:
            \(cluster)  name: kube-emulator
            contexts:
            - context:
                cluster: kube-emulator
                namespace: \(Self.quoted(namespace))
                user: kube-emulator
              name: kube-emulator
            current-context: kube-emulator
            preferences: {}
            users:
            - name: kube-emulator
              user:
                token: \(Self.quoted(token))

            """
    }

    /// Writes `kubeconfig()` to `path` (mode 0600, as kubectl does).
    public func writeKubeconfig(to path: String, namespace: String = "default") throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(kubeconfig(namespace: namespace).utf8).write(to: url, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    }

    /// A YAML double-quoted scalar.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\x%02X", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}
