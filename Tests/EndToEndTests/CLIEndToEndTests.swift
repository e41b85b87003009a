import Foundation
import GitOpsKit
import GitOpsTestSupport
import KubeEmulator
import Testing

/// The `gok` binary end to end against a kube-emulator with source- and kustomize-controller running: create →
/// get → reconcile → build/diff (a drift, exit 1) → suspend/resume → tree → trace → events → uninstall; and the
/// manifests `gok create … --export` prints are accepted by the API server's schema (`kubectl apply --dry-run=server`).
@Suite(.serialized)
struct CLIEndToEndTests {
    /// One `gok` run: exit status, stdout, stderr.
    struct Run: CustomStringConvertible {
        var status: Int32
        var output: String
        var errors: String
        var description: String { "exit \(status)\nstdout:\n\(output)\nstderr:\n\(errors)" }
    }

    static func gok(_ arguments: [String], kubeconfig: String, input: String? = nil) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try executable("gok"))
        process.arguments = arguments + ["--kubeconfig", kubeconfig]
        let (stdout, stderr, stdin) = (Pipe(), Pipe(), Pipe())
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let errors = ArtifactTestSupport.ErrorCollector(stderr.fileHandleForReading)
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self), errors: errors.text())
    }

    @Test func createGetReconcileDiffSuspendTreeTraceUninstall() async throws {
        let fixture = try await KustomizeEndToEndFixture.start()
        defer { fixture.stop() }
        try await SourceGitEndToEndTests.installCRDs(fixture.api)
        let ns = "gok-e2e"
        try await fixture.createNamespaces([ns])
        let kubeconfig = fixture.kubeconfig
        func gok(_ arguments: String...) throws -> Run { try Self.gok(arguments + ["-n", ns], kubeconfig: kubeconfig) }

        // install (as `kubectl apply -k config/default` would, rendered in-process) and check.
        var run = try Self.gok(["check", "--pre"], kubeconfig: kubeconfig)
        #expect(run.status == 0 && run.errors.contains("✔ Kubernetes"), "\(run)")
        run = try Self.gok(["install", "--export"], kubeconfig: kubeconfig)
        let kubectlBuild = try ArtifactTestSupport.run(["kubectl", "kustomize", SourceGitEndToEndTests.packageRoot.appendingPathComponent("config/default").path])
        func identities(_ yaml: String) throws -> Set<String> {
            Set(try YAML.decodeAll(yaml).map { "\($0["kind"]?.stringValue ?? "")/\($0[path: "metadata", "namespace"]?.stringValue ?? "")/\($0[path: "metadata", "name"]?.stringValue ?? "")" })
        }
        let (rendered, expected) = (try identities(run.output), try identities(kubectlBuild))
        #expect(run.status == 0 && rendered == expected && expected.count > 30, "\(run.errors)")
        run = try Self.gok(["install", "--timeout", "30s"], kubeconfig: kubeconfig)
        #expect(run.status == 0 && run.errors.contains("✔ install finished"), "\(run)")
        run = try Self.gok(["check"], kubeconfig: kubeconfig)
        #expect(run.status == 0 && run.errors.contains("source-controller: deployment ready")
            && run.errors.contains("kustomizations.kustomize.toolkit.fluxcd.io/v1") && run.errors.contains("all checks passed"), "\(run)")

        let repository = try fixture.repository("cli")
        var head = try repository.commit([
            "app/settings.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: blue\n",
            "app/kustomization.yaml": "resources:\n- settings.yaml\n",
        ], message: "First")

        // create: applied, then waited for (the controllers are running).
        let url = "http://127.0.0.1:\(fixture.server.port)/cli/remote.git"
        run = try gok("create", "source", "git", "cli", "--url", url, "--branch", "main", "--interval", "1h")
        #expect(run.status == 0 && run.errors.contains("✔ revision: main@sha1:\(head)"), "\(run)")
        run = try gok("create", "kustomization", "cli", "--source", "GitRepository/cli", "--path", "./app", "--prune", "true",
                      "--interval", "1h", "--target-namespace", ns)
        #expect(run.status == 0 && run.errors.contains("main@sha1:\(head)"), "\(run)\n\(fixture.logs())")

        // get: tables, -A, -o yaml.
        run = try gok("get", "kustomizations")
        #expect(run.status == 0, "\(run)")
        let row = run.output.split(separator: "\n").first { $0.hasPrefix("cli ") }.map(String.init) ?? ""
        #expect(run.output.hasPrefix("NAME") && row.contains("main@sha1:\(head)") && row.contains("False") && row.contains("True"), "\(run)")
        run = try gok("get", "all")
        #expect(run.output.contains("gitrepository/cli") && run.output.contains("kustomization/cli"), "\(run)")
        run = try Self.gok(["get", "sources", "git", "-A"], kubeconfig: kubeconfig)
        #expect(run.output.contains("NAMESPACE") && run.output.contains(ns), "\(run)")
        run = try gok("get", "sources", "git", "cli", "-o", "yaml")
        let listed = try YAML.decodeAll(run.output)
        #expect(listed.first?[path: "status", "artifact", "revision"] == .string("main@sha1:\(head)"), "\(run)")
        run = try gok("get", "helmreleases")
        #expect(run.status == 0 && run.errors.contains("no HelmRelease objects found"), "\(run)")

        // reconcile --with-source: the new commit is fetched and applied at once (intervals are 1h).
        head = try repository.commit(["app/settings.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: green\n"],
                                     message: "Green")
        run = try gok("reconcile", "kustomization", "cli", "--with-source")
        #expect(run.status == 0 && run.errors.contains("fetched revision main@sha1:\(head)")
            && run.errors.contains("applied revision main@sha1:\(head)"), "\(run)")
        #expect(try fixture.kubectl(["get", "configmap", "settings", "-o", "jsonpath={.data.mode}"], namespace: ns) == "green")

        // build and diff against the local checkout: no change, then a hand-made drift (exit 1).
        run = try gok("build", "kustomization", "cli", "--path", repository.work + "/app")
        #expect(run.status == 0 && run.output.contains("kustomize.toolkit.fluxcd.io/name: cli")
            && run.output.contains("namespace: \(ns)") && run.output.contains("mode: green"), "\(run)")
        run = try gok("diff", "kustomization", "cli", "--path", repository.work + "/app")
        #expect(run.status == 0 && run.errors.contains("no changes"), "\(run)")
        _ = try fixture.kubectl(["patch", "configmap", "settings", "--type", "merge", "-p", #"{"data":{"mode":"red"}}"#], namespace: ns)
        run = try gok("diff", "kustomization", "cli", "--path", repository.work + "/app")
        #expect(run.status == 1 && run.output.contains("ConfigMap/\(ns)/settings drifted") && run.output.contains("data.mode")
            && run.output.contains("- red") && run.output.contains("+ green"), "\(run)")

        // suspend: no reconcile (a `get --watch` sees it); resume: reconciled at once, the drift corrected.
        let watcher = try ControllerProcessRunner(
            binary: try executable("gok"), arguments: ["get", "ks", "cli", "--watch", "-n", ns, "--kubeconfig", kubeconfig],
            directory: fixture.directory)
        defer { watcher.kill() }
        #expect(try await eventually(timeout: .seconds(10)) { watcher.log().contains("main@sha1:\(head)") }, "\(watcher.log())")
        run = try gok("suspend", "kustomization", "cli")
        #expect(run.status == 0, "\(run)")
        let watched = try await eventually(timeout: .seconds(10)) {
            watcher.log().split(separator: "\n").contains { $0.hasPrefix("cli ") && $0.contains("   True   ") }
        }
        #expect(watched, "get --watch printed no suspended row: \(watcher.log())")
        #expect(try gok("get", "ks", "cli").output.contains("True "), "suspended column")
        run = try gok("reconcile", "ks", "cli")
        #expect(run.status == 1 && run.errors.contains("suspended"), "\(run)")
        run = try gok("resume", "kustomization", "cli")
        #expect(run.status == 0 && run.errors.contains("applied revision main@sha1:\(head)"), "\(run)")
        #expect(try fixture.kubectl(["get", "configmap", "settings", "-o", "jsonpath={.data.mode}"], namespace: ns) == "green")

        // tree, trace, events.
        run = try gok("tree", "kustomization", "cli")
        #expect(run.status == 0 && run.output.hasPrefix("Kustomization/\(ns)/cli") && run.output.contains("└── ConfigMap/\(ns)/settings"), "\(run)")
        run = try gok("trace", "configmap/settings")
        #expect(run.status == 0 && run.output.contains("Kustomization:") && run.output.contains("GitRepository:")
            && run.output.contains("main@sha1:\(head)") && run.output.contains(url), "\(run)")
        run = try gok("trace", "configmap/kube-root-ca.crt")
        #expect(run.status != 0 || run.errors.contains("not managed by Flux"), "\(run)")
        run = try gok("events", "--for", "Kustomization/cli")
        #expect(run.status == 0 && run.output.contains("REASON") && run.output.contains("Kustomization/cli"), "\(run)")

        // Bad input: a helpful error, exit 1.
        run = try gok("reconcile", "kustomization", "missing")
        #expect(run.status == 1 && run.errors.contains("✗"), "\(run)")
        run = try gok("create", "source", "git", "Bad_Name", "--url", url, "--export")
        #expect(run.status == 1 && run.errors.contains("invalid name"), "\(run)")

        // uninstall: Flux objects, controllers and CRDs go, what they applied stays.
        run = try Self.gok(["uninstall", "--silent"], kubeconfig: kubeconfig)
        #expect(run.status == 0 && run.errors.contains("Deployment/source-controller deleted"), "\(run)")
        #expect(try fixture.kubectl(["get", "deployments", "-o", "name"], namespace: "flux-system").isEmpty)
        #expect(try fixture.kubectl(["get", "configmap", "settings", "-o", "jsonpath={.data.mode}"], namespace: ns) == "green")
        let crds = try ArtifactTestSupport.run(["kubectl", "--kubeconfig", kubeconfig, "get", "crds", "-o", "name"])
        #expect(!crds.contains("toolkit.fluxcd.io"), "\(crds)")
    }

    /// `gok create … --export` prints what `kubectl apply --dry-run=server` accepts against the CRD schemas, and
    /// the repository's example Flux manifests are accepted unchanged.
    @Test func exportedAndExampleManifestsAreAccepted() async throws {
        try await KubeEmulator.withRunning { endpoint in
            let directory = try TemporaryDirectory()
            let kubeconfig = directory.path + "/kubeconfig"
            try endpoint.writeKubeconfig(to: kubeconfig)
            let api = KubeClient(config: try KubeConfig.load(kubeconfigPaths: [kubeconfig]))
            try await SourceGitEndToEndTests.installCRDs(api)
            _ = try await api.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "flux-system"]], options: WriteOptions())
            let values = directory.path + "/values.yaml"
            try "replicaCount: 2\nimage:\n  tag: 6.5.0\n".write(toFile: values, atomically: true, encoding: .utf8)
            let exports: [[String]] = [
                ["create", "source", "git", "podinfo", "--url", "https://github.com/stefanprodan/podinfo", "--tag-semver", ">=6.0.0"],
                ["create", "source", "helm", "bitnami", "--url", "oci://registry-1.docker.io/bitnamicharts", "--interval", "10m"],
                ["create", "kustomization", "podinfo", "--source", "podinfo", "--path", "./kustomize", "--prune", "true",
                 "--depends-on", "infra", "--health-check", "Deployment/podinfo.default", "--wait", "--retry-interval", "30s"],
                ["create", "helmrelease", "redis", "--source", "HelmRepository/bitnami", "--chart", "redis", "--chart-version", ">=17.0.0",
                 "--target-namespace", "apps", "--create-target-namespace", "--values", values],
                ["create", "alert-provider", "slack", "--type", "slack", "--channel", "#ops", "--secret-ref", "slack-url"],
                ["create", "alert", "ops", "--provider-ref", "slack", "--event-source", "Kustomization/*", "--event-severity", "error"],
                ["create", "receiver", "github", "--type", "github", "--event", "push", "--resource", "GitRepository/podinfo",
                 "--secret-ref", "webhook-token"],
                ["create", "image", "repository", "podinfo", "--image", "ghcr.io/stefanprodan/podinfo", "--interval", "5m"],
                ["create", "image", "policy", "podinfo", "--image-ref", "podinfo", "--select-semver", ">=6.0.0 <7.0.0"],
                ["create", "image", "update", "podinfo", "--git-repo-ref", "podinfo", "--checkout-branch", "main",
                 "--push-branch", "image-updates", "--author-email", "flux@example.com", "--commit-template", "{{range .Changed.Changes}}{{.NewValue}} {{end}}"],
            ]
            for arguments in exports {
                let run = try await offPool { try Self.gok(arguments + ["--export"], kubeconfig: kubeconfig) }
                #expect(run.status == 0 && run.output.hasPrefix("---\napiVersion: "), "\(arguments): \(run)")
                let applied = try await offPool {
                    try ArtifactTestSupport.run(["kubectl", "--kubeconfig", kubeconfig, "apply", "--dry-run=server", "-f", "-"], input: run.output)
                }
                #expect(applied.contains("created (server dry run)"), "\(arguments): \(applied)")
            }
            let examples = SourceGitEndToEndTests.packageRoot.appendingPathComponent("examples/flux").path
            let applied = try await offPool {
                try ArtifactTestSupport.run(["kubectl", "--kubeconfig", kubeconfig, "apply", "--dry-run=server", "-f", examples])
            }
            #expect(applied.split(separator: "\n").count >= 10 && applied.split(separator: "\n").allSatisfy { $0.contains("(server dry run)") },
                    "\(applied)")
        }
    }
}

/// Runs blocking work (a child process) off the cooperative pool, so an in-process emulator keeps serving.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}
