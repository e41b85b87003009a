/// Splits bytes into `\n`-terminated lines (dropping a trailing `\r`), remembering a partial last line.
public struct HTTPLineSplitter: Sendable {
    public let maximumLineSize: Int
    private var buffer: [UInt8] = []
    private var start = 0
    /// Where to resume looking for a newline (bytes before it, from `start`, hold none).
    private var scanned = 0

    public init(maximumLineSize: Int) { self.maximumLineSize = maximumLineSize }

    /// Bytes received but not yet returned as a line.
    public var pendingCount: Int { buffer.count - start }

    public mutating func append(_ bytes: some Collection<UInt8>) {
        if start > 0, start >= buffer.count / 2 {
            buffer.removeFirst(start)
            scanned -= start
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete line, or nil when none is complete yet.
    public mutating func nextLine() -> [UInt8]? {
        guard let newline = buffer[scanned...].firstIndex(of: UInt8(ascii: "\n")) else {
            scanned = buffer.count
            return nil
        }
        var end = newline
        if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let line = Array(buffer[start..<end])
        start = newline + 1
        scanned = start
        return line
    }

    /// The unterminated rest at the end of the body, or nil when there is none.
    public mutating func remainder() -> [UInt8]? {
        guard start < buffer.count else { return nil }
        var line = Array(buffer[start...])
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        buffer = []
        start = 0
        scanned = 0
        return line
    }
}
