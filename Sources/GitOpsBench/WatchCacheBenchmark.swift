import ArgumentParser
import Foundation
import GitOpsKit
import Logging

/// An informer holding 10,000 objects (half from the initial list, half from the watch stream), and the memory
/// the client process needs for it.
///
/// The client is a child process (`gok-bench watch-client`) that does nothing but what a controller does to
/// hold the cache: load a kubeconfig, list and watch. The harness (emulator, seeding, process management) runs
/// elsewhere, so its memory is not counted.
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
        try SeedCommand.spawn(kubeconfig: emulator.kubeconfigPath, range: 0..<listed, payload: payload)

        let client = Process()
        client.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        client.arguments = ["watch-client", "--kubeconfig", emulator.kubeconfigPath, "--objects", String(objects)]
        let output = Pipe()
        client.standardOutput = output
        try client.run()
        let reader = output.fileHandleForReading
        guard let synced = readLine(from: reader) else { throw BenchmarkError("watch-client exited before syncing") }
        try SeedCommand.spawn(kubeconfig: emulator.kubeconfigPath, range: listed..<objects, payload: payload)
        guard let done = readLine(from: reader) else { throw BenchmarkError("watch-client exited before the end") }
        client.waitUntilExit()
        let figures = (synced + " " + done).split(separator: " ").reduce(into: [String: Double]()) { result, pair in
            let parts = pair.split(separator: "=")
            if parts.count == 2 { result[String(parts[0])] = Double(parts[1]) }
        }
        func figure(_ name: String) -> Double { figures[name] ?? .nan }
        let rss = figure("rss")
        print("watch cache: \(objects) ConfigMaps (\(payload) B data each), \(listed) listed + \(objects - listed) watched")
        print(String(format: "  initial list synced in %.2f s; all %d cached after %.2f s", figure("list"), objects, figure("total")))
        print(String(format: "  client RSS: %.1f MiB with the cache (%.1f MiB before the informer started); peak %.1f MiB",
                     rss, figure("baseline"), figure("peak")))
        print(String(format: "  of which heap and stacks %.1f MiB (%.1f MiB before), mapped code and libraries %.1f MiB",
                     figure("anon"), figure("baselineAnon"), figure("file")))
        print("  budget ≤ 40 MiB: \(rss <= 40 ? "within budget" : "OVER BUDGET")")
    }
}

/// `gok-bench watch-client`: the measured client of `watch-cache`. Prints `key=value` figures on two lines:
/// when the initial list is cached, and when `--objects` are.
struct WatchClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch-client", abstract: "The client process of watch-cache.", shouldDisplay: false)

    @Option var kubeconfig: String
    @Option var objects: Int

    func run() async throws {
        let client = KubeClient(config: try KubeConfig.load(kubeconfigPaths: [kubeconfig]))
        let baseline = ProcessMemory.currentRSSMiB(), baselineAnonymous = ProcessMemory.anonymousRSSMiB()
        let informer = Informer(api: client, kind: GroupVersionKind(group: "", version: "v1", kind: "ConfigMap"),
                                namespace: "bench", logger: Logger(label: "gok-bench", factory: { _ in SwiftLogNoOpLogHandler() }))
        let start = ContinuousClock.now
        let running = Task { try await informer.run() }
        defer { running.cancel() }
        try await informer.waitForSync()
        report("list=\((ContinuousClock.now - start).seconds)")
        while informer.count < objects {
            try await Task.sleep(for: .milliseconds(20))
        }
        let total = (ContinuousClock.now - start).seconds
        report("total=\(total) rss=\(ProcessMemory.currentRSSMiB()) baseline=\(baseline) peak=\(ProcessMemory.peakRSSMiB())"
               + " anon=\(ProcessMemory.anonymousRSSMiB()) baselineAnon=\(baselineAnonymous) file=\(ProcessMemory.fileRSSMiB())")
    }

    /// One unbuffered line to the harness.
    private func report(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}

/// Reads one line from a pipe (blocking: the harness has nothing else to do meanwhile); nil at end of file.
private func readLine(from handle: FileHandle) -> String? {
    var line: [UInt8] = []
    while true {
        guard let byte = try? handle.read(upToCount: 1), let first = byte.first else {
            return line.isEmpty ? nil : String(decoding: line, as: UTF8.self)
        }
        if first == UInt8(ascii: "\n") { return String(decoding: line, as: UTF8.self) }
        line.append(first)
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

