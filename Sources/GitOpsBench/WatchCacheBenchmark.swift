import ArgumentParser
import Foundation
import GitOpsKit
import Logging

/// An informer holding 10,000 objects (half from the initial list, half from the watch stream), and the memory
/// the client process needs for it.
struct WatchCacheBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch-cache",
        abstract: "Informer cache of 10,000 objects: resident memory of the client (budget ≤ 40 MiB).")

    @Option(help: "Objects in the cache at the end.")
    var objects = 10_000

    @Option(help: "Bytes of data in each ConfigMap.")
    var payload = 256

    func run() async throws {
        let emulator = try EmulatorProcess()
        defer { emulator.stop() }
        let listed = objects / 2
        // Objects are written by child processes, so this process's memory is the informer's alone.
        try SeedCommand.spawn(kubeconfig: emulator.kubeconfigPath, range: 0..<listed, payload: payload)
        let client = try emulator.client()
        let baseline = ProcessMemory.currentRSSMiB()

        let informer = Informer(api: client, kind: GroupVersionKind(group: "", version: "v1", kind: "ConfigMap"),
                                namespace: "bench", logger: Logger(label: "gok-bench", factory: { _ in SwiftLogNoOpLogHandler() }))
        let start = ContinuousClock.now
        let running = Task { try await informer.run() }
        defer { running.cancel() }
        try await informer.waitForSync()
        let listSeconds = (ContinuousClock.now - start).seconds
        try SeedCommand.spawn(kubeconfig: emulator.kubeconfigPath, range: listed..<objects, payload: payload)
        while informer.count < objects {
            try await Task.sleep(for: .milliseconds(20))
        }
        let totalSeconds = (ContinuousClock.now - start).seconds
        let rss = ProcessMemory.currentRSSMiB()
        print("watch cache: \(objects) ConfigMaps (\(payload) B data each), \(listed) listed + \(objects - listed) watched")
        print(String(format: "  initial list synced in %.2f s; all %d cached after %.2f s", listSeconds, objects, totalSeconds))
        print(String(format: "  client RSS: %.1f MiB with the cache (%.1f MiB before the informer started); peak %.1f MiB",
                     rss, baseline, ProcessMemory.peakRSSMiB()))
        print("  budget ≤ 40 MiB: \(rss <= 40 ? "within budget" : "OVER BUDGET")")
    }
}

/// `gok-bench seed`: creates ConfigMaps `cm-<i>` in namespace `bench` (a child process of `watch-cache`).
struct SeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed", abstract: "Create benchmark ConfigMaps (used by watch-cache).", shouldDisplay: false)

    @Option var kubeconfig: String
    @Option var from: Int
    @Option var to: Int
    @Option var payload: Int

    func run() async throws {
        let client = KubeClient(config: try KubeConfig.load(kubeconfigPaths: [kubeconfig]),
                                options: KubeClient.Options(qps: 1_000_000, burst: 1_000_000))
        _ = try await client.apply(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "bench"]],
                                   fieldManager: "gok-bench")
        let data = String(repeating: "x", count: payload)
        let first = from
        _ = try await measureConcurrently(count: to - from, concurrency: 32) { offset in
            let index = first + offset
            _ = try await client.create(
                ["apiVersion": "v1", "kind": "ConfigMap",
                 "metadata": ["name": .string("cm-\(index)"), "namespace": "bench",
                              "labels": ["app.kubernetes.io/name": "bench", "index": .string(String(index))]],
                 "data": ["payload": .string(data)]],
                options: WriteOptions())
        }
    }

    /// Runs `gok-bench seed` as a child process and waits for it.
    static func spawn(kubeconfig: String, range: Range<Int>, payload: Int) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        process.arguments = ["seed", "--kubeconfig", kubeconfig, "--from", String(range.lowerBound),
                             "--to", String(range.upperBound), "--payload", String(payload)]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchmarkError("seeding failed (\(process.terminationStatus))") }
    }
}
