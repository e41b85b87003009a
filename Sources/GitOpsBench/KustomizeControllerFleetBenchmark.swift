import ArgumentParser
import Foundation
import GitOpsKit
import GitOpsTestSupport

/// `gok-bench kustomize-fleet`: many Kustomizations of one GitRepository, each applying the same four objects
/// (Deployment scaled to 0, ServiceAccount, Service, Ingress) under its own name prefix, reconciled by the
/// `source-controller` and `kustomize-controller` binaries next to this one against a `kube-emulator` process.
/// Prints the time from creation to all Ready, kustomize-controller's peak RSS, the writes the API server saw, and
/// the writes during a steady-state window in which every Kustomization reconciles again (budget: none).
struct KustomizeControllerFleetBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kustomize-fleet",
        abstract: "1,000 Kustomizations × 4 objects from one GitRepository: cold to all Ready (≤ 60 s), kustomize-controller peak RSS (≤ 64 MiB), steady-state writes (0).")

    @Option(help: "Kustomizations to create.")
    var count = 1000

    @Option(help: "spec.interval of every Kustomization (the steady-state window lasts one interval plus 5 s).")
    var interval = 30

    @Option(help: "Seconds to wait for all Kustomizations to be Ready.")
    var timeout: Int64 = 600

    @Option(help: "--kube-api-qps of kustomize-controller (Flux's default: 50).")
    var qps = 50

    @Option(help: "--concurrent of kustomize-controller.")
    var concurrent = 4

    @Option(help: "Objects per Kustomization: the four above plus ConfigMaps (e.g. 100 for the steady-state CPU budget).")
    var objects = 4

    @Option(help: "Directory of the CRD manifests.")
    var crdDirectory = "config/crd/bases"

    @Option(help: "Write kustomize-controller's log (level info) to this file.")
    var controllerLog: String?

    func run() async throws {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let binaries = ["source-controller", "kustomize-controller"].map { directory.appendingPathComponent($0).path }
        for binary in binaries where !FileManager.default.isExecutableFile(atPath: binary) {
            throw BenchmarkError("\(binary) not found next to gok-bench: swift build first")
        }
        let emulator = try EmulatorProcess()
        defer { emulator.stop() }
        let client = try emulator.client()
        try await client.installCRDs(from: crdDirectory, groups: ["source.toolkit.fluxcd.io", "kustomize.toolkit.fluxcd.io"],
                                    fieldManager: "gok-bench")
        _ = try await client.apply(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "fleet"]], fieldManager: "gok-bench")

        let root = try ArtifactTestSupport.makeDirectory("bench-kustomize-fleet")
        defer { ArtifactTestSupport.cleanUp(root) }
        let upstream = try GitTestSupport.makeRepository(in: root + "/upstream")
        guard objects >= 4 else { throw BenchmarkError("--objects must be at least 4") }
        _ = try upstream.commit(["app/objects.yaml": Self.manifests(objects: objects)], message: "\(objects) objects")
        let server = try GitTestSupport.startHTTPServer(root: root + "/upstream")
        defer { server.stop() }

        let storagePort = try Self.freePort()
        let sourceController = try Self.start(binaries[0], ["--kubeconfig", emulator.kubeconfigPath, "--metrics-addr", "0",
                                                            "--health-addr", "0", "--storage-path", root + "/storage",
                                                            "--storage-addr", "127.0.0.1:\(storagePort)",
                                                            "--storage-adv-addr", "127.0.0.1:\(storagePort)",
                                                            "--log-level", "error"])
        defer { Self.stop(sourceController) }
        let metricsPort = try Self.freePort()
        let kustomizeController = try Self.start(binaries[1], ["--kubeconfig", emulator.kubeconfigPath,
                                                               "--metrics-addr", "127.0.0.1:\(metricsPort)",
                                                               "--health-addr", "0", "--concurrent", "\(concurrent)",
                                                               "--kube-api-qps", "\(qps)", "--kube-api-burst", "\(qps * 6)",
                                                               "--requeue-dependency", "2s",
                                                               "--log-level", controllerLog == nil ? "error" : "info"],
                                                 log: controllerLog)
        defer { Self.stop(kustomizeController) }
        let pid = kustomizeController.processIdentifier

        _ = try await client.create(
            ["apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository", "metadata": ["name": "app", "namespace": "fleet"],
             "spec": ["url": .string("http://127.0.0.1:\(server.port)/remote.git"), "interval": "1h", "ref": ["branch": "main"]]],
            options: WriteOptions())
        let versionBefore = try await Self.resourceVersion(client)
        let start = ContinuousClock.now
        _ = try await measureConcurrently(count: count, concurrency: 16) { index in
            _ = try await client.create(
                ["apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
                 "metadata": ["name": .string("app-\(index)"), "namespace": "fleet"],
                 "spec": ["sourceRef": ["kind": "GitRepository", "name": "app"], "path": "./app", "prune": true,
                          "interval": .string("\(interval)s"), "namePrefix": .string("k\(index)-")]],
                options: WriteOptions())
        }
        var ready = 0
        while ready < count {
            guard kustomizeController.isRunning else { throw BenchmarkError("kustomize-controller exited (\(kustomizeController.terminationStatus))") }
            try await Task.sleep(for: .milliseconds(250))
            let list = try await client.listAll(Kustomization.kind, namespace: "fleet")
            ready = list.items.filter { (try? Kustomization(from: $0))?.isReady == true }.count
            if (ContinuousClock.now - start) > .seconds(timeout) {
                let sample = list.items.first { (try? Kustomization(from: $0))?.isReady != true }?["status"] ?? .null
                throw BenchmarkError("only \(ready)/\(count) Ready after \(timeout) s; e.g. \(String(decoding: sample.jsonBytes(), as: UTF8.self))")
            }
        }
        let allReady = (ContinuousClock.now - start).seconds
        let peak = ProcessMemory.peakRSSMiB(pid: pid)
        let versionReady = try await Self.resourceVersion(client)

        // Steady state: every Kustomization reconciles once more with nothing changed.
        try await Task.sleep(for: .seconds(5))
        let versionSteady = try await Self.resourceVersion(client)
        let cpuStart = SourceGitFleetBenchmark.cpuSeconds(pid: pid)
        let reconcilesStart = try await Self.reconcileCount(metricsPort: metricsPort)
        try await Task.sleep(for: .seconds(interval + 5))
        let cpu = SourceGitFleetBenchmark.cpuSeconds(pid: pid) - cpuStart
        let reconciles = try await Self.reconcileCount(metricsPort: metricsPort) - reconcilesStart
        let steadyWrites = try await Self.resourceVersion(client) - versionSteady
        print("kustomize-fleet: \(count) Kustomizations × \(objects) objects of one GitRepository, --concurrent \(concurrent), --kube-api-qps \(qps)")
        print(String(format: "  cold to all Ready: %.1f s (budget ≤ 60 s: %@)", allReady, allReady <= 60 ? "within budget" : "OVER BUDGET"))
        print(String(format: "  kustomize-controller peak RSS %.1f MiB (budget ≤ 64 MiB: %@)", peak, peak <= 64 ? "within budget" : "OVER BUDGET"))
        print("  API writes until all Ready: \(versionReady - versionBefore) (objects, status, events, workload status)")
        let perReconcile = cpu * 1000 / Double(max(reconciles, 1))
        print(String(format: "  steady state, %d s: %d reconciles, %lld writes (budget 0: %@), CPU %.2f s = %.2f ms per reconcile",
                     interval + 5, reconciles, steadyWrites, steadyWrites == 0 ? "within budget" : "OVER BUDGET", cpu, perReconcile))
        if objects >= 100 {
            print(String(format: "  reconcile of a %d-object Kustomization whose revision did not change: %.1f ms CPU (budget ≤ 50 ms for 100: %@)",
                         objects, perReconcile, perReconcile <= 50 ? "within budget" : "OVER BUDGET"))
        }
    }

    /// The four objects, then `objects - 4` ConfigMaps.
    static func manifests(objects: Int) -> String {
        var text = fourObjects
        for index in 0..<(objects - 4) {
            text += "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config-\(index)\ndata:\n  index: \"\(index)\"\n"
        }
        return text
    }

    static let fourObjects = """
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: app
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: app
        spec:
          replicas: 0
          selector:
            matchLabels: {app: app}
          template:
            metadata:
              labels: {app: app}
            spec:
              serviceAccountName: app
              containers:
              - name: app
                image: nginx:1.27
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: app
        spec:
          selector: {app: app}
          ports:
          - port: 80
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: app
        spec:
          rules:
          - host: app.example.com
            http:
              paths:
              - path: /
                pathType: Prefix
                backend:
                  service: {name: app, port: {number: 80}}

        """

    static func start(_ binary: String, _ arguments: [String], log path: String? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        // createFile replaces the file (write + rename), so it must never see /dev/null.
        let log = path.map { path in
            FileManager.default.createFile(atPath: path, contents: nil)
            return FileHandle(forWritingAtPath: path) ?? FileHandle.nullDevice
        } ?? FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        try process.run()
        return process
    }

    static func stop(_ process: Process) {
        process.terminate()
        process.waitUntilExit()
    }

    /// A TCP port nobody listens on right now (bound to port 0, then released).
    /// The sum of `controller_runtime_reconcile_total` over its labels, scraped from the controller's metrics.
    static func reconcileCount(metricsPort: Int) async throws -> Int {
        let response = try await HTTPClient().execute(HTTPClientRequest(url: "http://127.0.0.1:\(metricsPort)/metrics"))
        var total = 0.0
        for line in String(decoding: response.body, as: UTF8.self).split(separator: "\n")
        where line.hasPrefix("controller_runtime_reconcile_total") {
            total += line.split(separator: " ").last.flatMap { Double($0) } ?? 0
        }
        return Int(total)
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchmarkError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw BenchmarkError("bind() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// The emulator's global resourceVersion: every write increments it.
    static func resourceVersion(_ client: KubeClient) async throws -> Int64 {
        let list = try await client.list(GroupVersionKind(group: "", version: "v1", kind: "ConfigMap"), namespace: "fleet",
                                         options: ListOptions(limit: 1))
        return Int64(list.resourceVersion) ?? 0
    }
}
