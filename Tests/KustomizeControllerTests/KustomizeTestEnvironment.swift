import Foundation
import GitOpsKit
import GitOpsTestSupport
import KubeEmulator
import KustomizeControllerKit
import Logging
import SourceControllerKit
import Testing

/// One KubeEmulator (every CRD of `config/crd` Established), an artifact server over a scratch storage directory,
/// and one in-process kustomize-controller (a real `Manager`, short retry and dependency requeues) for the whole
/// suite. Tests publish artifacts themselves: they archive files and write a GitRepository's `status.artifact` as
/// source-controller would, which makes digests, 404s and revisions fully controllable. Each test works in its
/// own namespace.
///
/// Kustomizations labelled `test.gitopskit.io/shard: default-sa` belong to a second controller (sharding by
/// `--watch-label-selector`) started with `--default-service-account=kustomize-default`; the main one ignores them.
final class KustomizeTestEnvironment: Sendable {
    let client: KubeClient
    let storage: ArtifactStorage
    let manager: Manager
    let scratch: String

    static let shared = Task { () throws -> KustomizeTestEnvironment in try await KustomizeTestEnvironment.start() }

    /// The shard label of the default-service-account controller, and its default account.
    static let shardLabel = "test.gitopskit.io/shard"
    static let defaultServiceAccountShard = "default-sa"
    static let defaultServiceAccount = "kustomize-default"

    static func get() async throws -> KustomizeTestEnvironment { try await shared.value }

    private init(client: KubeClient, storage: ArtifactStorage, manager: Manager, scratch: String) {
        self.client = client
        self.storage = storage
        self.manager = manager
        self.scratch = scratch
    }

    static let crdKind = GroupVersionKind(group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition")
    static let configMapKind = GroupVersionKind(group: "", version: "v1", kind: "ConfigMap")
    static let secretKind = GroupVersionKind(group: "", version: "v1", kind: "Secret")
    static let serviceKind = GroupVersionKind(group: "", version: "v1", kind: "Service")
    static let deploymentKind = GroupVersionKind(group: "apps", version: "v1", kind: "Deployment")
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    private static func start() async throws -> KustomizeTestEnvironment {
        var logger = Logger(label: "kustomize-tests")
        // Failing reconciles are the point of several tests; their error logs would drown the test output.
        logger.logLevel = .critical
        let emulator = KubeEmulator(configuration: KubeEmulatorConfiguration(tls: true, workloadDelay: .milliseconds(50)),
                                    logger: logger)
        let endpoint = try await emulator.start()
        let client = KubeClient(config: try KubeConfig(kubeconfig: try YAML.decode(endpoint.kubeconfig()).jsonBytes()))
        try await client.installCRDs(from: packageRoot.appendingPathComponent("config/crd/bases").path,
                                    groups: ["source.toolkit.fluxcd.io", "kustomize.toolkit.fluxcd.io"])
        let scratch = try ArtifactTestSupport.makeDirectory("kustomize-tests")
        let storage = ArtifactStorage(root: scratch + "/storage", advertisedAddress: "127.0.0.1:0")
        try FileManager.default.createDirectory(atPath: storage.root, withIntermediateDirectories: true)
        let server = ArtifactServer(storageRoot: storage.root, address: try #require(ListenAddress("127.0.0.1:0")), logger: logger)
        Task { try await server.run() }
        storage.advertise(at: "127.0.0.1:\(try await server.boundPort())")
        func makeManager(selector: String) -> Manager {
            Manager(
                name: "kustomize-controller", api: client,
                configuration: ManagerConfiguration(
                    watcher: WatcherConfiguration(labelSelector: selector),
                    retryBackoff: ExponentialBackoff(minimum: .milliseconds(200), maximum: .seconds(2)),
                    jitter: Jitter(percentage: 0), concurrency: 4),
                logger: logger)
        }
        let manager = makeManager(selector: "!\(shardLabel)")
        KustomizeControllerSetup.register(on: manager, requeueDependency: .milliseconds(500),
                                          healthPollInterval: .milliseconds(100), logger: logger)
        Task { try await manager.run(handlingSignals: false) }
        let sharded = makeManager(selector: "\(shardLabel)=\(defaultServiceAccountShard)")
        KustomizeControllerSetup.register(on: sharded, requeueDependency: .milliseconds(500),
                                          healthPollInterval: .milliseconds(100),
                                          defaultServiceAccount: defaultServiceAccount, logger: logger)
        Task { try await sharded.run(handlingSignals: false) }
        return KustomizeTestEnvironment(client: client, storage: storage, manager: manager, scratch: scratch)
    }

    // MARK: Objects

    /// A fresh namespace for one test.
    func makeNamespace(_ prefix: String) async throws -> String {
        let name = "\(prefix)-\(UUID().uuidString.prefix(6).lowercased())"
        _ = try await client.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]],
                                    options: WriteOptions())
        return name
    }

    /// Archives `files` as the artifact of GitRepository `namespace/name` for `revision` (creating the GitRepository
    /// when needed) and advertises it in its status; returns the revision. `digest` overrides the real digest.
    @discardableResult
    func publish(_ files: [String: String], source name: String = "repo", namespace: String, commit: String,
                 digest: String? = nil, metadata: [String: String]? = nil) async throws -> String
    {
        let directory = try ArtifactTestSupport.makeDirectory("artifact-src")
        defer { ArtifactTestSupport.cleanUp(directory) }
        for (path, content) in files { try ArtifactTestSupport.write(content, to: path, in: directory) }
        let path = "gitrepository/\(namespace)/\(name)/\(commit).tar.gz"
        let summary = try await storage.archive(directory: directory, to: path)
        let revision = "main@sha1:\(commit)"
        if try await client.getIfPresent(GitRepository.kind, ObjectKey(namespace: namespace, name: name)) == nil {
            _ = try await client.create(
                ["apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
                 "metadata": ["name": .string(name), "namespace": .string(namespace)],
                 "spec": ["url": "https://git.example.invalid/repo.git", "interval": "1h"]],
                options: WriteOptions())
        }
        var artifact: JSONValue = [
            "path": .string(path), "url": .string(storage.url(for: path)), "revision": .string(revision),
            "digest": .string(digest ?? summary.digest), "lastUpdateTime": "2026-01-01T00:00:00Z", "size": .int(summary.size),
        ]
        // (null removes an earlier revision's metadata: the status is merge-patched)
        artifact["metadata"] = metadata.map { .object($0.mapValues { .string($0) }) } ?? .null
        _ = try await client.patch(GitRepository.kind, ObjectKey(namespace: namespace, name: name),
                                   patch: ["status": ["artifact": artifact]], type: .merge, subresource: "status",
                                   options: WriteOptions())
        return revision
    }

    @discardableResult
    func createKustomization(_ name: String, namespace: String, spec: JSONValue, labels: [String: String] = [:])
        async throws -> JSONValue
    {
        var full = spec
        if full["sourceRef"] == nil { full["sourceRef"] = ["kind": "GitRepository", "name": "repo"] }
        if full["interval"] == nil { full["interval"] = "1h" }
        if full["prune"] == nil { full["prune"] = true }
        var metadata: JSONValue = ["name": .string(name), "namespace": .string(namespace)]
        if !labels.isEmpty { metadata["labels"] = .object(labels.mapValues { .string($0) }) }
        return try await client.create(
            ["apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization", "metadata": metadata, "spec": full],
            options: WriteOptions())
    }

    /// Creates `object` (with its namespace) as the admin.
    @discardableResult
    func create(_ object: JSONValue) async throws -> JSONValue {
        try await client.create(object, options: WriteOptions())
    }

    func kustomization(_ name: String, namespace: String) async throws -> Kustomization {
        try Kustomization(from: try await client.get(Kustomization.kind, ObjectKey(namespace: namespace, name: name)))
    }

    /// Applies `change` to the object's JSON and updates it (retrying on conflicts).
    func modify(_ name: String, namespace: String, _ change: (inout JSONValue) -> Void) async throws {
        try await client.modify(Kustomization.kind, ObjectKey(namespace: namespace, name: name), change)
    }

    /// Sets `reconcile.fluxcd.io/requestedAt` to a new token and returns it.
    func requestReconcile(_ name: String, namespace: String) async throws -> String {
        try await client.requestReconcile(Kustomization.kind, ObjectKey(namespace: namespace, name: name))
    }

    /// Polls the object until `condition` holds; fails the test with the last status when it never does.
    @discardableResult
    func waitFor(_ name: String, namespace: String, timeout: Duration = .seconds(20), _ what: String,
                 sourceLocation: SourceLocation = #_sourceLocation,
                 _ condition: (Kustomization) -> Bool) async throws -> Kustomization
    {
        do {
            return try await client.waitFor(Kustomization.self, ObjectKey(namespace: namespace, name: name), timeout: timeout,
                                            pollInterval: .milliseconds(50), what, condition)
        } catch let timeout as WaitTimeout {
            Issue.record("\(timeout)", sourceLocation: sourceLocation)
            throw timeout
        }
    }

    /// Polls until `body` returns true (for cluster objects rather than the Kustomization).
    func eventually(_ what: String, timeout: Duration = .seconds(20), sourceLocation: SourceLocation = #_sourceLocation,
                    _ body: () async throws -> Bool) async throws
    {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if (try? await body()) == true { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("timed out waiting for \(what)", sourceLocation: sourceLocation)
        throw WaitTimeout(description: what)
    }

    /// The messages of the Events recorded about Kustomization `name`, by reason.
    func events(for name: String, namespace: String) async throws -> [String: [String]] {
        try await client.eventMessages(about: name, kind: "Kustomization", namespace: namespace)
    }

    func get(_ kind: GroupVersionKind, _ name: String, namespace: String?) async throws -> JSONValue? {
        try await client.getIfPresent(kind, ObjectKey(namespace: namespace, name: name))
    }

    /// Deletes every Kustomization of `namespace` (so finished tests stop reconciling).
    func cleanUp(namespace: String) async {
        guard let list = try? await client.list(Kustomization.kind, namespace: namespace, options: ListOptions()) else { return }
        for object in list.items {
            guard let key = ObjectKey(of: object) else { continue }
            _ = try? await client.delete(Kustomization.kind, key, options: DeleteOptions())
        }
    }
}


extension Kustomization {
    var readyReason: String? { conditions[.ready]?.reason.rawValue }
    var readyMessage: String { conditions[.ready]?.message ?? "" }
    var isReadyTrue: Bool { conditions[.ready]?.status == .true }
    var isReadyFalse: Bool { conditions[.ready]?.status == .false }
    var inventoryIDs: [String] { status?.inventory?.entries.map(\.id) ?? [] }
}
