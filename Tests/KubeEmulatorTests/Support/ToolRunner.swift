import Foundation

/// The result of a finished tool run.
struct ToolResult: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String

    var succeeded: Bool { status == 0 }
}

/// Runs real `kubectl` and `helm` against an emulator, with a private kubeconfig, discovery cache and helm
/// directories. Output goes to files, so large outputs never block on a pipe.
struct ToolRunner: Sendable {
    let directory: URL
    let kubeconfig: URL

    init(endpoint: KubeEmulatorEndpointSnapshot, name: String) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("kube-emulator-tests")
            .appendingPathComponent("\(name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        kubeconfig = directory.appendingPathComponent("kubeconfig")
        try Data(endpoint.kubeconfig.utf8).write(to: kubeconfig)
    }

    /// Where a tool lives: `PATH` (scripts/test.sh adds `.tools/bin`), then the package's `.tools/bin`.
    static func locate(_ tool: String) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        var candidates = path.split(separator: ":").map { "\($0)/\(tool)" }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(packageRoot.appendingPathComponent(".tools/bin/\(tool)").path)
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        throw TestFailure("\(tool) is not installed (run scripts/setup.sh; looked in PATH and .tools/bin)")
    }

    var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["KUBECONFIG"] = kubeconfig.path
        env["HOME"] = directory.path
        env["HELM_CACHE_HOME"] = directory.appendingPathComponent("helm-cache").path
        env["HELM_CONFIG_HOME"] = directory.appendingPathComponent("helm-config").path
        env["HELM_DATA_HOME"] = directory.appendingPathComponent("helm-data").path
        return env
    }

    /// kubectl with a private discovery cache.
    func kubectl(_ arguments: [String], stdin: String? = nil, timeout: Duration = .seconds(60)) async throws -> ToolResult {
        try await run(try Self.locate("kubectl"), ["--cache-dir", directory.appendingPathComponent("kube-cache").path] + arguments,
                      stdin: stdin, timeout: timeout)
    }

    func helm(_ arguments: [String], timeout: Duration = .seconds(60)) async throws -> ToolResult {
        try await run(try Self.locate("helm"), arguments, stdin: nil, timeout: timeout)
    }

    /// Writes a file into the private directory.
    func write(_ name: String, _ contents: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(contents.utf8).write(to: url)
        return url.path
    }

    func run(_ executable: String, _ arguments: [String], stdin: String?, timeout: Duration) async throws -> ToolResult {
        let process = try start(executable, arguments, stdin: stdin)
        let finished = await process.wait(timeout: timeout)
        if !finished {
            process.terminate()
            _ = await process.wait(timeout: .seconds(5))
        }
        let result = process.result()
        if !finished { throw TestFailure("\(executable) \(arguments.joined(separator: " ")) timed out; stderr: \(result.stderr)") }
        return result
    }

    /// Starts a long-running tool (e.g. `kubectl get --watch`); read its output with `output()`.
    func start(_ executable: String, _ arguments: [String], stdin: String? = nil) throws -> RunningTool {
        let id = UUID().uuidString.prefix(8)
        let out = directory.appendingPathComponent("out-\(id)")
        let err = directory.appendingPathComponent("err-\(id)")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        var input: Pipe?
        if stdin != nil {
            let pipe = Pipe()
            process.standardInput = pipe
            input = pipe
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        let tool = RunningTool(process: process, stdoutFile: out, stderrFile: err)
        try process.run()
        if let stdin, let input {
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try input.fileHandleForWriting.close()
        }
        return tool
    }

    func startKubectl(_ arguments: [String]) throws -> RunningTool {
        try start(try Self.locate("kubectl"), ["--cache-dir", directory.appendingPathComponent("kube-cache").path] + arguments)
    }
}

/// The endpoint data a tool runner needs (kept separate so the runner does not depend on the emulator).
struct KubeEmulatorEndpointSnapshot: Sendable {
    var kubeconfig: String
}

/// A started tool process whose output lands in files.
final class RunningTool: @unchecked Sendable {
    // `process` is only touched through Foundation's thread-safe Process API.
    private let process: Process
    let stdoutFile: URL
    let stderrFile: URL

    init(process: Process, stdoutFile: URL, stderrFile: URL) {
        self.process = process
        self.stdoutFile = stdoutFile
        self.stderrFile = stderrFile
    }

    func output() -> String { (try? String(contentsOf: stdoutFile, encoding: .utf8)) ?? "" }
    func errors() -> String { (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "" }

    var isRunning: Bool { process.isRunning }

    /// Ends the process (SIGTERM); it is ours to end.
    func terminate() { if process.isRunning { process.terminate() } }

    /// Waits for exit without blocking a thread of the cooperative pool; false on timeout.
    func wait(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    func result() -> ToolResult {
        ToolResult(status: process.isRunning ? -1 : process.terminationStatus, stdout: output(), stderr: errors())
    }

    /// Waits until stdout satisfies `predicate`; false on timeout.
    func waitForOutput(timeout: Duration = .seconds(10), _ predicate: (String) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if predicate(output()) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return predicate(output())
    }
}
