import Foundation
import Synchronization

/// Prints the demo's story: numbered steps stamped with the time since the start, and indented details. Output is
/// written unbuffered, so a pipe (a test, `tee`) sees each line as it happens.
final class DemoNarrator: Sendable {
    let start = ContinuousClock.now
    private let steps = Mutex(0)
    /// Called once, when a write to stdout fails (its reader went away).
    private let outputClosed = Mutex<(@Sendable () -> Void)?>(nil)

    func onOutputClosed(_ handler: @escaping @Sendable () -> Void) {
        outputClosed.withLock { $0 = handler }
    }

    func step(_ text: String) {
        let number = steps.withLock { count in
            count += 1
            return count
        }
        write("\n[\(Self.clock(ContinuousClock.now - start))] \(number). \(text)\n")
    }

    func detail(_ text: String) {
        write(text.split(separator: "\n", omittingEmptySubsequences: false).map { "           \($0)\n" }.joined())
    }

    /// Something that happened on its own while the story goes on (a notification reaching gok's webhook): stamped
    /// with its own time, since it may land between the details of a step.
    func live(_ marker: String, _ text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let head = "      \(marker) [\(Self.clock(ContinuousClock.now - start))] "
        let indent = String(repeating: " ", count: head.count)
        write(lines.enumerated().map { ($0.offset == 0 ? head : indent) + $0.element + "\n" }.joined())
    }

    func line(_ text: String) {
        write(text + "\n")
    }

    func error(_ text: String) {
        try? FileHandle.standardError.write(contentsOf: Data((text + "\n").utf8))
    }

    /// Seconds with one decimal: `1.4 s`.
    static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let value = Double(seconds) + Double(attoseconds) / 1e18
        return String(format: "%.1f s", value)
    }

    /// `mm:ss.s`.
    private static func clock(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let tenths = Int(attoseconds / 100_000_000_000_000_000)
        return String(format: "%02d:%02d.%d", Int(seconds / 60), Int(seconds % 60), tenths)
    }

    /// A failed write (EPIPE: the reader went away) is reported to `onOutputClosed` rather than trapping, as the
    /// non-throwing `FileHandle.write` would, before the demo stopped what it started.
    private func write(_ text: String) {
        do {
            try FileHandle.standardOutput.write(contentsOf: Data(text.utf8))
        } catch {
            outputClosed.withLock { handler in
                defer { handler = nil }
                return handler
            }?()
        }
    }
}
