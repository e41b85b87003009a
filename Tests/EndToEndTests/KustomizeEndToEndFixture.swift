import Foundation
import GitOpsKit
import GitOpsTestSupport
import Testing

/// One `kube-emulator`, `source-controller` and `kustomize-controller` (processes) and one smart-HTTP Git server,
/// shared by the kustomize end-to-end scenarios; each scenario makes its own repositories and namespaces.
final class KustomizeEndToEndFixture: Sendable {
    let directory: TemporaryDirectory
    let kubeconfig: String
    let api: KubeClient
    let gitRoot: String
    let server: GitTestSupport.Server
    let emulator: ControllerProcessRunner
    let source: ControllerProcessRunner
    let kustomize: ControllerProcessRunner

    private init(directory: TemporaryDirectory, kubeconfig: String, api: KubeClient, gitRoot: String,
                 server: GitTestSupport.Server, emulator: ControllerProcessRunner, source: ControllerProcessRunner,
                 kustomize: ControllerProcessRunner) {
        self.directory = directory
        self.kubeconfig = kubeconfig
        self.api = api
        self.gitRoot = gitRoot
        self.server = server
        self.emulator = emulator
        self.source = source
        self.kustomize = kustomize
    }

    /// - Parameter eventsURL: where both controllers post their events (`--events-addr`), e.g. a notification-controller.
    static func start(eventsURL: String? = nil) async throws -> KustomizeEndToEndFixture {
        let directory = try TemporaryDirectory()
        let kubeconfig = directory.path + "/kubeconfig"
        let emulator = try ControllerProcessRunner(
            binary: try executable("kube-emulator"),
            arguments: ["--kubeconfig-out", kubeconfig, "--workload-delay", "0.05", "--log-level", "error"], directory: directory)
        guard try await eventually(timeout: .seconds(20), { FileManager.default.fileExists(atPath: kubeconfig) }) else {
            emulator.kill()
            throw EndToEndError("kube-emulator wrote no kubeconfig: \(emulator.log())")
        }
        try await Task.sleep(for: .milliseconds(100))
        let api = KubeClient(config: try KubeConfig.load(kubeconfigPaths: [kubeconfig]))
        try await SourceGitEndToEndTests.installCRDs(api, group: "source.toolkit.fluxcd.io")
        try await SourceGitEndToEndTests.installCRDs(api, group: "kustomize.toolkit.fluxcd.io")
        let gitRoot = directory.path + "/git"
        try FileManager.default.createDirectory(atPath: gitRoot, withIntermediateDirectories: true)
        let server = try GitTestSupport.startHTTPServer(root: gitRoot)
        let common = ["--kubeconfig", kubeconfig, "--metrics-addr", "0", "--min-retry-delay", "200ms",
                      "--max-retry-delay", "2s", "--log-level", "info"] + (eventsURL.map { ["--events-addr", $0] } ?? [])
        let storagePort = try freePort()
        let source = try ControllerProcessRunner(
            binary: try executable("source-controller"),
            arguments: common + ["--health-addr", "127.0.0.1:\(try freePort())", "--storage-path", directory.path + "/storage",
                                 "--storage-addr", "127.0.0.1:\(storagePort)", "--storage-adv-addr", "127.0.0.1:\(storagePort)"],
            directory: directory)
        let kustomize = try ControllerProcessRunner(
            binary: try executable("kustomize-controller"),
            arguments: common + ["--health-addr", "127.0.0.1:\(try freePort())", "--requeue-dependency", "1s"],
            directory: directory)
        return KustomizeEndToEndFixture(directory: directory, kubeconfig: kubeconfig, api: api, gitRoot: gitRoot,
                                        server: server, emulator: emulator, source: source, kustomize: kustomize)
    }

    func stop() {
        kustomize.kill()
        source.kill()
        emulator.kill()
        server.stop()
    }

    func logs() -> String {
        "source-controller:\n\(source.log().suffix(3000))\nkustomize-controller:\n\(kustomize.log().suffix(3000))"
    }

    /// Runs one scenario; a thrown error is recorded as an issue (with the controllers' logs) so the others go on.
    func scenario(_ name: String, _ body: () async throws -> Void) async {
        let started = ContinuousClock.now
        do {
            try await body()
        } catch {
            Issue.record("scenario \(name) failed: \(error)\n\(logs())")
        }
        print("kustomize end-to-end scenario \(name): \(ContinuousClock.now - started)")
    }

    // MARK: Objects

    func createNamespaces(_ names: [String]) async throws {
        for name in names {
            _ = try await api.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]],
                                     options: WriteOptions())
        }
    }

    /// A repository served at `/<name>/remote.git`, its initial files removed.
    func repository(_ name: String) throws -> GitTestSupport.Repository {
        let repository = try GitTestSupport.makeRepository(in: gitRoot + "/" + name)
        try FileManager.default.removeItem(atPath: repository.work + "/deploy")
        return repository
    }

    func createGitRepository(_ name: String, namespace: String) async throws {
        _ = try await api.create(
            ["apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
             "metadata": ["name": .string(name), "namespace": .string(namespace)],
             "spec": ["url": .string("http://127.0.0.1:\(server.port)/\(name)/remote.git"), "interval": "1s",
                      "ref": ["branch": "main"]]],
            options: WriteOptions())
    }

    func createKustomization(_ name: String, namespace: String, spec: JSONValue) async throws {
        _ = try await api.create(
            ["apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
             "metadata": ["name": .string(name), "namespace": .string(namespace)], "spec": spec],
            options: WriteOptions())
    }

    /// A Kustomization's `Ready` condition.
    struct Ready: CustomStringConvertible {
        var status: String
        var reason: String
        var message: String
        var description: String { "Ready=\(status) \(reason): \(message)" }
    }

    /// Waits until the Kustomization attempted `revision` and decided (`Ready` not Unknown); returns `Ready`.
    func ready(_ name: String, namespace: String, revision: String, _ what: String,
               sourceLocation: SourceLocation = #_sourceLocation) async throws -> Ready {
        var last: JSONValue = .null
        let done = try await eventually(timeout: .seconds(40)) {
            let object = try await api.get(Kustomization.kind, ObjectKey(namespace: namespace, name: name))
            last = object["status"] ?? .null
            return object[path: "status", "lastAttemptedRevision"]?.stringValue == revision
                && Self.ready(object["status"])?.status != "Unknown"
        }
        guard done, let ready = Self.ready(last) else {
            throw EndToEndError("\(what): Kustomization \(namespace)/\(name) never decided on \(revision); status: \(last)")
        }
        return ready
    }

    /// Waits until the Kustomization's `Ready` condition satisfies `condition`.
    func waitForCondition(_ name: String, namespace: String, _ what: String,
                          _ condition: (Ready) -> Bool) async throws -> Ready {
        var last: Ready?
        let done = try await eventually(timeout: .seconds(40)) {
            let object = try await api.get(Kustomization.kind, ObjectKey(namespace: namespace, name: name))
            last = Self.ready(object["status"])
            return last.map(condition) ?? false
        }
        guard done, let last else { throw EndToEndError("\(what): \(namespace)/\(name) is \(String(describing: last))") }
        return last
    }

    private static func ready(_ status: JSONValue?) -> Ready? {
        guard let condition = status?["conditions"]?.arrayValue?.first(where: { $0["type"] == "Ready" }) else { return nil }
        return Ready(status: condition["status"]?.stringValue ?? "", reason: condition["reason"]?.stringValue ?? "",
                     message: condition["message"]?.stringValue ?? "")
    }

    // MARK: kubectl

    func kubectl(_ arguments: [String], namespace: String) throws -> String {
        try ArtifactTestSupport.run(["kubectl", "--kubeconfig", kubeconfig, "-n", namespace] + arguments)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func names(_ resource: String, namespace: String) throws -> [String] {
        try kubectl(["get", resource, "-o", "jsonpath={.items[*].metadata.name}"], namespace: namespace)
            .split(separator: " ").map(String.init).sorted()
    }
}

extension GitTestSupport.Repository {
    /// `git revert` of `commit`, pushed; returns the new head.
    func revert(_ commit: String) throws -> String {
        try GitTestSupport.git(["revert", "--no-edit", commit], in: work, date: 1_700_000_000)
        try GitTestSupport.git(["push", "-q", "origin", "HEAD"], in: work)
        return try head()
    }
}
