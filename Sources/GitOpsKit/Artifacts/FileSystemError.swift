#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed file-system call: which operation, on which path, and the system's reason.
public struct FileSystemError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The call that failed (`open`, `rename`, `mkdir`, …).
    public var operation: String
    /// The path it was called on.
    public var path: String
    /// `errno` after the call.
    public var code: Int32

    public init(_ operation: String, path: String, code: Int32 = errno) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    /// Whether the path did not exist.
    public var isNotFound: Bool { code == ENOENT }

    public var description: String {
        "\(operation) \(path): \(String(cString: strerror(code)))"
    }
}
