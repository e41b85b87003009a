import Foundation
import GitOpsKit
import GitOpsTestSupport
import KubeEmulator
import Testing

/// The real `source-controller` binary against a KubeEmulator and a real Helm repository (charts made by
/// `helm package`, index by `helm repo index`, basic auth): a HelmRepository and a HelmChart with values files
/// become Ready, the chart artifact downloaded from `status.artifact.url` renders with the real `helm template`,
/// a malformed index is reported while the last artifacts stay, and deletion removes the chart's artifacts.
@Suite(.serialized)
struct SourceHelmEndToEndTests {
    @Test func helmRepositoryAndChart() async throws {
        try await KubeEmulator.withRunning { endpoint in
            let directory = try TemporaryDirectory()
            let kubeconfig = directory.path + "/kubeconfig"
            try endpoint.writeKubeconfig(to: kubeconfig)
            let api = KubeClient(config: try KubeConfig.load(kubeconfigPaths: [kubeconfig]))
            try await SourceGitEndToEndTests.installSourceCRDs(api)
            let ns = "e2e-helm"
            _ = try await api.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(ns)]],
                                     options: WriteOptions())
            let repo = try HelmTestRepository.start(username: "helm", password: "s3cret")
            defer { repo.stop() }
            _ = try await api.create(["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "auth", "namespace": .string(ns)],
                                      "stringData": ["username": "helm", "password": "s3cret"]], options: WriteOptions())
            _ = try await api.create(
                ["apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "HelmRepository",
                 "metadata": ["name": "charts", "namespace": .string(ns)],
                 "spec": ["url": .string(repo.url), "interval": "1h", "secretRef": ["name": "auth"]]],
                options: WriteOptions())
            _ = try await api.create(
                ["apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "HelmChart",
                 "metadata": ["name": "demo", "namespace": .string(ns)],
                 "spec": ["chart": "demo", "version": "0.2.x", "interval": "1h",
                          "sourceRef": ["kind": "HelmRepository", "name": "charts"],
                          "valuesFiles": ["values.yaml", "values-prod.yaml"]]],
                options: WriteOptions())

            let storagePort = try freePort()
            let arguments = ["--kubeconfig", kubeconfig, "--metrics-addr", "0", "--health-addr", "127.0.0.1:\(try freePort())",
                             "--storage-path", directory.path + "/storage", "--storage-addr", "127.0.0.1:\(storagePort)",
                             "--storage-adv-addr", "127.0.0.1:\(storagePort)",
                             "--min-retry-delay", "200ms", "--max-retry-delay", "2s"]
            let controller = try ControllerProcessRunner(binary: try executable("source-controller"), arguments: arguments,
                                                         directory: directory)
            defer { controller.kill() }

            let chart = try await Self.wait(api, HelmChart.self, ns, "demo", controller) { $0.conditions.isTrue(.ready) }
            let artifact = try #require(chart.artifact)
            #expect(artifact.revision == "0.2.0+1")
            #expect(artifact.url == "http://127.0.0.1:\(storagePort)/helmchart/\(ns)/demo/demo-0.2.0+1.tgz")
            #expect(chart.conditions[.ready]?.reason == "ChartPackageSucceeded")
            let file = directory.path + "/demo.tgz"
            try await ArtifactFetcher(client: HTTPClient(), temporaryDirectory: directory.path)
                .download(url: artifact.url, digest: try #require(artifact.digest), to: file)
            let rendered = try HelmFixtures.helm(["template", "release", file], home: directory.path)
            #expect(rendered.contains("name: release-config"))
            #expect(rendered.contains("greeting: \"prod\""))
            #expect(rendered.contains("size: \"large\""))
            #expect(rendered.contains("color: \"red\""))

            // A malformed index: the repository reports it, both artifacts stay.
            let repository = try await Self.wait(api, HelmRepository.self, ns, "charts", controller) { $0.conditions.isTrue(.ready) }
            try repo.writeIndex("apiVersion: v1\nentries: [broken\n")
            var object = try await api.get(HelmRepository.kind, ObjectKey(namespace: ns, name: "charts"))
            object[path: "metadata", "annotations", FluxAnnotation.reconcileRequestedAt] = "now"
            _ = try await api.update(object, options: WriteOptions())
            let failed = try await Self.wait(api, HelmRepository.self, ns, "charts", controller) {
                $0.conditions[.ready]?.reason.rawValue == "IndexationFailed"
            }
            #expect(failed.artifact == repository.artifact)
            #expect(failed.lastHandledReconcileAt == "now")
            let stillReady = try HelmChart(from: try await api.get(HelmChart.kind, ObjectKey(namespace: ns, name: "demo")))
            #expect(stillReady.artifact == artifact)
            let served = try await HTTPClient().execute(HTTPClientRequest(url: artifact.url))
            #expect(served.status == 200)

            // Deletion removes the chart's artifacts and releases the finalizer.
            _ = try await api.delete(HelmChart.kind, ObjectKey(namespace: ns, name: "demo"), options: DeleteOptions())
            let gone = try await eventually(timeout: .seconds(20)) {
                try await api.getIfPresent(HelmChart.kind, ObjectKey(namespace: ns, name: "demo")) == nil
            }
            #expect(gone, "HelmChart not deleted; log: \(controller.log().suffix(3000))")
            #expect(!FileManager.default.fileExists(atPath: directory.path + "/storage/helmchart/\(ns)/demo"))
        }
    }

    /// Polls a source until `condition` holds; records the status and the controller log when it never does.
    static func wait<Object: FluxSource>(_ api: KubeClient, _ type: Object.Type, _ ns: String, _ name: String,
                                         _ controller: ControllerProcessRunner, timeout: Duration = .seconds(30),
                                         _ condition: @escaping (Object) -> Bool) async throws -> Object
    {
        var last: Object?
        let reached = try await eventually(timeout: timeout) {
            guard let object = try? await api.get(Object.kind, ObjectKey(namespace: ns, name: name)) else { return false }
            let decoded = try Object(from: object)
            last = decoded
            return condition(decoded)
        }
        guard reached, let last else {
            let status = last.map { "\($0.toJSON()["status"] ?? .null)" } ?? "-"
            let log = String(controller.log().suffix(4000))
            Issue.record("\(Object.kind.kind) \(name) never got there; status \(status); log: \(log)")
            throw EndToEndError("timeout")
        }
        return last
    }
}
