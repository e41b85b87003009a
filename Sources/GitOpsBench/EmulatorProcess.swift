import Foundation
import GitOpsKit

/// A `kube-emulator` started as its own process, so the benchmark's figures (RSS above all) are the client's alone.
final class EmulatorProcess {
    let process = Process()
    let kubeconfigPath: String
    private let directory: URL

    /// Starts the `kube-emulator` binary that sits next to this executable and waits until it prints its URL.
    init() throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("kube-emulator")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw BenchmarkError("kube-emulator not found next to gok-bench (\(binary.path)): swift build first")
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("gok-bench-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        kubeconfigPath = directory.appendingPathComponent("kubeconfig").path
        process.executableURL = binary
        process.arguments = ["--port", "0", "--kubeconfig-out", kubeconfigPath, "--log-level", "warning"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        // The emulator prints its URL once it is bound and the kubeconfig is written.
        guard !output.fileHandleForReading.availableData.isEmpty else {
            throw BenchmarkError("kube-emulator exited before serving")
        }
    }

    func client() throws -> KubeClient {
        KubeClient(config: try KubeConfig.load(kubeconfigPaths: [kubeconfigPath]),
                   options: KubeClient.Options(qps: 1_000_000, burst: 1_000_000))
    }

    /// Peak resident memory of the emulator process, in MiB.
    var peakRSSMiB: Double { ProcessMemory.peakRSSMiB(pid: process.processIdentifier) }

    func stop() {
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Resident memory from `/proc/<pid>/status` (Linux).
enum ProcessMemory {
    static func currentRSSMiB(pid: Int32? = nil) -> Double { field("VmRSS", pid: pid) }
    static func peakRSSMiB(pid: Int32? = nil) -> Double { field("VmHWM", pid: pid) }
    /// Resident anonymous memory (heap, stacks): what the process allocated, as opposed to mapped code.
    static func anonymousRSSMiB(pid: Int32? = nil) -> Double { field("RssAnon", pid: pid) }
    /// Resident pages of mapped files (the executable and shared libraries).
    static func fileRSSMiB(pid: Int32? = nil) -> Double { field("RssFile", pid: pid) }

    private static func field(_ name: String, pid: Int32?) -> Double {
        let path = "/proc/\(pid.map(String.init) ?? "self")/status"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }),
              let kib = Double(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else { return 0 }
        return kib / 1024
    }
}

/// Seconds of a `Duration`, as a `Double`.
extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// Runs `operation(0..<count)` with at most `concurrency` calls in flight; returns the elapsed seconds.
func measureConcurrently(count: Int, concurrency: Int, _ operation: @escaping @Sendable (Int) async throws -> Void)
    async throws -> Double
{
    let start = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        var next = 0
        func addNext() {
            let index = next
            group.addTask { try await operation(index) }
            next += 1
        }
        while next < min(concurrency, count) { addNext() }
        while try await group.next() != nil {
            if next < count { addNext() }
        }
    }
    return (ContinuousClock.now - start).seconds
}
