import Foundation
import GitOpsKit
import KubeEmulator
import Logging
import NotificationControllerKit
import Testing

/// One KubeEmulator (source and notification CRDs installed) and a ``ReceiverServer`` on 127.0.0.1:0 against it;
/// Receivers are reconciled by calling ``ReceiverReconciler`` directly, so tests need no Manager and stay fast.
final class ReceiverTestEnvironment: Sendable {
    static let shared = Task { () throws -> ReceiverTestEnvironment in try await ReceiverTestEnvironment.start() }
    static func get() async throws -> ReceiverTestEnvironment { try await shared.value }

    static let secretKind = GroupVersionKind(group: "", version: "v1", kind: "Secret")
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    let client: KubeClient
    let reconciler: ReceiverReconciler
    let baseURL: String
    let http = HTTPClient()

    private init(client: KubeClient, reconciler: ReceiverReconciler, baseURL: String) {
        self.client = client
        self.reconciler = reconciler
        self.baseURL = baseURL
    }

    private static func start() async throws -> ReceiverTestEnvironment {
        var logger = Logger(label: "receiver-tests")
        logger.logLevel = .critical
        let emulator = KubeEmulator(configuration: KubeEmulatorConfiguration(tls: false), logger: logger)
        let endpoint = try await emulator.start()
        let client = KubeClient(config: try KubeConfig(kubeconfig: try YAML.decode(try endpoint.kubeconfig()).jsonBytes()))
        try await client.installCRDs(from: packageRoot.appendingPathComponent("config/crd/bases").path,
                                     groups: ["source.toolkit.fluxcd.io", "notification.toolkit.fluxcd.io"])
        let server = ReceiverServer(address: ListenAddress(host: "127.0.0.1", port: 0), api: client, logger: logger,
                                    maximumBodySize: 64 * 1024)
        Task { try await server.run() }
        let port = try await server.boundPort()
        return ReceiverTestEnvironment(client: client, reconciler: ReceiverReconciler(api: client, events: nil, logger: logger),
                                       baseURL: "http://127.0.0.1:\(port)")
    }

    // MARK: Objects

    func makeNamespace() async throws -> String {
        let name = "receiver-\(UUID().uuidString.prefix(6).lowercased())"
        _ = try await client.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]],
                                    options: WriteOptions())
        return name
    }

    func createSecret(_ name: String = "webhook-token", namespace: String, token: String) async throws {
        _ = try await client.create([
            "apiVersion": "v1", "kind": "Secret", "metadata": ["name": .string(name), "namespace": .string(namespace)],
            "data": ["token": .string(Data(token.utf8).base64EncodedString())],
        ], options: WriteOptions())
    }

    func createGitRepository(_ name: String, namespace: String, labels: [String: String] = [:]) async throws {
        _ = try await client.create([
            "apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
            "metadata": ["name": .string(name), "namespace": .string(namespace),
                         "labels": .object(labels.mapValues(JSONValue.string))],
            "spec": ["url": "https://github.com/example/repo", "interval": "1h"],
        ], options: WriteOptions())
    }

    /// Creates the Receiver and reconciles it once; returns it as the API then has it.
    @discardableResult
    func createReceiver(_ name: String = "hook", namespace: String, spec: JSONValue) async throws -> Receiver {
        _ = try await client.create([
            "apiVersion": "notification.toolkit.fluxcd.io/v1", "kind": "Receiver",
            "metadata": ["name": .string(name), "namespace": .string(namespace)], "spec": spec,
        ], options: WriteOptions())
        return try await reconcile(name, namespace: namespace)
    }

    /// Reconciles once; a token failure (thrown for backoff) is swallowed so the status can be inspected.
    @discardableResult
    func reconcile(_ name: String = "hook", namespace: String) async throws -> Receiver {
        let key = ObjectKey(namespace: namespace, name: name)
        _ = try? await reconciler.reconcile(key)
        return try Receiver(from: try await client.get(Receiver.kind, key))
    }

    func requestedAt(_ name: String, namespace: String) async throws -> String? {
        let object = try await client.get(GitRepository.kind, ObjectKey(namespace: namespace, name: name))
        return object[path: "metadata", "annotations", FluxAnnotation.reconcileRequestedAt]?.stringValue
    }

    // MARK: Requests

    func post(_ path: String, body: String = "{}", headers: HTTPClientHeaders = [:]) async throws -> Int {
        var headers = headers
        if headers["Content-Type"] == nil { headers["Content-Type"] = "application/json" }
        let request = HTTPClientRequest(method: .post, url: baseURL + path, headers: headers, body: Array(body.utf8))
        return try await http.execute(request).status
    }

    /// `sha256=<hex HMAC-SHA256(body, token)>`, as GitHub signs `X-Hub-Signature-256`.
    static func signature(_ body: String, token: String, algorithm: DigestAlgorithm = .sha256) -> String {
        "\(algorithm)=" + HMAC.code(algorithm, key: Array(token.utf8), message: body).hexString
    }
}
