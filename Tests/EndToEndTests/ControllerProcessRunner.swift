import Foundation

/// A directory removed when the value is released.
final class TemporaryDirectory: Sendable {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("gok-e2e-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// One of the package's executables run as a child process, its stdout and stderr captured in a file.
final class ControllerProcessRunner: Sendable {
    private let process: Process
    private let logPath: String

    init(binary: String, arguments: [String], directory: TemporaryDirectory) throws {
        logPath = directory.path + "/\(URL(fileURLWithPath: binary).lastPathComponent)-\(UUID().uuidString).log"
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.standardOutput = log
        process.standardError = log
        try process.run()
        self.process = process
    }

    func log() -> String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// SIGTERM: the graceful stop a kubelet sends.
    func terminate() { if process.isRunning { process.terminate() } }

    func kill() { if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) } }

    /// Sends `signal` (SIGINT is what Ctrl-C in a terminal sends).
    func signal(_ signal: Int32) { if process.isRunning { Foundation.kill(process.processIdentifier, signal) } }

    var isRunning: Bool { process.isRunning }

    /// The exit status, or an error when the process is still running after `timeout`.
    func waitForExit(timeout: Duration) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else { throw EndToEndError("still running after \(timeout)") }
            try await Task.sleep(for: .milliseconds(50))
        }
        return process.terminationStatus
    }
}
