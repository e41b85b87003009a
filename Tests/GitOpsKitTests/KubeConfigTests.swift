import Foundation
import Testing

@testable import GitOpsKit

struct KubeConfigTests {
    static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
    static let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"

    static func kubeconfig(current: String? = "dev", clusters: [JSONValue], users: [JSONValue] = [], contexts: [JSONValue]) -> JSONValue {
        var document: JSONValue = ["apiVersion": "v1", "kind": "Config", "clusters": .array(clusters), "users": .array(users),
                                   "contexts": .array(contexts)]
        if let current { document["current-context"] = .string(current) }
        return document
    }

    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "gok-kubeconfig-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static let standard = kubeconfig(
        clusters: [
            ["name": "dev-cluster", "cluster": ["server": "https://10.0.0.1:6443/", "certificate-authority-data": .string(base64(pem)),
                                                "tls-server-name": "kubernetes", "proxy-url": "http://proxy:3128"]],
            ["name": "prod-cluster", "cluster": ["server": "https://prod.example.com", "insecure-skip-tls-verify": true]],
        ],
        users: [
            ["name": "dev-user", "user": ["token": "abc", "client-certificate-data": .string(base64(pem)),
                                          "client-key-data": .string(base64("-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n"))]],
            ["name": "prod-user", "user": ["username": "admin", "password": "pw"]],
        ],
        contexts: [
            ["name": "dev", "context": ["cluster": "dev-cluster", "user": "dev-user", "namespace": "team-a"]],
            ["name": "prod", "context": ["cluster": "prod-cluster", "user": "prod-user"]],
        ])

    @Test func resolvesTheCurrentContext() throws {
        let config = try KubeConfig(kubeconfig: Self.standard.jsonBytes())
        #expect(config.server == "https://10.0.0.1:6443")
        #expect(config.contextName == "dev")
        #expect(config.namespace == "team-a")
        #expect(config.credentials == .token("abc"))
        #expect(config.tls.certificateAuthority == .data(Array(Self.pem.utf8)))
        #expect(config.tls.serverName == "kubernetes")
        #expect(config.tls.clientCertificate == .data(Array(Self.pem.utf8)))
        #expect(config.tls.clientKey != nil)
        #expect(config.proxyURL == "http://proxy:3128")
    }

    @Test func readsYAMLKubeconfigsAsKubectlWritesThem() throws {
        let text = """
            apiVersion: v1
            kind: Config
            clusters:
            - cluster:
                certificate-authority-data: \(Self.base64(Self.pem))
                server: https://127.0.0.1:6443
                insecure-skip-tls-verify: false
              name: kind-dev
            contexts:
            - context:
                cluster: kind-dev
                user: kind-dev
                namespace: flux-system
              name: kind-dev
            current-context: kind-dev
            preferences: {}
            users:
            - name: kind-dev
              user:
                token: "0123"
            """
        let config = try KubeConfig(kubeconfig: Array(text.utf8))
        #expect(config.server == "https://127.0.0.1:6443")
        #expect(config.namespace == "flux-system")
        #expect(config.credentials == .token("0123"), "a quoted token stays a string")
        #expect(config.tls.certificateAuthority == .data(Array(Self.pem.utf8)))
        #expect(!config.tls.insecureSkipVerify)
    }

    @Test func honoursAnExplicitContext() throws {
        let config = try KubeConfig(kubeconfig: Self.standard.jsonBytes(), context: "prod")
        #expect(config.server == "https://prod.example.com")
        #expect(config.namespace == "default")
        #expect(config.tls.insecureSkipVerify)
        #expect(config.credentials == .basic(username: "admin", password: "pw"))
    }

    @Test func resolvesFilesRelativeToTheKubeconfig() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for name in ["ca.crt", "client.crt", "client.key", "token"] {
            try (name == "token" ? "file-token\n" : Self.pem).write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
        }
        let document = Self.kubeconfig(
            clusters: [["name": "c", "cluster": ["server": "https://h:1", "certificate-authority": "ca.crt"]]],
            users: [["name": "u", "user": ["client-certificate": "client.crt", "client-key": .string(directory + "/client.key"), "tokenFile": "token"]]],
            contexts: [["name": "dev", "context": ["cluster": "c", "user": "u"]]])
        let path = directory + "/config"
        try Data(document.jsonBytes()).write(to: URL(fileURLWithPath: path))
        let config = try KubeConfig.load(kubeconfigPaths: [path])
        #expect(config.tls.certificateAuthority == .file(directory + "/ca.crt"))
        #expect(config.tls.clientCertificate == .file(directory + "/client.crt"))
        #expect(config.tls.clientKey == .file(directory + "/client.key"))
        #expect(config.credentials == .tokenFile(directory + "/token"))
    }

    @Test func mergesKUBECONFIGFilesFirstDefinitionWins() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = Self.kubeconfig(current: nil, clusters: [["name": "c", "cluster": ["server": "https://first"]]],
                                    contexts: [["name": "a", "context": ["cluster": "c"]]])
        let second = Self.kubeconfig(current: "a", clusters: [["name": "c", "cluster": ["server": "https://second"]],
                                                              ["name": "d", "cluster": ["server": "https://d"]]],
                                     contexts: [["name": "a", "context": ["cluster": "d"]], ["name": "b", "context": ["cluster": "d"]]])
        try Data(first.jsonBytes()).write(to: URL(fileURLWithPath: directory + "/one"))
        try Data(second.jsonBytes()).write(to: URL(fileURLWithPath: directory + "/two"))
        let environment = ["KUBECONFIG": "\(directory)/one:\(directory)/missing:\(directory)/two", "HOME": directory]
        let config = try KubeConfig.load(environment: environment)
        #expect(config.contextName == "a")
        #expect(config.server == "https://first")
        #expect(try KubeConfig.load(context: "b", environment: environment).server == "https://d")
    }

    @Test func fallsBackToInClusterConfiguration() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "sa-token".write(toFile: directory + "/token", atomically: true, encoding: .utf8)
        try Self.pem.write(toFile: directory + "/ca.crt", atomically: true, encoding: .utf8)
        try "flux-system\n".write(toFile: directory + "/namespace", atomically: true, encoding: .utf8)
        let environment = ["KUBERNETES_SERVICE_HOST": "fd00::1", "KUBERNETES_SERVICE_PORT": "443"]
        let config = try KubeConfig.inCluster(environment: environment, serviceAccountDirectory: directory)
        #expect(config.server == "https://[fd00::1]:443")
        #expect(config.namespace == "flux-system")
        #expect(config.credentials == .tokenFile(directory + "/token"))
        #expect(config.tls.certificateAuthority == .file(directory + "/ca.crt"))

        let missingToken = #expect(throws: KubeError.self) {
            try KubeConfig.inCluster(environment: environment, serviceAccountDirectory: directory + "/nope")
        }
        #expect(missingToken?.code == .configuration)
        let nothing = #expect(throws: KubeError.self) { try KubeConfig.load(environment: ["HOME": directory]) }
        #expect(nothing?.code == .configuration)
        #expect(nothing?.message.contains("KUBERNETES_SERVICE_HOST") == true)
    }

    @Test(arguments: [
        (#"{"clusters": 3}"#, "clusters must be a list"),
        (#"[1]"#, "not a mapping"),
        (#"{"contexts": [{"name": "dev", "context": {"cluster": "c"}}]}"#, "no current-context"),
        (#"{"current-context": "x", "contexts": [{"name": "dev", "context": {"cluster": "c"}}]}"#, #"context "x" is not defined"#),
        (#"{"current-context": "dev", "contexts": [{"name": "dev", "context": {"cluster": "c"}}]}"#, #"refers to cluster "c""#),
        (#"{"current-context": "dev", "clusters": [{"name": "c", "cluster": {}}], "contexts": [{"name": "dev", "context": {"cluster": "c"}}]}"#, "has no server"),
        (#"{"current-context": "dev", "clusters": [{"name": "c", "cluster": {"server": "ftp://x"}}], "contexts": [{"name": "dev", "context": {"cluster": "c"}}]}"#, "not an http(s) URL"),
        (#"{"current-context": "dev", "clusters": [{"name": "c", "cluster": {"server": "https://x", "certificate-authority-data": "%%%"}}], "contexts": [{"name": "dev", "context": {"cluster": "c"}}]}"#, "certificate-authority-data is not valid base64"),
        (#"{"current-context": "dev", "clusters": [{"name": "c", "cluster": {"server": "https://x", "certificate-authority-data": "aGVsbG8="}}], "contexts": [{"name": "dev", "context": {"cluster": "c"}}]}"#, "does not hold PEM"),
        (#"{"current-context": "dev", "clusters": [{"name": "c", "cluster": {"server": "https://x", "certificate-authority": "/nonexistent/ca"}}], "contexts": [{"name": "dev", "context": {"cluster": "c"}}]}"#, "/nonexistent/ca cannot be read"),
        (#"{"current-context": "dev", "clusters": [{"name": "c", "cluster": {"server": "https://x", "insecure-skip-tls-verify": "yes"}}], "contexts": [{"name": "dev", "context": {"cluster": "c"}}]}"#, "must be true or false"),
        (#"{"current-context": "dev", "clusters": [{"name": "c", "cluster": {"server": "https://x"}}], "contexts": [{"name": "dev", "context": {"cluster": "c", "user": "u"}}]}"#, #"refers to user "u""#),
        (#"{"current-context": "dev", "clusters": [{"name": "c", "cluster": {"server": "https://x"}}], "users": [{"name": "u", "user": {"exec": {"command": "aws"}}}], "contexts": [{"name": "dev", "context": {"cluster": "c", "user": "u"}}]}"#, "exec credential plugin"),
        (#"{"current-context": "dev", "clusters": [{"name": "c", "cluster": {"server": "https://x"}}], "users": [{"name": "u", "user": {"client-certificate-data": "LS0tLS1CRUdJTiBYLS0tLS0="}}], "contexts": [{"name": "dev", "context": {"cluster": "c", "user": "u"}}]}"#, "no client key"),
        (#"{"current-context": "dev", "clusters": [{"name": "c", "cluster": {"server": "https://x"}}], "users": [{"name": "u", "user": {"token": "t", "username": "a"}}], "contexts": [{"name": "dev", "context": {"cluster": "c", "user": "u"}}]}"#, "only one is allowed"),
        ("", "is empty"),
        ("{ broken", "not valid YAML"),
        ("clusters: [a\n  b: c", "not valid YAML"),
        ("just a string", "not a mapping"),
    ])
    func rejectsMalformedKubeconfigs(text: String, problem: String) {
        let error = #expect(throws: KubeError.self) { try KubeConfig(kubeconfig: Array(text.utf8)) }
        #expect(error?.code == .configuration)
        #expect(error?.message.contains(problem) == true, "\(error?.message ?? "") should mention \(problem)")
    }
}
