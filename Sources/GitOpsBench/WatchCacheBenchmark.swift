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
        let client = try emulator.client()
        _ = try await client.apply(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "bench"]],
                                   fieldManager: "gok-bench")
        let listed = objects / 2
        let data = String(repeating: "x", count: payload)
        let create: @Sendable (Int) async throws -> Void = { index in
            _ = try await client.create(
                ["apiVersion": "v1", "kind": "ConfigMap",
                 "metadata": ["name": .string("cm-\(index)"), "namespace": "bench",
                              "labels": ["app.kubernetes.io/name": "bench", "index": .string(String(index))]],
                 "data": ["payload": .string(data)]],
                options: WriteOptions())
        }
        _ = try await measureConcurrently(count: listed, concurrency: 32, create)
        let beforeInformer = ProcessMemory.currentRSSMiB()

        let informer = Informer(api: client, kind: GroupVersionKind(group: "", version: "v1", kind: "ConfigMap"),
                                namespace: "bench", logger: Logger(label: "gok-bench"))
        let start = ContinuousClock.now
        let running = Task { try await informer.run() }
        defer { running.cancel() }
        try await informer.waitForSync()
        let listSeconds = (ContinuousClock.now - start).seconds
        _ = try await measureConcurrently(count: objects - listed, concurrency: 32) { try await create(listed + $0) }
        while informer.count < objects {
            try await Task.sleep(for: .milliseconds(20))
        }
        let totalSeconds = (ContinuousClock.now - start).seconds
        let rss = ProcessMemory.currentRSSMiB()
        print("watch cache: \(objects) ConfigMaps (\(payload) B data each), \(listed) listed + \(objects - listed) watched")
        print(String(format: "  initial list synced in %.2f s; all %d cached after %.2f s", listSeconds, objects, totalSeconds))
        print(String(format: "  client RSS: %.1f MiB with the cache (%.1f MiB before the informer started); peak %.1f MiB",
                     rss, beforeInformer, ProcessMemory.peakRSSMiB()))
        print("  budget ≤ 40 MiB: \(rss <= 40 ? "within budget" : "OVER BUDGET")")
    }
}
