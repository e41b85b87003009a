import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Where log lines go: a file descriptor (stderr by default) or memory (tests). Writes of whole lines are
/// serialized so concurrent loggers never interleave within a line.
public final class LogOutput: Sendable {
    private enum Target { case fileDescriptor(Int32), memory }
    private let target: Target
    private let lines = Mutex<[String]>([])
    private let writeLock = Mutex(())

    private init(target: Target) {
        self.target = target
    }

    public static let standardError = LogOutput(target: .fileDescriptor(2))
    public static let standardOutput = LogOutput(target: .fileDescriptor(1))

    /// An output that keeps lines in memory (read them with ``capturedLines``).
    public static func memory() -> LogOutput { LogOutput(target: .memory) }

    /// Writes one line (a newline is appended).
    public func write(line: String) {
        switch target {
        case .memory:
            lines.withLock { $0.append(line) }
        case .fileDescriptor(let descriptor):
            var bytes = Array(line.utf8)
            bytes.append(0x0A)
            writeLock.withLock { _ in
                var offset = 0
                while offset < bytes.count {
                    let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
                    if written <= 0 { break }
                    offset += written
                }
            }
        }
    }

    /// Lines written to a memory output.
    public var capturedLines: [String] { lines.withLock { $0 } }
}
