import Foundation
import GitOpsKit
import GitOpsTestSupport
import HelmControllerKit
import KubeEmulator
import Logging
import Testing

/// Release storage against the real helm 3.17 over one KubeEmulator: what we write, `helm list/history/get` read;
/// what `helm install/upgrade` wrote, we read.
@Suite(.serialized) struct ReleaseStorageTests {
    static let secretKind = GroupVersionKind(group: "", version: "v1", kind: "Secret")

    /// An emulator, a client, a kubeconfig file for helm, and a scratch directory.
    final class Environment: Sendable {
        let emulator: KubeEmulator
        let client: KubeClient
        let directory: String
        let kubeconfigPath: String

        init() async throws {
            emulator = KubeEmulator(configuration: KubeEmulatorConfiguration(tls: true, workloadDelay: .milliseconds(20)),
                                    logger: Logger(label: "emulator") { _ in SwiftLogNoOpLogHandler() })
            let endpoint = try await emulator.start()
            let kubeconfig = try endpoint.kubeconfig()
            client = KubeClient(config: try KubeConfig(kubeconfig: try YAML.decode(kubeconfig).jsonBytes()))
            directory = try ArtifactTestSupport.makeDirectory("release-storage")
            kubeconfigPath = directory + "/kubeconfig"
            try ArtifactTestSupport.write(kubeconfig, to: "kubeconfig", in: directory)
        }

        func helm(_ arguments: [String]) async throws -> String {
            let (home, kubeconfig) = (directory, kubeconfigPath)
            return try await offPool { try HelmFixtures.helm(arguments + ["--kubeconfig", kubeconfig], home: home) }
        }

        func namespace(_ name: String) async throws -> String {
            _ = try await client.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]],
                                        options: WriteOptions())
            return name
        }

        func stop() async {
            await emulator.shutdown()
            ArtifactTestSupport.cleanUp(directory)
        }
    }

    static func release(_ version: Int, status: ReleaseStatus, replicas: Int, namespace: String) -> StoredRelease {
        let deployed = KubeTime(secondsSinceEpoch: 1_767_000_000 + Int64(version) * 60, nanoseconds: 123_000_000)
        let chart = StoredRelease.chartRecord(
            metadata: ["apiVersion": "v2", "name": "demo", "version": .string("1.2.\(version)"), "appVersion": "9.9"],
            templates: [(path: "templates/cm.yaml", data: Array("kind: ConfigMap".utf8))],
            values: ["replicas": 1], schema: nil, files: [])
        return StoredRelease(
            name: "web", namespace: namespace, version: version,
            info: .init(firstDeployed: KubeTime(secondsSinceEpoch: 1_767_000_060), lastDeployed: deployed,
                        description: version == 1 ? "Install complete" : "Upgrade complete", status: status,
                        notes: "thanks"),
            chart: chart, config: ["replicas": .int(Int64(replicas)), "nested": ["a": "b"]],
            manifest: "---\n# Source: demo/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n",
            hooks: [.init(name: "web-test", kind: "Pod", path: "demo/templates/tests/t.yaml",
                          manifest: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-test\n", events: ["test"],
                          weight: -5, deletePolicies: ["before-hook-creation"])],
            labels: ["team": "platform"])
    }

    @Test func helmReadsWhatWeWriteAndWeReadWhatHelmWrites() async throws {
        let env = try await Environment()
        defer { Task { await env.stop() } }
        let ns = try await env.namespace("storage")
        let storage = ReleaseStorage(api: env.client, namespace: ns)

        // Two revisions written by us: v1 superseded, v2 deployed.
        try await storage.create(Self.release(1, status: .deployed, replicas: 1, namespace: ns))
        var first = Self.release(1, status: .superseded, replicas: 1, namespace: ns)
        first.info.description = "Install complete"
        try await storage.create(Self.release(2, status: .deployed, replicas: 3, namespace: ns))
        try await storage.update(first)

        let list = try await env.helm(["list", "-n", ns, "-o", "json"])
        let rows = try JSONValue(json: list).arrayValue ?? []
        #expect(rows.count == 1)
        #expect(rows.first?["name"]?.stringValue == "web")
        #expect(rows.first?["revision"]?.stringValue == "2")
        #expect(rows.first?["status"]?.stringValue == "deployed")
        #expect(rows.first?["chart"]?.stringValue == "demo-1.2.2")
        #expect(rows.first?["app_version"]?.stringValue == "9.9")

        let history = try JSONValue(json: try await env.helm(["history", "web", "-n", ns, "-o", "json"])).arrayValue ?? []
        #expect(history.map { $0["status"]?.stringValue } == ["superseded", "deployed"])
        #expect(history.map { $0["description"]?.stringValue } == ["Install complete", "Upgrade complete"])

        let values = try JSONValue(json: try await env.helm(["get", "values", "web", "-n", ns, "-o", "json"]))
        #expect(values == ["nested": ["a": "b"], "replicas": 3])
        let manifest = try await env.helm(["get", "manifest", "web", "-n", ns])
        #expect(manifest.contains("# Source: demo/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap"))
        let hooks = try await env.helm(["get", "hooks", "web", "-n", ns])
        #expect(hooks.contains("name: web-test"))
        #expect(try await env.helm(["get", "notes", "web", "-n", ns]).contains("thanks"))

        // The Secret carries Helm's labels and type; our own label survives a read.
        let secret = try await env.client.get(Self.secretKind, ObjectKey(namespace: ns, name: "sh.helm.release.v1.web.v2"))
        #expect(secret["type"]?.stringValue == "helm.sh/release.v1")
        #expect(secret[path: "metadata", "labels", "owner"]?.stringValue == "helm")
        #expect(secret[path: "metadata", "labels", "status"]?.stringValue == "deployed")
        #expect(secret[path: "metadata", "labels", "version"]?.stringValue == "2")
        #expect(secret[path: "metadata", "labels", "createdAt"] != nil)
        let read = try await storage.history("web")
        #expect(read.map(\.version) == [1, 2])
        #expect(read.last == Self.release(2, status: .deployed, replicas: 3, namespace: ns))

        // A release installed and upgraded by the real helm is read back with its history, values and manifest.
        let chartRoot = env.directory + "/charts"
        try HelmFixtures.writeChart(in: chartRoot, at: "app")
        _ = try await env.helm(["install", "native", chartRoot + "/app", "-n", ns, "--set", "extra=1"])
        _ = try await env.helm(["upgrade", "native", chartRoot + "/app", "-n", ns, "--set", "extra=2"])
        let native = try await storage.history("native")
        #expect(native.map(\.info.status) == [.superseded, .deployed])
        #expect(native.last?.config == ["extra": 2])
        #expect(native.last?.chartName == "demo")
        #expect(native.last?.manifest.contains("kind: ConfigMap") == true)
        #expect(native.last?.info.firstDeployed != nil)

        // A revision we rewrite (status change) is still what helm reads, byte-compatible with its own records.
        if var last = native.last {
            last.info.status = .failed
            last.info.description = "Upgrade \"native\" failed: test"
            try await storage.update(last)
        }
        let nativeHistory = try JSONValue(json: try await env.helm(["history", "native", "-n", ns, "-o", "json"])).arrayValue ?? []
        #expect(nativeHistory.last?["status"]?.stringValue == "failed")

        // maxHistory keeps the newest revisions but never the last deployed one.
        for version in 3...5 { try await storage.create(Self.release(version, status: .failed, replicas: 1, namespace: ns)) }
        try await storage.prune("web", maxHistory: 2)
        #expect(try await storage.history("web").map(\.version) == [2, 5])
    }

    @Test func corruptSecretsAreNamedNotCrashed() async throws {
        let env = try await Environment()
        defer { Task { await env.stop() } }
        let ns = try await env.namespace("corrupt")
        let storage = ReleaseStorage(api: env.client, namespace: ns)
        for (index, payload) in ["not base64 !!", Data("H4sIAAAA".utf8).base64EncodedString(),
                                 Data(Data("{\"info\":{}}".utf8).base64EncodedString().utf8).base64EncodedString()].enumerated() {
            let name = "bad\(index)"
            _ = try await env.client.create([
                "apiVersion": "v1", "kind": "Secret", "type": "helm.sh/release.v1",
                "metadata": ["name": .string("sh.helm.release.v1.\(name).v1"), "namespace": .string(ns),
                             "labels": ["owner": "helm", "name": .string(name), "version": "1", "status": "deployed"]],
                "data": ["release": .string(Data(payload.utf8).base64EncodedString())],
            ], options: WriteOptions())
            await #expect(throws: ReleaseStorageError.self) { try await storage.history(name) }
            do {
                _ = try await storage.history(name)
            } catch {
                #expect(error.description.contains("sh.helm.release.v1.\(name).v1"))
            }
        }
        #expect(try await storage.history("absent").isEmpty)
        #expect(try await storage.get("absent", version: 1) == nil)
        try await storage.delete("absent", version: 1)
    }

    @Test func codecRoundTripsAndRefusesBombs() throws {
        let release = Self.release(7, status: .pendingUpgrade, replicas: 2, namespace: "x")
        let encoded = try ReleaseCodec.encode(release)
        #expect(try ReleaseCodec.decode(encoded, labels: ["team": "platform"]) == release)
        #expect(release.info.status.isPending)
        // Plain JSON (not gzipped) is read as Helm reads it.
        let plain = Data(release.json.jsonBytes()).base64EncodedString()
        #expect(try ReleaseCodec.decode(plain, labels: ["team": "platform"]) == release)
        // 100 MiB of zeros compress to ~100 KiB; decoding must stop at the limit, not allocate it all.
        let bomb = try Gzip.compress([UInt8](repeating: 0x20, count: ReleaseCodec.maximumDecodedSize + 1), level: 9)
        #expect(throws: ReleaseStorageError.self) { try ReleaseCodec.decode(Data(bomb).base64EncodedString()) }
    }
}
