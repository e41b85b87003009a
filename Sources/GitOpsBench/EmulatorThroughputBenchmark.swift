import ArgumentParser
import Foundation
import GitOpsKit

/// Small writes and reads per second against a `kube-emulator` process over HTTPS from `KubeClient`.
struct EmulatorThroughputBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emulator",
        abstract: "Emulator throughput: small writes/s (budget ≥ 2,000) and reads/s (budget ≥ 10,000).")

    @Option(help: "ConfigMaps to create.")
    var writes = 5_000

    @Option(help: "GETs to issue.")
    var reads = 20_000

    @Option(help: "Requests in flight at once.")
    var concurrency = 32

    func run() async throws {
        let emulator = try EmulatorProcess()
        defer { emulator.stop() }
        let client = try emulator.client()
        let kind = GroupVersionKind(group: "", version: "v1", kind: "ConfigMap")
        _ = try await client.apply(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "bench"]],
                                   fieldManager: "gok-bench")
        let writeCount = writes
        let writeSeconds = try await measureConcurrently(count: writes, concurrency: concurrency) { index in
            _ = try await client.create(
                ["apiVersion": "v1", "kind": "ConfigMap",
                 "metadata": ["name": .string("cm-\(index)"), "namespace": "bench", "labels": ["bench": "yes"]],
                 "data": ["index": .string(String(index))]],
                options: WriteOptions())
        }
        let readSeconds = try await measureConcurrently(count: reads, concurrency: concurrency) { index in
            _ = try await client.get(kind, ObjectKey(namespace: "bench", name: "cm-\(index % writeCount)"))
        }
        let writeRate = Double(writes) / writeSeconds
        let readRate = Double(reads) / readSeconds
        print("emulator throughput: HTTPS, KubeClient, \(concurrency) in flight, "
            + "\(ProcessInfo.processInfo.activeProcessorCount) cores")
        print(row("writes", writes, "creates", writeSeconds, writeRate, budget: 2_000))
        print(row("reads", reads, "gets", readSeconds, readRate, budget: 10_000))
        print(String(format: "  emulator peak RSS: %.1f MiB", emulator.peakRSSMiB))
    }

    private func row(_ name: String, _ count: Int, _ unit: String, _ seconds: Double, _ rate: Double, budget: Double) -> String {
        let verdict = rate >= budget ? "within budget" : "OVER BUDGET"
        return "  \(name): \(count) \(unit) in \(String(format: "%.2f", seconds)) s = \(Int(rate))/s "
            + "(budget ≥ \(Int(budget))/s: \(verdict))"
    }
}
