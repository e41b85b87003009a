import Foundation
import GitOpsKit
import GitOpsTestSupport
import Testing

/// The whole GitOps loop with real processes: the `kube-emulator`, `source-controller` and `kustomize-controller`
/// binaries and a Git repository served over smart HTTP. A base/overlay repository deploys; a commit that scales the
/// Deployment, adds a ConfigMap and removes another is applied and pruned; bad commits (invalid YAML, an object the
/// server rejects, an unknown kind, a missing path) leave `Ready=False` with a precise reason and prune nothing; a
/// revert recovers. `kubectl get` is the observer throughout.
@Suite(.serialized)
struct KustomizeEndToEndTests {
    static let ns = "e2e-ks"

    @Test func commitsApplyPruneAndFailSafely() async throws {
        let directory = try TemporaryDirectory()
        let kubeconfig = directory.path + "/kubeconfig"
        let emulator = try ControllerProcessRunner(
            binary: try executable("kube-emulator"),
            arguments: ["--kubeconfig-out", kubeconfig, "--workload-delay", "0.05", "--log-level", "error"], directory: directory)
        defer { emulator.kill() }
        let started = try await eventually(timeout: .seconds(20)) { FileManager.default.fileExists(atPath: kubeconfig) }
        #expect(started, "kube-emulator wrote no kubeconfig: \(emulator.log())")
        try await Task.sleep(for: .milliseconds(100))
        let api = KubeClient(config: try KubeConfig.load(kubeconfigPaths: [kubeconfig]))
        try await SourceGitEndToEndTests.installCRDs(api, group: "source.toolkit.fluxcd.io")
        try await SourceGitEndToEndTests.installCRDs(api, group: "kustomize.toolkit.fluxcd.io")
        _ = try await api.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(Self.ns)]],
                                 options: WriteOptions())

        // Upstream repository: base + dev overlay.
        let gitRoot = directory.path + "/git"
        let repository = try GitTestSupport.makeRepository(in: gitRoot + "/fleet")
        try FileManager.default.removeItem(atPath: repository.work + "/deploy")
        var head = try repository.commit(Self.base(replicas: 1, configMaps: ["settings"]), message: "Deploy web")
        let server = try GitTestSupport.startHTTPServer(root: gitRoot)
        defer { server.stop() }

        let common = ["--kubeconfig", kubeconfig, "--metrics-addr", "0", "--min-retry-delay", "200ms",
                      "--max-retry-delay", "2s", "--log-level", "info"]
        let storagePort = try freePort()
        let source = try ControllerProcessRunner(
            binary: try executable("source-controller"),
            arguments: common + ["--health-addr", "127.0.0.1:\(try freePort())", "--storage-path", directory.path + "/storage",
                                 "--storage-addr", "127.0.0.1:\(storagePort)", "--storage-adv-addr", "127.0.0.1:\(storagePort)"],
            directory: directory)
        defer { source.kill() }
        let kustomize = try ControllerProcessRunner(
            binary: try executable("kustomize-controller"),
            arguments: common + ["--health-addr", "127.0.0.1:\(try freePort())", "--requeue-dependency", "1s"],
            directory: directory)
        defer { kustomize.kill() }
        func logs() -> String { "source-controller:\n\(source.log().suffix(3000))\nkustomize-controller:\n\(kustomize.log().suffix(3000))" }

        _ = try await api.create(
            ["apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
             "metadata": ["name": "fleet", "namespace": .string(Self.ns)],
             "spec": ["url": .string("http://127.0.0.1:\(server.port)/fleet/remote.git"), "interval": "1s", "ref": ["branch": "main"]]],
            options: WriteOptions())
        _ = try await api.create(
            ["apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
             "metadata": ["name": "dev", "namespace": .string(Self.ns)],
             "spec": ["sourceRef": ["kind": "GitRepository", "name": "fleet"], "path": "./overlays/dev", "prune": true,
                      "interval": "10m", "retryInterval": "1s", "targetNamespace": .string(Self.ns)]],
            options: WriteOptions())

        /// Waits until the Kustomization attempted `head` and returns its Ready condition.
        func ready(for commit: String, _ what: String) async throws -> (status: String, reason: String, message: String) {
            let revision = "main@sha1:\(commit)"
            var last: JSONValue = .null
            let done = try await eventually(timeout: .seconds(40)) {
                let object = try await api.get(Kustomization.kind, ObjectKey(namespace: Self.ns, name: "dev"))
                last = object["status"] ?? .null
                return object[path: "status", "lastAttemptedRevision"]?.stringValue == revision
                    && object[path: "status", "conditions"]?.arrayValue?.first { $0["type"] == "Ready" }?["status"] != "Unknown"
            }
            #expect(done, "\(what): Kustomization never attempted \(revision); status: \(last)\n\(logs())")
            let ready = last["conditions"]?.arrayValue?.first { $0["type"] == "Ready" }
            return (ready?["status"]?.stringValue ?? "", ready?["reason"]?.stringValue ?? "", ready?["message"]?.stringValue ?? "")
        }

        var outcome = try await ready(for: head, "first deploy")
        #expect(outcome.status == "True" && outcome.reason == "ReconciliationSucceeded", "\(outcome)\n\(logs())")
        #expect(outcome.message == "Applied revision: main@sha1:\(head)")
        #expect(try Self.kubectl(["get", "deployment", "dev-web", "-o", "jsonpath={.spec.replicas}"], kubeconfig) == "1")
        #expect(try Self.kubectlNames("configmaps", kubeconfig).contains("dev-settings"))

        // Scale, add one ConfigMap, remove the other: applied and pruned.
        try FileManager.default.removeItem(atPath: repository.work + "/base/settings.yaml")
        head = try repository.commit(Self.base(replicas: 3, configMaps: ["flags"]), message: "Scale and swap config")
        let good = head
        outcome = try await ready(for: head, "scale and swap")
        #expect(outcome.status == "True", "\(outcome)\n\(logs())")
        #expect(try Self.kubectl(["get", "deployment", "dev-web", "-o", "jsonpath={.spec.replicas}"], kubeconfig) == "3")
        var names = try Self.kubectlNames("configmaps", kubeconfig)
        #expect(names.contains("dev-flags") && !names.contains("dev-settings"), "\(names)")
        let labels = try Self.kubectl(["get", "configmap", "dev-flags", "-o", "jsonpath={.metadata.labels}"], kubeconfig)
        #expect(labels.contains("\"kustomize.toolkit.fluxcd.io/name\":\"dev\""), "\(labels)")

        // Bad commits: each fails with its reason and prunes nothing (every one of them also drops `flags`).
        let bad: [(files: [String: String], reason: String, message: String)] = [
            (["base/flags.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flags\n data: [\n"], "BuildFailed",
             "kustomize build failed"),
            (["base/flags.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Flags_Invalid\n"], "ReconciliationFailed",
             "dry-run failed (Invalid)"),
            (["base/flags.yaml": "apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: flags\n"], "ReconciliationFailed",
             "no matches for kind \"Gadget\""),
        ]
        for (index, change) in bad.enumerated() {
            head = try repository.commit(change.files, message: "Bad commit \(index)")
            outcome = try await ready(for: head, change.reason)
            #expect(outcome.status == "False" && outcome.reason == change.reason, "\(outcome)")
            #expect(outcome.message.contains(change.message), "\(outcome.message)")
            names = try Self.kubectlNames("configmaps", kubeconfig)
            #expect(names.contains("dev-flags"), "a failed reconcile pruned dev-flags: \(names)")
        }
        // A missing path: the overlay directory is gone.
        try FileManager.default.removeItem(atPath: repository.work + "/overlays")
        head = try repository.commit(["notes.md": "moved\n"], message: "Remove the overlay")
        outcome = try await ready(for: head, "missing path")
        #expect(outcome.status == "False" && outcome.reason == "ArtifactFailed", "\(outcome)")
        #expect(outcome.message == "kustomization path not found: ./overlays/dev", "\(outcome.message)")
        #expect(try Self.kubectlNames("configmaps", kubeconfig).contains("dev-flags"))
        #expect(try Self.kubectl(["get", "deployment", "dev-web", "-o", "jsonpath={.spec.replicas}"], kubeconfig) == "3")

        // Reverting to the good tree recovers.
        try GitTestSupport.git(["checkout", good, "--", "."], in: repository.work)
        try? FileManager.default.removeItem(atPath: repository.work + "/notes.md")
        head = try repository.commit([:], message: "Revert to the good tree")
        outcome = try await ready(for: head, "revert")
        #expect(outcome.status == "True", "\(outcome)\n\(logs())")
        let ks = try await api.get(Kustomization.kind, ObjectKey(namespace: Self.ns, name: "dev"))
        let inventory = (ks[path: "status", "inventory", "entries"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
        #expect(inventory == ["\(Self.ns)_dev-flags__ConfigMap", "\(Self.ns)_dev-web__Service", "\(Self.ns)_dev-web_apps_Deployment"])
    }

    static func base(replicas: Int, configMaps: [String]) -> [String: String] {
        var files: [String: String] = [
            "base/kustomization.yaml": "resources:\n" + (configMaps.map { "- \($0).yaml\n" } + ["- web.yaml\n"]).joined(),
            "base/web.yaml": """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  replicas: \(replicas)
                  selector:
                    matchLabels: {app: web}
                  template:
                    metadata:
                      labels: {app: web}
                    spec:
                      containers:
                      - name: web
                        image: nginx:1.27
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: web
                spec:
                  selector: {app: web}
                  ports:
                  - port: 80

                """,
            "overlays/dev/kustomization.yaml": "resources:\n- ../../base\nnamePrefix: dev-\n",
        ]
        for name in configMaps {
            files["base/\(name).yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \(name)\ndata:\n  source: \(name)\n"
        }
        return files
    }

    static func kubectl(_ arguments: [String], _ kubeconfig: String) throws -> String {
        try ArtifactTestSupport.run(["kubectl", "--kubeconfig", kubeconfig, "-n", ns] + arguments)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func kubectlNames(_ resource: String, _ kubeconfig: String) throws -> [String] {
        try kubectl(["get", resource, "-o", "jsonpath={.items[*].metadata.name}"], kubeconfig)
            .split(separator: " ").map(String.init).sorted()
    }
}
