import Foundation
import GitOpsKit
import GitOpsTestSupport
import ImageAutomationControllerKit
import KubeEmulator
import Logging
import Testing

/// One KubeEmulator (image and source CRDs installed), one in-process ImageUpdateAutomation controller and one
/// smart-HTTP Git server (with `receive-pack`) for the whole suite. Each test works in its own namespace and its
/// own repositories below the server's root.
///
/// The server runs `uploadpack.packObjectsHook` = `race-hook.sh`: when a repository holds a file `race-once` (or
/// `race-always`), serving a fetch first commits `upstream-<n>.txt` to its `main` branch, so the clone is outdated
/// by the time the controller pushes — a push made "meanwhile".
final class ImageUpdateTestEnvironment: Sendable {
    let client: KubeClient
    let manager: Manager
    let scratch: String
    let gitRoot: String
    let gitServer: GitTestSupport.Server

    static let shared = Task { () throws -> ImageUpdateTestEnvironment in try await ImageUpdateTestEnvironment.start() }

    static func get() async throws -> ImageUpdateTestEnvironment { try await shared.value }

    private init(client: KubeClient, manager: Manager, scratch: String, gitRoot: String, gitServer: GitTestSupport.Server) {
        self.client = client
        self.manager = manager
        self.scratch = scratch
        self.gitRoot = gitRoot
        self.gitServer = gitServer
    }

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static let raceHook = """
        #!/bin/sh
        # uploadpack.packObjectsHook: runs in the repository for every fetch that needs a pack.
        if [ -f race-once ] || [ -f race-always ]; then
            rm -f race-once
            n=$(ls | grep -c '^upstream-' || true)
            touch "upstream-$n"
            blob=$(echo "upstream $n" | git hash-object -w --stdin)
            GIT_INDEX_FILE=race-index git read-tree main
            GIT_INDEX_FILE=race-index git update-index --add --cacheinfo "100644,$blob,upstream-$n.txt"
            tree=$(GIT_INDEX_FILE=race-index git write-tree)
            rm -f race-index
            commit=$(git commit-tree "$tree" -p main -m "upstream change $n")
            git update-ref refs/heads/main "$commit"
        fi
        exec "$@"
        """

    private static func start() async throws -> ImageUpdateTestEnvironment {
        var logger = Logger(label: "image-update-tests")
        logger.logLevel = .critical
        let emulator = KubeEmulator(configuration: KubeEmulatorConfiguration(tls: true), logger: logger)
        let endpoint = try await emulator.start()
        let client = KubeClient(config: try KubeConfig(kubeconfig: try YAML.decode(endpoint.kubeconfig()).jsonBytes()))
        try await client.installCRDs(from: packageRoot.appendingPathComponent("config/crd/bases").path,
                                    groups: ["source.toolkit.fluxcd.io", "image.toolkit.fluxcd.io"])
        let scratch = try ArtifactTestSupport.makeDirectory("image-update-tests")
        let gitRoot = scratch + "/git"
        try FileManager.default.createDirectory(atPath: gitRoot, withIntermediateDirectories: true)
        try ArtifactTestSupport.write(raceHook, to: "race-hook.sh", in: scratch, mode: 0o755)
        let gitServer = try GitTestSupport.startHTTPServer(root: gitRoot, environment: [
            "GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "uploadpack.packObjectsHook",
            "GIT_CONFIG_VALUE_0": scratch + "/race-hook.sh",
        ])
        let manager = Manager(
            name: "image-automation-controller", api: client,
            configuration: ManagerConfiguration(
                retryBackoff: ExponentialBackoff(minimum: .milliseconds(200), maximum: .seconds(2)),
                jitter: Jitter(percentage: 0), concurrency: 2),
            logger: logger)
        ImageAutomationSetup.registerUpdateAutomation(on: manager, workDirectory: scratch + "/work", logger: logger)
        Task { try await manager.run(handlingSignals: false) }
        return ImageUpdateTestEnvironment(client: client, manager: manager, scratch: scratch, gitRoot: gitRoot,
                                          gitServer: gitServer)
    }

    // MARK: Git

    /// A repository for one test: `<gitRoot>/<name>/work` (branch `main`) and its bare remote served at the
    /// returned URL, with `files` committed on top of the initial commit.
    func makeRepository(_ name: String, files: [String: String]) throws -> (repository: GitTestSupport.Repository, url: String) {
        let root = gitRoot + "/" + name
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let repository = try GitTestSupport.makeRepository(in: root)
        try repository.commit(files, message: "Add manifests")
        return (repository, "http://127.0.0.1:\(gitServer.port)/\(name)/remote.git")
    }

    // MARK: Objects

    func makeNamespace(_ prefix: String) async throws -> String {
        let name = "\(prefix)-\(UUID().uuidString.prefix(6).lowercased())"
        _ = try await client.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]],
                                    options: WriteOptions())
        return name
    }

    func createGitRepository(_ name: String, namespace: String, url: String, branch: String = "main") async throws {
        _ = try await client.create(
            ["apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
             "metadata": ["name": .string(name), "namespace": .string(namespace)],
             "spec": ["url": .string(url), "interval": "1h", "ref": ["branch": .string(branch)]]],
            options: WriteOptions())
    }

    /// An ImagePolicy whose status says it is Ready with `latestRef` (no ImagePolicy reconciler runs here).
    func createPolicy(_ name: String, namespace: String, image: String, tag: String, digest: String? = nil,
                      labels: [String: String] = [:], ready: Bool = true) async throws
    {
        let created = try await client.create(
            ["apiVersion": "image.toolkit.fluxcd.io/v1", "kind": "ImagePolicy",
             "metadata": ["name": .string(name), "namespace": .string(namespace),
                          "labels": .object(labels.mapValues(JSONValue.string))],
             "spec": ["imageRepositoryRef": ["name": .string(name)], "policy": ["semver": ["range": ">=1.0.0"]]]],
            options: WriteOptions())
        try await setPolicyStatus(created, image: image, tag: tag, digest: digest, ready: ready)
    }

    func updatePolicy(_ name: String, namespace: String, image: String, tag: String, digest: String? = nil) async throws {
        let object = try await client.get(ImagePolicy.kind, ObjectKey(namespace: namespace, name: name))
        try await setPolicyStatus(object, image: image, tag: tag, digest: digest, ready: true)
    }

    private func setPolicyStatus(_ object: JSONValue, image: String, tag: String, digest: String?, ready: Bool) async throws {
        var latest: JSONValue = ["name": .string(image), "tag": .string(tag)]
        if let digest { latest["digest"] = .string(digest) }
        let status: JSONValue = [
            "observedGeneration": object[path: "metadata", "generation"] ?? 1,
            "latestRef": latest,
            "conditions": [[
                "type": "Ready", "status": .string(ready ? "True" : "False"), "reason": "Succeeded",
                "message": .string("Latest image tag for \(image) resolved to \(tag)"),
                "lastTransitionTime": "2026-01-01T00:00:00Z", "observedGeneration": 1,
            ]],
        ]
        try await StatusWriter(api: client).write(status, for: object)
    }

    @discardableResult
    func createAutomation(_ name: String, namespace: String, spec: JSONValue) async throws -> JSONValue {
        try await client.create(
            ["apiVersion": "image.toolkit.fluxcd.io/v1", "kind": "ImageUpdateAutomation",
             "metadata": ["name": .string(name), "namespace": .string(namespace)], "spec": spec],
            options: WriteOptions())
    }

    /// Polls the automation until `condition` holds; fails the test with the last status when it never does.
    @discardableResult
    func waitFor(_ name: String, namespace: String, timeout: Duration = .seconds(60), _ what: String,
                 sourceLocation: SourceLocation = #_sourceLocation,
                 _ condition: (ImageUpdateAutomation) -> Bool) async throws -> ImageUpdateAutomation
    {
        do {
            return try await client.waitFor(ImageUpdateAutomation.self, ObjectKey(namespace: namespace, name: name),
                                            timeout: timeout, pollInterval: .milliseconds(100), what, condition)
        } catch let timeout as WaitTimeout {
            Issue.record("\(timeout)", sourceLocation: sourceLocation)
            throw timeout
        }
    }

    /// Deletes the automations of `namespace` so finished tests stop working in the background.
    func deleteAutomations(namespace: String) async {
        guard let list = try? await client.list(ImageUpdateAutomation.kind, namespace: namespace, options: ListOptions())
        else { return }
        for object in list.items {
            guard let key = ObjectKey(of: object) else { continue }
            _ = try? await client.delete(ImageUpdateAutomation.kind, key, options: DeleteOptions())
        }
    }
}
