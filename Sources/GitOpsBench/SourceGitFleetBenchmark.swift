import ArgumentParser
import Foundation
import GitOpsKit
import GitOpsTestSupport

/// `gok-bench git-fleet`: many GitRepositories of one upstream at a 1-minute interval, reconciled by the
/// `source-controller` binary next to this one; prints the controller's steady-state CPU and memory.
struct SourceGitFleetBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "git-fleet",
        abstract: "200 GitRepositories of one upstream, interval 1m: source-controller steady-state CPU (≤ 5 %) and RSS (≤ 40 MiB).")

    @Option(help: "GitRepositories to create.")
    var count = 200

    @Option(help: "spec.interval of every GitRepository.")
    var interval = "1m"

    @Option(help: "Seconds of steady state to measure (after all are Ready and a warm-up).")
    var window = 120

    @Option(help: "Directory of the CRD manifests.")
    var crdDirectory = "config/crd/bases"

    @Option(help: "The source-controller binary (default: the one next to gok-bench).")
    var controllerBinary: String?

    @Option(help: "File for the controller's log (default: discarded).")
    var controllerLog: String?

    func run() async throws {
        let binary = controllerBinary ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("source-controller").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw BenchmarkError("source-controller not found next to gok-bench (\(binary)): swift build first")
        }
        let emulator = try EmulatorProcess()
        defer { emulator.stop() }
        let client = try emulator.client()
        try await client.installCRDs(from: crdDirectory, groups: ["source.toolkit.fluxcd.io"], fieldManager: "gok-bench")
        _ = try await client.apply(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "fleet"]],
                                   fieldManager: "gok-bench")

        let root = try ArtifactTestSupport.makeDirectory("bench-git-fleet")
        defer { ArtifactTestSupport.cleanUp(root) }
        let upstream = try GitTestSupport.makeRepository(in: root + "/upstream")
        _ = try upstream.commit(Dictionary(uniqueKeysWithValues: (0..<100).map { ("deploy/app-\($0).yaml", "kind: ConfigMap\nindex: \($0)\n") }),
                                message: "100 manifests")
        let server = try GitTestSupport.startHTTPServer(root: root + "/upstream")
        defer { server.stop() }

        // createFile replaces the file (write + rename), so it must never see /dev/null.
        let log = controllerLog.map { path in
            FileManager.default.createFile(atPath: path, contents: nil)
            return FileHandle(forWritingAtPath: path) ?? FileHandle.nullDevice
        } ?? FileHandle.nullDevice
        let controller = Process()
        controller.executableURL = URL(fileURLWithPath: binary)
        controller.arguments = ["--kubeconfig", emulator.kubeconfigPath, "--metrics-addr", "0", "--health-addr", "0",
                                "--storage-path", root + "/storage", "--storage-addr", "127.0.0.1:0",
                                "--storage-adv-addr", "127.0.0.1", "--log-level", "error"]
        controller.standardOutput = log
        controller.standardError = log
        try controller.run()
        defer {
            controller.terminate()
            controller.waitUntilExit()
        }
        let pid = controller.processIdentifier
        try await Task.sleep(for: .seconds(3))
        let idleRSS = ProcessMemory.currentRSSMiB(pid: pid)
        print(String(format: "source-controller idle RSS %.1f MiB (anonymous %.1f MiB)", idleRSS, ProcessMemory.anonymousRSSMiB(pid: pid)))

        let url = "http://127.0.0.1:\(server.port)/remote.git"
        let start = ContinuousClock.now
        _ = try await measureConcurrently(count: count, concurrency: 16) { index in
            _ = try await client.create(
                ["apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
                 "metadata": ["name": .string("repo-\(index)"), "namespace": "fleet"],
                 "spec": ["url": .string(url), "interval": .string(interval), "ref": ["branch": "main"]]],
                options: WriteOptions())
        }
        print("created \(count) GitRepositories in \(String(format: "%.1f", (ContinuousClock.now - start).seconds)) s")
        var ready = 0
        var reported = ContinuousClock.now
        while ready < count {
            if ContinuousClock.now - reported > .seconds(10) {
                print("  \(ready)/\(count) Ready")
                reported = ContinuousClock.now
            }
            guard controller.isRunning else { throw BenchmarkError("source-controller exited (\(controller.terminationStatus))") }
            try await Task.sleep(for: .milliseconds(250))
            let list = try await client.list(GitRepository.kind, namespace: "fleet", options: ListOptions())
            ready = list.items.filter { (try? GitRepository(from: $0))?.conditions.isTrue(.ready) == true }.count
            if (ContinuousClock.now - start) > .seconds(600) { throw BenchmarkError("only \(ready)/\(count) Ready after 10 min") }
        }
        let allReady = (ContinuousClock.now - start).seconds
        let peakAfterStart = ProcessMemory.peakRSSMiB(pid: pid)
        print(String(format: "all Ready after %.1f s; measuring %d s of steady state", allReady, window))
        try await Task.sleep(for: .seconds(10))  // warm-up: the first requeues spread out
        let cpuStart = Self.cpuSeconds(pid: pid)
        let wallStart = ContinuousClock.now
        // RSS every ~10 s: a plateau is a high-water mark, steady growth a leak.
        var samples: [String] = []
        var remaining = window
        while remaining > 0 {
            let step = min(10, remaining)
            try await Task.sleep(for: .seconds(step))
            remaining -= step
            samples.append(String(format: "%.1f", ProcessMemory.currentRSSMiB(pid: pid)))
        }
        let cpu = Self.cpuSeconds(pid: pid) - cpuStart
        let wall = (ContinuousClock.now - wallStart).seconds
        let percent = cpu / wall * 100
        let rss = ProcessMemory.currentRSSMiB(pid: pid)
        print("git-fleet: \(count) GitRepositories of one upstream (smart HTTP), interval \(interval)")
        print(String(format: "  all Ready after %.1f s (peak RSS during start %.1f MiB)", allReady, peakAfterStart))
        print(String(format: "  steady state over %.0f s: CPU %.2f %% of a core (budget ≤ 5 %%: %@)", wall, percent,
                     percent <= 5 ? "within budget" : "OVER BUDGET"))
        print("  RSS samples during the window (MiB): \(samples.joined(separator: " "))")
        print(String(format: "  RSS %.1f MiB (budget ≤ 40 MiB: %@), peak %.1f MiB; anonymous %.1f MiB, file-backed %.1f MiB (idle: %.1f MiB)",
                     rss, rss <= 40 ? "within budget" : "OVER BUDGET", ProcessMemory.peakRSSMiB(pid: pid),
                     ProcessMemory.anonymousRSSMiB(pid: pid), ProcessMemory.fileRSSMiB(pid: pid), idleRSS))
    }

    /// User + system CPU seconds of `pid` (`/proc/<pid>/stat` fields 14 and 15).
    static func cpuSeconds(pid: Int32) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return 0 }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After the command name: state is field 3, so utime (14) and stime (15) are at offsets 11 and 12.
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
