import Foundation
import GitOpsKit
import GitOpsTestSupport
import ImageAutomationControllerKit
import KubeEmulator
import Logging
import Testing

/// One KubeEmulator (the image CRDs Established) and one in-process image reflector (a real `Manager` running
/// the ImageRepository and ImagePolicy controllers with short retry backoff) for the image reflector suites.
/// Each test works in its own namespace.
final class ReflectorTestEnvironment: Sendable {
    let client: KubeClient
    let storagePath: String
    let context: ImageReflectorContext

    static let shared = Task { () throws -> ReflectorTestEnvironment in try await ReflectorTestEnvironment.start() }

    static func get() async throws -> ReflectorTestEnvironment { try await shared.value }

    private init(client: KubeClient, storagePath: String, context: ImageReflectorContext) {
        self.client = client
        self.storagePath = storagePath
        self.context = context
    }

    static let secretKind = GroupVersionKind(group: "", version: "v1", kind: "Secret")
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    private static func start() async throws -> ReflectorTestEnvironment {
        var logger = Logger(label: "image-reflector-tests")
        // Failing reconciles are the point of several tests; their logs would drown the output.
        logger.logLevel = .critical
        let emulator = KubeEmulator(configuration: KubeEmulatorConfiguration(tls: true), logger: logger)
        let endpoint = try await emulator.start()
        let client = KubeClient(config: try KubeConfig(kubeconfig: try YAML.decode(endpoint.kubeconfig()).jsonBytes()))
        try await client.installCRDs(from: packageRoot.appendingPathComponent("config/crd/bases").path,
                                    groups: ["image.toolkit.fluxcd.io"])
        let storagePath = try ArtifactTestSupport.makeDirectory("image-reflector-tests") + "/storage"
        let manager = Manager(
            name: "image-automation-controller", api: client,
            configuration: ManagerConfiguration(
                retryBackoff: ExponentialBackoff(minimum: .milliseconds(200), maximum: .seconds(2)),
                jitter: Jitter(percentage: 0), concurrency: 4),
            logger: logger)
        let context = ImageAutomationSetup.registerReflector(on: manager, storagePath: storagePath, logger: logger,
                                                             requeueDependency: .seconds(2))
        Task { try await manager.run(handlingSignals: false) }
        return ReflectorTestEnvironment(client: client, storagePath: storagePath, context: context)
    }

    // MARK: Objects

    func makeNamespace(_ prefix: String, labels: [String: String] = [:]) async throws -> String {
        let name = "\(prefix)-\(UUID().uuidString.prefix(6).lowercased())"
        _ = try await client.create(
            ["apiVersion": "v1", "kind": "Namespace",
             "metadata": ["name": .string(name), "labels": .object(labels.mapValues { .string($0) })]],
            options: WriteOptions())
        return name
    }

    /// A `kubernetes.io/dockerconfigjson` Secret with `auths[host].auth` = base64(user:password).
    func createDockerConfigSecret(_ name: String, namespace: String, host: String, username: String, password: String)
        async throws
    {
        let auth = Data("\(username):\(password)".utf8).base64EncodedString()
        let config = #"{"auths":{"\#(host)":{"auth":"\#(auth)"}}}"#
        try await createSecret(name, namespace: namespace, type: "kubernetes.io/dockerconfigjson",
                               data: [".dockerconfigjson": config])
    }

    func createSecret(_ name: String, namespace: String, type: String = "Opaque", data: [String: String]) async throws {
        _ = try await client.create(
            ["apiVersion": "v1", "kind": "Secret", "type": .string(type),
             "metadata": ["name": .string(name), "namespace": .string(namespace)],
             "data": .object(data.mapValues { .string(Data($0.utf8).base64EncodedString()) })],
            options: WriteOptions())
    }

    func updateSecret(_ name: String, namespace: String, data: [String: String]) async throws {
        try await client.modify(Self.secretKind, ObjectKey(namespace: namespace, name: name)) {
            $0["data"] = .object(data.mapValues { .string(Data($0.utf8).base64EncodedString()) })
        }
    }

    func createRepository(_ name: String, namespace: String, spec: JSONValue) async throws {
        _ = try await client.create(
            ["apiVersion": "image.toolkit.fluxcd.io/v1", "kind": "ImageRepository",
             "metadata": ["name": .string(name), "namespace": .string(namespace)], "spec": spec],
            options: WriteOptions())
    }

    func createPolicy(_ name: String, namespace: String, spec: JSONValue) async throws {
        _ = try await client.create(
            ["apiVersion": "image.toolkit.fluxcd.io/v1", "kind": "ImagePolicy",
             "metadata": ["name": .string(name), "namespace": .string(namespace)], "spec": spec],
            options: WriteOptions())
    }

    func modify<Object: FluxObject>(_ type: Object.Type, _ name: String, namespace: String,
                                    _ change: (inout JSONValue) -> Void) async throws {
        try await client.modify(Object.kind, ObjectKey(namespace: namespace, name: name), change)
    }

    @discardableResult
    func requestReconcile<Object: FluxObject>(_ type: Object.Type, _ name: String, namespace: String) async throws -> String {
        try await client.requestReconcile(Object.kind, ObjectKey(namespace: namespace, name: name))
    }

    /// Deletes the image objects of `namespace` (so finished tests stop retrying against stopped registries).
    func cleanUp(namespace: String) async {
        for kind in [ImagePolicy.kind, ImageRepository.kind] {
            guard let list = try? await client.list(kind, namespace: namespace, options: ListOptions()) else { continue }
            for object in list.items {
                guard let key = ObjectKey(of: object) else { continue }
                _ = try? await client.delete(kind, key, options: DeleteOptions())
            }
        }
    }

    /// Polls until `condition` holds; records an issue with the last state when it never does.
    @discardableResult
    func waitFor<Object: FluxObject>(_ type: Object.Type, _ name: String, namespace: String, timeout: Duration = .seconds(30),
                                     _ what: String, sourceLocation: SourceLocation = #_sourceLocation,
                                     _ condition: (Object) -> Bool) async throws -> Object {
        do {
            return try await client.waitFor(Object.self, ObjectKey(namespace: namespace, name: name), timeout: timeout,
                                            pollInterval: .milliseconds(100), what, condition)
        } catch let timeout as WaitTimeout {
            Issue.record("\(timeout)", sourceLocation: sourceLocation)
            throw timeout
        }
    }

    func events(for name: String, namespace: String) async throws -> [String: [String]] {
        try await client.eventMessages(about: name, namespace: namespace)
    }
}

extension ReconcilableObject {
    var ready: Condition? { conditions[.ready] }
    var readyReason: String? { conditions[.ready]?.reason.rawValue }
    var readyMessage: String { conditions[.ready]?.message ?? "" }
}
