import Foundation


/// Scratch directories and external commands for the artifact and Git tests.
public enum ArtifactTestSupport {
    /// A fresh directory under the system temp dir; removed by `cleanUp`.
    public static func makeDirectory(_ label: String) throws -> String {
        let base = FileManager.default.temporaryDirectory.path + "/gok-\(label)-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        return base
    }

    public static func cleanUp(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `text` to `root/relative`, creating parent directories.
    public static func write(_ text: String, to relative: String, in root: String, mode: Int = 0o644) throws {
        let path = root + "/" + relative
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }

    public static func read(_ path: String) throws -> String {
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
    }

    public static func bytes(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    public static func exists(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
    }

    /// Whether something (even a dangling symbolic link) is at `path`.
    public static func lexists(_ path: String) -> Bool {
        (try? FileManager.default.attributesOfItem(atPath: path)) != nil
    }

    public struct CommandFailure: Error, CustomStringConvertible {
        public var command: [String]
        public var status: Int32
        public var output: String
        public var description: String { "\(command.joined(separator: " ")) exited \(status): \(output)" }

        public init(command: [String], status: Int32, output: String) {
            self.command = command
            self.status = status
            self.output = output
        }
    }

    /// Runs a command to completion and returns its standard output; throws with stderr on a non-zero exit.
    @discardableResult
    public static func run(
        _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:], input: String? = nil
    ) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        // Drain both pipes before waiting so a chatty command cannot block on a full pipe.
        let errorData = ErrorCollector(stderr.fileHandleForReading)
        let outputData = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let output = String(decoding: outputData, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw CommandFailure(command: arguments, status: process.terminationStatus, output: output + errorData.text())
        }
        return output
    }

    /// Reads a pipe on a background thread.
    public final class ErrorCollector: @unchecked Sendable {
        // Written once by the reader thread before `done` is signalled; read after waiting on it.
        private var data = Data()
        private let done = DispatchSemaphore(value: 0)

        public init(_ handle: FileHandle) {
            Thread.detachNewThread { [self] in
                data = handle.readDataToEndOfFile()
                done.signal()
            }
        }

        public func text() -> String {
            done.wait()
            return String(decoding: data, as: UTF8.self)
        }
    }

    /// Runs a Python 3 script (for building hostile archives with `tarfile`).
    @discardableResult
    public static func python(_ script: String, arguments: [String] = []) throws -> String {
        try run(["python3", "-c", script] + arguments)
    }
}
