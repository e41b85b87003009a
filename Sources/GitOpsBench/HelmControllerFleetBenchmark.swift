import ArgumentParser
import Foundation
import GitOpsKit
import GitOpsTestSupport

/// `gok-bench helm-fleet`: many HelmReleases of one chart (four objects: ServiceAccount, Deployment scaled to 0,
/// Service, Ingress) from a HelmChart of a real Helm repository, reconciled by the `source-controller` and
/// `helm-controller` binaries next to this one against a `kube-emulator` process. Prints the time from creation to
/// all Ready and helm-controller's peak RSS.
struct HelmControllerFleetBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "helm-fleet",
        abstract: "1,000 HelmReleases of a 4-object chart: cold to all Ready (≤ 90 s), helm-controller peak RSS (≤ 96 MiB).")

    @Option(help: "HelmReleases to create.")
    var count = 1000

    @Option(help: "Seconds to wait for all HelmReleases to be Ready.")
    var timeout: Int64 = 900

    @Option(help: "--concurrent of helm-controller.")
    var concurrent = 4

    @Option(help: "--kube-api-qps of helm-controller (Flux's default: 50).")
    var qps = 50

    @Option(help: "Directory of the CRD manifests.")
    var crdDirectory = "config/crd/bases"

    @Option(help: "Write helm-controller's log (level info) to this file.")
    var controllerLog: String?

    func run() async throws {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let binaries = ["source-controller", "helm-controller"].map { directory.appendingPathComponent($0).path }
        for binary in binaries where !FileManager.default.isExecutableFile(atPath: binary) {
            throw BenchmarkError("\(binary) not found next to gok-bench: swift build first")
        }
        let emulator = try EmulatorProcess()
        defer { emulator.stop() }
        let client = try emulator.client()
        try await client.installCRDs(from: crdDirectory, groups: ["source.toolkit.fluxcd.io", "helm.toolkit.fluxcd.io"],
                                    fieldManager: "gok-bench")
        _ = try await client.apply(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "fleet"]], fieldManager: "gok-bench")

        // The chart, packaged and indexed by the real helm, served over HTTP.
        let root = try ArtifactTestSupport.makeDirectory("bench-helm-fleet")
        defer { ArtifactTestSupport.cleanUp(root) }
        try HelmFixtures.write(HelmFixtures.chartYAML(name: "app", version: "1.0.0"), to: "src/app/Chart.yaml", in: root)
        try HelmFixtures.write("image: nginx:1.27\n", to: "src/app/values.yaml", in: root)
        try HelmFixtures.write(Self.template, to: "src/app/templates/app.yaml", in: root)
        try FileManager.default.createDirectory(atPath: root + "/charts", withIntermediateDirectories: true)
        try HelmFixtures.helm(["package", root + "/src/app", "-d", root + "/charts"], home: root)
        try HelmFixtures.helm(["repo", "index", root + "/charts"], home: root)
        let repository = try HelmTestRepository.startServer(root: root + "/charts", username: nil, password: nil)
        defer { repository.stop() }

        let storagePort = try KustomizeControllerFleetBenchmark.freePort()
        let sourceController = try KustomizeControllerFleetBenchmark.start(
            binaries[0], ["--kubeconfig", emulator.kubeconfigPath, "--metrics-addr", "0", "--health-addr", "0",
                          "--storage-path", root + "/storage", "--storage-addr", "127.0.0.1:\(storagePort)",
                          "--storage-adv-addr", "127.0.0.1:\(storagePort)", "--log-level", "error"])
        defer { KustomizeControllerFleetBenchmark.stop(sourceController) }
        _ = try await client.create(
            ["apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "HelmRepository", "metadata": ["name": "charts", "namespace": "fleet"],
             "spec": ["url": .string("http://127.0.0.1:\(repository.port)"), "interval": "1h"]], options: WriteOptions())
        _ = try await client.create(
            ["apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "HelmChart", "metadata": ["name": "app", "namespace": "fleet"],
             "spec": ["chart": "app", "version": "1.0.0", "interval": "1h",
                      "sourceRef": ["kind": "HelmRepository", "name": "charts"]]], options: WriteOptions())

        let helmController = try KustomizeControllerFleetBenchmark.start(
            binaries[1], ["--kubeconfig", emulator.kubeconfigPath, "--metrics-addr", "0", "--health-addr", "0",
                          "--concurrent", "\(concurrent)", "--kube-api-qps", "\(qps)", "--kube-api-burst", "\(qps * 6)",
                          "--requeue-dependency", "2s", "--log-level", controllerLog == nil ? "error" : "info"],
            log: controllerLog)
        defer { KustomizeControllerFleetBenchmark.stop(helmController) }
        let pid = helmController.processIdentifier

        let start = ContinuousClock.now
        _ = try await measureConcurrently(count: count, concurrency: 16) { index in
            _ = try await client.create(
                ["apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease",
                 "metadata": ["name": .string("app-\(index)"), "namespace": "fleet"],
                 "spec": ["interval": "1h", "chartRef": ["kind": "HelmChart", "name": "app"],
                          "values": ["index": .int(Int64(index))]]],
                options: WriteOptions())
        }
        var ready = 0
        while ready < count {
            guard helmController.isRunning else { throw BenchmarkError("helm-controller exited (\(helmController.terminationStatus))") }
            try await Task.sleep(for: .milliseconds(250))
            let list = try await client.listAll(HelmRelease.kind, namespace: "fleet")
            ready = list.items.filter { (try? HelmRelease(from: $0))?.isReady == true }.count
            if (ContinuousClock.now - start) > .seconds(timeout) {
                let sample = list.items.first { (try? HelmRelease(from: $0))?.isReady != true }?["status"] ?? .null
                throw BenchmarkError("only \(ready)/\(count) Ready after \(timeout) s; e.g. \(String(decoding: sample.jsonBytes(), as: UTF8.self))")
            }
        }
        let allReady = (ContinuousClock.now - start).seconds
        let peak = ProcessMemory.peakRSSMiB(pid: pid)
        let secrets = try await client.listAll(GroupVersionKind(group: "", version: "v1", kind: "Secret"), namespace: "fleet")
            .items.filter { $0[path: "type"] == "helm.sh/release.v1" }.count
        print("helm-fleet: \(count) HelmReleases of a 4-object chart, --concurrent \(concurrent), --kube-api-qps \(qps)")
        print(String(format: "  cold to all Ready: %.1f s (budget ≤ 90 s: %@)", allReady, allReady <= 90 ? "within budget" : "OVER BUDGET"))
        print(String(format: "  helm-controller peak RSS %.1f MiB (budget ≤ 96 MiB: %@)", peak, peak <= 96 ? "within budget" : "OVER BUDGET"))
        print("  Helm release Secrets written: \(secrets)")
    }

    static let template = """
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: {{ .Release.Name }}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{ .Release.Name }}
          labels:
            index: {{ .Values.index | quote }}
        spec:
          replicas: 0
          selector:
            matchLabels: {app: {{ .Release.Name }}}
          template:
            metadata:
              labels: {app: {{ .Release.Name }}}
            spec:
              serviceAccountName: {{ .Release.Name }}
              containers:
              - name: app
                image: {{ .Values.image }}
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: {{ .Release.Name }}
        spec:
          selector: {app: {{ .Release.Name }}}
          ports:
          - port: 80
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: {{ .Release.Name }}
        spec:
          rules:
          - host: {{ .Release.Name }}.example.com
            http:
              paths:
              - path: /
                pathType: Prefix
                backend:
                  service: {name: {{ .Release.Name }}, port: {number: 80}}

        """
}
