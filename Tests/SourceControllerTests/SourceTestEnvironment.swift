import ArgumentParser
import Foundation
import GitOpsKit
import GitOpsTestSupport
import KubeEmulator
import Logging
import SourceControllerKit
import Testing

/// One KubeEmulator (HTTPS, every CRD of `config/crd` Established) and one in-process source-controller (a real
/// `Manager` with the artifact server on an ephemeral port and short retry backoff) for the whole suite. Each test
/// works in its own namespace.
final class SourceTestEnvironment: Sendable {
    let endpoint: KubeEmulatorEndpoint
    let client: KubeClient
    let storagePath: String
    let manager: Manager
    let context: SourceControllerContext
    let scratch: String

    static let shared = Task { () throws -> SourceTestEnvironment in try await SourceTestEnvironment.start() }

    static func get() async throws -> SourceTestEnvironment { try await shared.value }

    private init(endpoint: KubeEmulatorEndpoint, client: KubeClient, storagePath: String, manager: Manager,
                 context: SourceControllerContext, scratch: String)
    {
        self.endpoint = endpoint
        self.client = client
        self.storagePath = storagePath
        self.manager = manager
        self.context = context
        self.scratch = scratch
    }

    static let secretKind = GroupVersionKind(group: "", version: "v1", kind: "Secret")
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    private static func start() async throws -> SourceTestEnvironment {
        var logger = Logger(label: "source-tests")
        // Failing reconciles are the point of several tests; their error logs would drown the test output.
        logger.logLevel = .critical
        let emulator = KubeEmulator(configuration: KubeEmulatorConfiguration(tls: true), logger: logger)
        let endpoint = try await emulator.start()
        let client = KubeClient(config: try KubeConfig(kubeconfig: try YAML.decode(endpoint.kubeconfig()).jsonBytes()))
        try await client.installCRDs(from: packageRoot.appendingPathComponent("config/crd/bases").path,
                                    groups: ["source.toolkit.fluxcd.io"])
        let scratch = try ArtifactTestSupport.makeDirectory("source-tests")
        let storagePath = scratch + "/storage"
        let manager = Manager(
            name: "source-controller", api: client,
            configuration: ManagerConfiguration(
                retryBackoff: ExponentialBackoff(minimum: .milliseconds(200), maximum: .seconds(2)),
                jitter: Jitter(percentage: 0), concurrency: 4),
            logger: logger)
        let options = try SourceControllerOptions.parse(["--storage-path", storagePath, "--storage-addr", "127.0.0.1:0"])
        let context = try SourceControllerSetup.register(
            on: manager, options: options, logger: logger)
        Task { try await manager.run(handlingSignals: false) }
        return SourceTestEnvironment(endpoint: endpoint, client: client, storagePath: storagePath, manager: manager,
                                     context: context, scratch: scratch)
    }

    // MARK: Objects

    /// A fresh namespace for one test.
    func makeNamespace(_ prefix: String) async throws -> String {
        let name = "\(prefix)-\(UUID().uuidString.prefix(6).lowercased())"
        _ = try await client.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]],
                                    options: WriteOptions())
        return name
    }

    func createSecret(_ name: String, namespace: String, data: [String: String]) async throws {
        let encoded = JSONValue.object(data.mapValues { .string(Data($0.utf8).base64EncodedString()) })
        _ = try await client.create(
            ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": .string(name), "namespace": .string(namespace)],
             "data": encoded],
            options: WriteOptions())
    }

    func updateSecret(_ name: String, namespace: String, data: [String: String]) async throws {
        var secret = try await client.get(Self.secretKind, ObjectKey(namespace: namespace, name: name))
        secret["data"] = .object(data.mapValues { .string(Data($0.utf8).base64EncodedString()) })
        _ = try await client.update(secret, options: WriteOptions())
    }

    @discardableResult
    func createGitRepository(_ name: String, namespace: String, spec: JSONValue) async throws -> JSONValue {
        try await client.create(
            ["apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
             "metadata": ["name": .string(name), "namespace": .string(namespace)], "spec": spec],
            options: WriteOptions())
    }

    func gitRepository(_ name: String, namespace: String) async throws -> GitRepository {
        try GitRepository(from: try await client.get(GitRepository.kind, ObjectKey(namespace: namespace, name: name)))
    }

    /// Applies `change` to the object's JSON and updates it (retrying on conflicts).
    func modify(_ name: String, namespace: String, _ change: (inout JSONValue) -> Void) async throws {
        try await client.modify(GitRepository.kind, ObjectKey(namespace: namespace, name: name), change)
    }

    /// Deletes every GitRepository of `namespace` (so finished tests stop retrying against stopped servers).
    func deleteGitRepositories(namespace: String) async {
        guard let list = try? await client.list(GitRepository.kind, namespace: namespace, options: ListOptions()) else { return }
        for object in list.items {
            guard let key = ObjectKey(of: object) else { continue }
            _ = try? await client.delete(GitRepository.kind, key, options: DeleteOptions())
        }
    }

    /// Sets `reconcile.fluxcd.io/requestedAt` to a new token and returns it.
    func requestReconcile(_ name: String, namespace: String) async throws -> String {
        try await client.requestReconcile(GitRepository.kind, ObjectKey(namespace: namespace, name: name))
    }

    /// Polls the object until `condition` holds; fails the test with the last status when it never does.
    @discardableResult
    func waitFor(_ name: String, namespace: String, timeout: Duration = .seconds(30), _ what: String,
                 sourceLocation: SourceLocation = #_sourceLocation,
                 _ condition: (GitRepository) -> Bool) async throws -> GitRepository
    {
        do {
            return try await client.waitFor(GitRepository.self, ObjectKey(namespace: namespace, name: name), timeout: timeout,
                                            pollInterval: .milliseconds(100), what, condition)
        } catch let timeout as WaitTimeout {
            Issue.record("\(timeout)", sourceLocation: sourceLocation)
            throw timeout
        }
    }

    /// The messages of the Events recorded about `name` in `namespace`, by reason.
    func eventReasons(for name: String, namespace: String) async throws -> [String: [String]] {
        try await client.eventMessages(about: name, namespace: namespace)
    }

    // MARK: Artifacts

    /// Downloads `artifact.url`, checks the advertised digest, extracts it and returns the relative file paths.
    func downloadedFiles(of artifact: Artifact) async throws -> Set<String> {
        let directory = try ArtifactTestSupport.makeDirectory("artifact")
        defer { ArtifactTestSupport.cleanUp(directory) }
        let fetcher = ArtifactFetcher(client: HTTPClient(), temporaryDirectory: scratch)
        try await fetcher.fetch(url: artifact.url, digest: try #require(artifact.digest), into: directory)
        var files: Set<String> = []
        let enumerator = FileManager.default.enumerator(atPath: directory)
        while let relative = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: directory + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.insert(relative)
            }
        }
        return files
    }

    /// The artifact files stored for a GitRepository (links excluded).
    func storedFiles(namespace: String, name: String) -> [String] {
        let directory = storagePath + "/gitrepository/\(namespace)/\(name)"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".tar.gz") && $0 != "latest.tar.gz" }.sorted()
    }
}


extension GitRepository {
    /// The status of condition `type`, or nil.
    func condition(_ type: ConditionType) -> Condition? { conditions[type] }
    var readyReason: String? { conditions[.ready]?.reason.rawValue }
    var readyMessage: String { conditions[.ready]?.message ?? "" }
    var isReadyTrue: Bool { conditions[.ready]?.status == .true }
    var isReadyFalse: Bool { conditions[.ready]?.status == .false }
}
