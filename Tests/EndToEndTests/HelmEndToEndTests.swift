import Foundation
import GitOpsKit
import GitOpsTestSupport
import KubeEmulator
import Testing

/// The real `source-controller` and `helm-controller` binaries against a KubeEmulator and a real Helm repository
/// (charts made by `helm package`), with the real `helm` reading the release storage: install from the repository,
/// an upgrade on new values and one on a chart version bump, `maxHistory` pruning, and a helm-controller killed in
/// the middle of an upgrade whose successor unlocks the `pending-upgrade` release and converges.
@Suite(.serialized)
struct HelmEndToEndTests {
    static let ns = "e2e-hr"

    @Test func installUpgradeAndRestartMidUpgrade() async throws {
        try await KubeEmulator.withRunning(KubeEmulatorConfiguration(workloadDelay: .milliseconds(50))) { endpoint in
            let directory = try TemporaryDirectory()
            let kubeconfig = directory.path + "/kubeconfig"
            try endpoint.writeKubeconfig(to: kubeconfig)
            let api = KubeClient(config: try KubeConfig.load(kubeconfigPaths: [kubeconfig]))
            try await SourceGitEndToEndTests.installCRDs(api, group: "source.toolkit.fluxcd.io")
            try await SourceGitEndToEndTests.installCRDs(api, group: "helm.toolkit.fluxcd.io")
            _ = try await api.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(Self.ns)]],
                                     options: WriteOptions())
            let repo = try HelmTestRepository.start()
            defer { repo.stop() }
            try Self.addWebChart(to: repo)
            _ = try await api.create(
                ["apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "HelmRepository",
                 "metadata": ["name": "charts", "namespace": .string(Self.ns)],
                 "spec": ["url": .string(repo.url), "interval": "1h"]], options: WriteOptions())

            let storagePort = try freePort()
            let source = try ControllerProcessRunner(
                binary: try executable("source-controller"),
                arguments: ["--kubeconfig", kubeconfig, "--metrics-addr", "0", "--health-addr", "127.0.0.1:\(try freePort())",
                            "--storage-path", directory.path + "/storage", "--storage-addr", "127.0.0.1:\(storagePort)",
                            "--storage-adv-addr", "127.0.0.1:\(storagePort)", "--min-retry-delay", "200ms",
                            "--max-retry-delay", "2s"],
                directory: directory)
            defer { source.kill() }
            func startHelmController() throws -> ControllerProcessRunner {
                try ControllerProcessRunner(
                    binary: try executable("helm-controller"),
                    arguments: ["--kubeconfig", kubeconfig, "--metrics-addr", "0", "--health-addr", "127.0.0.1:\(try freePort())",
                                "--requeue-dependency", "1s", "--min-retry-delay", "200ms", "--max-retry-delay", "2s"],
                    directory: directory)
            }
            var controller = try startHelmController()
            defer { controller.kill() }
            let helm = HelmCLI(kubeconfig: kubeconfig, home: directory.path)

            // Install from the repository through a generated HelmChart.
            _ = try await api.create(
                ["apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease",
                 "metadata": ["name": "demo", "namespace": .string(Self.ns)],
                 "spec": ["interval": "1h", "maxHistory": 2, "values": ["greeting": "e2e"],
                          "chart": ["spec": ["chart": "demo", "version": "0.2.x",
                                             "sourceRef": ["kind": "HelmRepository", "name": "charts"]]]]],
                options: WriteOptions())
            var release = try await Self.wait(api, "demo", controller) { $0.isReady && $0.status?.history?.first?.version == 1 }
            #expect(release.status?.helmChart == "\(Self.ns)/\(Self.ns)-demo")
            let list = try await helm.json(["list"]).arrayValue ?? []
            #expect(list.first?["chart"]?.stringValue == "demo-0.2.0")
            #expect(list.first?["status"]?.stringValue == "deployed")
            #expect(try await helm.json(["get", "values", "demo"]) == ["greeting": "e2e"])
            let config = try await api.get(GroupVersionKind(group: "", version: "v1", kind: "ConfigMap"),
                                           ObjectKey(namespace: Self.ns, name: "demo-config"))
            #expect(config[path: "data", "greeting"] == "e2e")

            // New values: revision 2; a chart version bump: revision 3, and maxHistory keeps two Secrets.
            try await Self.modify(api, "demo") { $0[path: "spec", "values", "greeting"] = "second" }
            release = try await Self.wait(api, "demo", controller) { $0.isReady && $0.status?.history?.first?.version == 2 }
            try await Self.modify(api, "demo") { $0[path: "spec", "chart", "spec", "version"] = "1.0.x" }
            release = try await Self.wait(api, "demo", controller) { $0.isReady && $0.status?.history?.first?.version == 3 }
            #expect(release.status?.history?.first?.chartVersion == "1.0.0")
            let history = try await helm.json(["history", "demo"]).arrayValue ?? []
            #expect(history.map { $0["revision"]?.intValue } == [2, 3])
            #expect(history.last?["chart"]?.stringValue == "demo-1.0.0")

            // Kill helm-controller while an upgrade waits for a Deployment that cannot roll out (paused).
            _ = try await api.create(
                ["apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease",
                 "metadata": ["name": "web", "namespace": .string(Self.ns)],
                 "spec": ["interval": "1h", "timeout": "5m",
                          "chart": ["spec": ["chart": "web", "sourceRef": ["kind": "HelmRepository", "name": "charts"]]]]],
                options: WriteOptions())
            _ = try await Self.wait(api, "web", controller) { $0.isReady }
            try await Self.modify(api, "web") { $0[path: "spec", "values"] = ["paused": true] }
            let pending = try await eventually(timeout: .seconds(30)) {
                (try await helm.json(["history", "web"]).arrayValue ?? []).last?["status"]?.stringValue == "pending-upgrade"
            }
            #expect(pending, "no pending-upgrade; log: \(controller.log().suffix(3000))")
            controller.kill()
            _ = try await controller.waitForExit(timeout: .seconds(10))
            try await Self.modify(api, "web") { $0[path: "spec", "values"] = ["color": "fixed"] }
            controller = try startHelmController()
            release = try await Self.wait(api, "web", controller) {
                $0.isReady && $0.status?.lastAttemptedConfigDigest == $0.status?.history?.first?.configDigest
            }
            let webHistory = try await helm.json(["history", "web"]).arrayValue ?? []
            #expect(webHistory.map { $0["status"]?.stringValue } == ["superseded", "failed", "deployed"], "\(webHistory)")
            #expect(webHistory[1]["description"]?.stringValue == "Release unlocked from stale 'pending-upgrade' state")
            let web = try await api.get(GroupVersionKind(group: "", version: "v1", kind: "ConfigMap"),
                                        ObjectKey(namespace: Self.ns, name: "web-config"))
            #expect(web[path: "data", "color"] == "fixed")
            #expect(controller.log().contains("Unlocked") || release.status?.history?.contains { $0.status == "failed" } == true)

            // Deleting the HelmRelease uninstalls: the real helm finds nothing.
            _ = try await api.delete(HelmRelease.kind, ObjectKey(namespace: Self.ns, name: "web"), options: DeleteOptions())
            let uninstalled = try await eventually(timeout: .seconds(30)) {
                try await api.getIfPresent(HelmRelease.kind, ObjectKey(namespace: Self.ns, name: "web")) == nil
            }
            #expect(uninstalled, "HelmRelease not deleted; log: \(controller.log().suffix(3000))")
            #expect(try await helm.json(["list", "--all"]).arrayValue?.map { $0["name"]?.stringValue } == ["demo"])
        }
    }

    // MARK: Helpers

    /// Adds chart `web` 1.0.0 (a ConfigMap and a Deployment that `paused` keeps from rolling out) to the
    /// repository and indexes it again.
    static func addWebChart(to repo: HelmTestRepository) throws {
        let source = repo.root + "/src/web"
        try HelmFixtures.write(HelmFixtures.chartYAML(name: "web", version: "1.0.0"), to: "Chart.yaml", in: source)
        try HelmFixtures.write("color: blue\n", to: "values.yaml", in: source)
        try HelmFixtures.write("""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: {{ .Release.Name }}-config
            data:
              color: {{ .Values.color | quote }}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: {{ .Release.Name }}
            spec:
              paused: {{ .Values.paused | default false }}
              replicas: 1
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                  - name: web
                    image: nginx:1.27
            """, to: "templates/all.yaml", in: source)
        try HelmFixtures.helm(["package", source, "-d", repo.chartsDirectory], home: repo.root)
        try HelmFixtures.helm(["repo", "index", repo.chartsDirectory], home: repo.root)
    }

    static func modify(_ api: KubeClient, _ name: String, _ change: (inout JSONValue) -> Void) async throws {
        for attempt in 0..<5 {
            var object = try await api.get(HelmRelease.kind, ObjectKey(namespace: ns, name: name))
            change(&object)
            let result: Result<JSONValue, KubeError>
            do {
                result = .success(try await api.update(object, options: WriteOptions()))
            } catch {
                result = .failure(error)
            }
            if case .failure(let error) = result, error.code == .conflict, attempt < 4 { continue }
            _ = try result.get()
            return
        }
    }

    static func wait(_ api: KubeClient, _ name: String, _ controller: ControllerProcessRunner, timeout: Duration = .seconds(60),
                     _ condition: @escaping (HelmRelease) -> Bool) async throws -> HelmRelease
    {
        var last: HelmRelease?
        let reached = try await eventually(timeout: timeout) {
            guard let object = try? await api.get(HelmRelease.kind, ObjectKey(namespace: ns, name: name)) else { return false }
            let release = try HelmRelease(from: object)
            last = release
            return condition(release) && release.isStatusCurrent
        }
        guard reached, let last else {
            let status = last.flatMap { try? JSONValue(encoding: $0.status) }?.jsonString(pretty: true) ?? "none"
            Issue.record("HelmRelease \(name) never got there; status \(status); log: \(controller.log().suffix(4000))")
            throw EndToEndError("timeout")
        }
        return last
    }
}

/// The real helm against the emulator, run on a thread of its own: the emulator serves it from this process's
/// cooperative pool, which a blocking wait must not hold.
struct HelmCLI: Sendable {
    let kubeconfig: String
    let home: String

    func json(_ arguments: [String]) async throws -> JSONValue {
        let (kubeconfig, home) = (self.kubeconfig, self.home)
        let output: String = try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result {
                    try HelmFixtures.helm(arguments + ["-n", HelmEndToEndTests.ns, "--kubeconfig", kubeconfig, "-o", "json"], home: home)
                })
            }.start()
        }
        return try JSONValue(json: output)
    }
}
