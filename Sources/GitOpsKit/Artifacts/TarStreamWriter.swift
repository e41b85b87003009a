#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes tar entries into a gzip stream: headers, file contents padded to whole blocks, and the end marker.
final class TarStreamWriter {
    private let compressor: GzipCompressor
    private var buffer: [UInt8]

    init(compressionLevel: Int32, bufferSize: Int = 64 * 1024, sink: @escaping GzipCompressor.Sink) throws(ArchiveError) {
        compressor = try GzipCompressor(level: compressionLevel, sink: sink)
        buffer = [UInt8](repeating: 0, count: bufferSize)
    }

    /// Writes a header-only entry (a directory).
    func append(_ header: TarHeader) throws {
        try compressor.write(header.encodedBlocks())
    }

    /// Writes a regular file entry, streaming exactly `size` bytes of `path`.
    func appendFile(at path: String, name: String, mode: Int64, size: Int64) throws {
        let file = try POSIXFile(path: path, flags: O_RDONLY | O_NOFOLLOW)
        try compressor.write(TarHeader(name: name, mode: mode, size: size, typeFlag: TarHeader.EntryType.regular.rawValue).encodedBlocks())
        var remaining = size
        while remaining > 0 {
            let want = Int(min(Int64(buffer.count), remaining))
            let count = try buffer.withUnsafeMutableBytes { raw throws(FileSystemError) in
                try file.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[..<want]))
            }
            guard count > 0 else {
                throw ArchiveError.corrupt("\(name) shrank while it was being archived")
            }
            try buffer.withUnsafeBytes { try compressor.write(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
            remaining -= Int64(count)
        }
        let padding = TarHeader.padding(for: size)
        if padding > 0 { try compressor.write([UInt8](repeating: 0, count: padding)) }
    }

    /// Writes a regular file entry whose contents are in memory (e.g. a Git blob).
    func appendFile(contents: UnsafeRawBufferPointer, name: String, mode: Int64) throws {
        let size = Int64(contents.count)
        try compressor.write(TarHeader(name: name, mode: mode, size: size, typeFlag: TarHeader.EntryType.regular.rawValue).encodedBlocks())
        if !contents.isEmpty { try compressor.write(contents) }
        let padding = TarHeader.padding(for: size)
        if padding > 0 { try compressor.write([UInt8](repeating: 0, count: padding)) }
    }

    /// Writes the two zero blocks that end a tar archive and closes the gzip stream.
    func finish() throws {
        try compressor.write([UInt8](repeating: 0, count: 2 * TarHeader.blockSize))
        try compressor.finish()
    }
}
