import Foundation
import GitOpsKit
import GitOpsTestSupport
import HelmControllerKit
import KubeEmulator
import Logging
import Testing

/// One KubeEmulator (the source and helm CRDs installed), a static HTTP server standing in for source-controller's
/// artifact server, and helm-controller's reconciler running in a Manager against it. Charts are packaged by the
/// real `helm package`; tests publish them as HelmChart artifacts and read releases back with the real `helm`.
final class HelmTestEnvironment: Sendable {
    static let shared = Task { () throws -> HelmTestEnvironment in try await HelmTestEnvironment.start() }
    static func get() async throws -> HelmTestEnvironment { try await shared.value }

    static let configMapKind = GroupVersionKind(group: "", version: "v1", kind: "ConfigMap")
    static let secretKind = GroupVersionKind(group: "", version: "v1", kind: "Secret")
    static let deploymentKind = GroupVersionKind(group: "apps", version: "v1", kind: "Deployment")
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    let client: KubeClient
    let scratch: String
    let server: GitTestSupport.Server
    let kubeconfigPath: String

    private init(client: KubeClient, scratch: String, server: GitTestSupport.Server, kubeconfigPath: String) {
        self.client = client
        self.scratch = scratch
        self.server = server
        self.kubeconfigPath = kubeconfigPath
    }

    private static func start() async throws -> HelmTestEnvironment {
        var logger = Logger(label: "helm-controller-tests")
        logger.logLevel = .critical
        let emulator = KubeEmulator(configuration: KubeEmulatorConfiguration(tls: true, workloadDelay: .milliseconds(50)),
                                    logger: logger)
        let endpoint = try await emulator.start()
        let kubeconfig = try endpoint.kubeconfig()
        let client = KubeClient(config: try KubeConfig(kubeconfig: try YAML.decode(kubeconfig).jsonBytes()))
        try await client.installCRDs(from: packageRoot.appendingPathComponent("config/crd/bases").path,
                                     groups: ["source.toolkit.fluxcd.io", "helm.toolkit.fluxcd.io"])
        let scratch = try ArtifactTestSupport.makeDirectory("helm-controller-tests")
        try ArtifactTestSupport.write(kubeconfig, to: "kubeconfig", in: scratch)
        try FileManager.default.createDirectory(atPath: scratch + "/artifacts", withIntermediateDirectories: true)
        let server = try HelmTestRepository.startServer(root: scratch + "/artifacts", username: nil, password: nil)
        let manager = Manager(
            name: "helm-controller", api: client,
            configuration: ManagerConfiguration(
                retryBackoff: ExponentialBackoff(minimum: .milliseconds(200), maximum: .seconds(2)),
                jitter: Jitter(percentage: 0), concurrency: 4),
            logger: logger)
        HelmControllerSetup.register(on: manager, requeueDependency: .milliseconds(300), pollInterval: .milliseconds(100),
                                     logger: logger)
        Task { try await manager.run(handlingSignals: false) }
        return HelmTestEnvironment(client: client, scratch: scratch, server: server, kubeconfigPath: scratch + "/kubeconfig")
    }

    // MARK: Objects

    func makeNamespace(_ prefix: String) async throws -> String {
        let name = "\(prefix)-\(UUID().uuidString.prefix(6).lowercased())"
        _ = try await client.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]],
                                    options: WriteOptions())
        return name
    }

    /// Packages a chart with the real helm (templates given as files under `templates/`) and publishes it as the
    /// artifact of HelmChart `namespace/chart` (created when missing), as source-controller would.
    func publishChart(_ chart: String = "chart", namespace: String, name: String = "app", version: String,
                      values: String = "", templates: [String: String], extraFiles: [String: String] = [:]) async throws
    {
        let source = scratch + "/src/\(namespace)-\(chart)-\(version)"
        try? FileManager.default.removeItem(atPath: source)
        try ArtifactTestSupport.write("apiVersion: v2\nname: \(name)\nversion: \(version)\nappVersion: \"\(version)\"\n",
                                      to: "Chart.yaml", in: source)
        try ArtifactTestSupport.write(values, to: "values.yaml", in: source)
        for (path, text) in templates { try ArtifactTestSupport.write(text, to: "templates/" + path, in: source) }
        for (path, text) in extraFiles { try ArtifactTestSupport.write(text, to: path, in: source) }
        let output = scratch + "/packaged/\(namespace)-\(chart)-\(version)"
        let home = scratch
        _ = try await offPool { try HelmFixtures.helm(["package", source, "-d", output], home: home) }
        let file = "\(namespace)-\(chart)-\(name)-\(version).tgz"
        let bytes = try ArtifactTestSupport.bytes(output + "/\(name)-\(version).tgz")
        try Data(bytes).write(to: URL(fileURLWithPath: scratch + "/artifacts/" + file))
        let digest = "sha256:" + Digest.sha256Hex(bytes)
        let key = ObjectKey(namespace: namespace, name: chart)
        if try await client.getIfPresent(HelmChart.kind, key) == nil {
            _ = try await client.create([
                "apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "HelmChart",
                "metadata": ["name": .string(chart), "namespace": .string(namespace)],
                "spec": ["chart": .string(name), "interval": "1h", "sourceRef": ["kind": "HelmRepository", "name": "repo"]],
            ], options: WriteOptions())
        }
        try await setChartArtifact(key, url: "http://127.0.0.1:\(server.port)/\(file)", digest: digest, revision: version)
    }

    func setChartArtifact(_ key: ObjectKey, url: String, digest: String, revision: String) async throws {
        let status: JSONValue = ["status": ["artifact": [
            "path": "helmchart/x.tgz", "url": .string(url), "revision": .string(revision), "digest": .string(digest),
            "lastUpdateTime": .string(KubeTime.now().description),
        ]]]
        _ = try await client.patch(HelmChart.kind, key, patch: status, type: .merge, subresource: "status",
                                   options: WriteOptions())
    }

    @discardableResult
    func createRelease(_ name: String, namespace: String, spec: JSONValue) async throws -> JSONValue {
        try await client.create([
            "apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease",
            "metadata": ["name": .string(name), "namespace": .string(namespace)], "spec": spec,
        ], options: WriteOptions())
    }

    func release(_ name: String, namespace: String) async throws -> HelmRelease {
        try HelmRelease(from: try await client.get(HelmRelease.kind, ObjectKey(namespace: namespace, name: name)))
    }

    func modify(_ name: String, namespace: String, _ change: (inout JSONValue) -> Void) async throws {
        for _ in 0..<5 {
            var object = try await client.get(HelmRelease.kind, ObjectKey(namespace: namespace, name: name))
            change(&object)
            // A `Result` rather than `catch where` on a typed throw: the latter crashes the 6.3 compiler.
            let result: Result<JSONValue, KubeError>
            do {
                result = .success(try await client.update(object, options: WriteOptions()))
            } catch {
                result = .failure(error)
            }
            if case .failure(let error) = result {
                if error.code == .conflict { continue }
                throw error
            }
            return
        }
    }

    /// Waits until `condition` holds for the HelmRelease; the failure names `what` and shows the last status.
    @discardableResult
    func waitFor(_ name: String, namespace: String, timeout: Duration = .seconds(30), _ what: String,
                 sourceLocation: SourceLocation = #_sourceLocation, _ condition: (HelmRelease) -> Bool) async throws
        -> HelmRelease
    {
        let deadline = ContinuousClock.now + timeout
        var last: HelmRelease?
        while ContinuousClock.now < deadline {
            if let object = try await client.getIfPresent(HelmRelease.kind, ObjectKey(namespace: namespace, name: name)) {
                let release = try HelmRelease(from: object)
                last = release
                if condition(release) { return release }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let status = last.flatMap { try? JSONValue(encoding: $0.status) }?.jsonString(pretty: true) ?? "none"
        Issue.record("timed out waiting for \(what); last status: \(status)", sourceLocation: sourceLocation)
        throw CancellationError()
    }

    func get(_ kind: GroupVersionKind, _ name: String, namespace: String?) async throws -> JSONValue? {
        try await client.getIfPresent(kind, ObjectKey(namespace: namespace, name: name))
    }

    /// The real helm against the emulator, `-n namespace`, on a thread of its own: the emulator serves it from the
    /// cooperative pool of this very process, which a blocking wait must not hold.
    func helm(_ arguments: [String], namespace: String) async throws -> String {
        let (home, kubeconfig) = (scratch, kubeconfigPath)
        return try await offPool { try HelmFixtures.helm(arguments + ["-n", namespace, "--kubeconfig", kubeconfig], home: home) }
    }

    func helmJSON(_ arguments: [String], namespace: String) async throws -> JSONValue {
        try JSONValue(json: try await helm(arguments + ["-o", "json"], namespace: namespace))
    }

    func cleanUp(namespace: String) async {
        _ = try? await client.delete(GroupVersionKind(group: "", version: "v1", kind: "Namespace"),
                                     ObjectKey(namespace: nil, name: namespace), options: DeleteOptions())
    }
}

extension HelmRelease {
    var readyCondition: Condition? { conditions[.ready] }
    var isReadyNow: Bool { readyCondition?.status == .true && isStatusCurrent }
}

/// A small chart: a ConfigMap from values and a Deployment, so upgrades, drift and health have something to act on.
enum ChartTemplates {
    static let configMap = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {{ .Release.Name }}-config
        data:
          greeting: {{ .Values.greeting | default "hello" | quote }}
          color: {{ .Values.color | default "blue" | quote }}
          revision: {{ .Release.Revision | quote }}
          upgrade: {{ .Release.IsUpgrade | quote }}
        """
    static let deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{ .Release.Name }}-web
          {{- if .Values.failRollout }}
          annotations:
            emulator.gitopskit.io/fail: "true"
          {{- end }}
        spec:
          replicas: {{ if .Values.failRollout }}2{{ else }}{{ .Values.replicas | default 1 }}{{ end }}
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: web
                image: nginx:{{ .Chart.AppVersion }}
        """
    static let standard = ["configmap.yaml": configMap, "deployment.yaml": deployment]
}

/// Runs blocking work (a child process) on a new thread and awaits it.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
