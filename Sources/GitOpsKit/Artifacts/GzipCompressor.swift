import CZlib

/// Streams bytes through zlib's deflate with a gzip wrapper whose header carries no name and a zero mtime, so the
/// same input always gives the same output (the property artifact digests rely on).
///
/// Owned by one writer; not `Sendable`.
final class GzipCompressor {
    /// Receives compressed output as it is produced.
    typealias Sink = (UnsafeRawBufferPointer) throws -> Void

    private let stream: UnsafeMutablePointer<z_stream>
    private var output: [UInt8]
    private let sink: Sink
    private var finished = false

    /// - Parameter level: zlib level 0…9, or -1 (`Z_DEFAULT_COMPRESSION`, level 6 like Go's default).
    init(level: Int32 = Z_DEFAULT_COMPRESSION, bufferSize: Int = 64 * 1024, sink: @escaping Sink) throws(ArchiveError) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        output = [UInt8](repeating: 0, count: bufferSize)
        self.sink = sink
        let status = gok_deflate_init_gzip(stream, level)
        guard status == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw .corrupt("zlib deflateInit2 failed (\(status))")
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Compresses `bytes`, handing any full output buffers to the sink.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(bytes.count)
        try drive(flush: Z_NO_FLUSH)
    }

    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Flushes the deflate stream and writes the gzip trailer (CRC-32 and length).
    func finish() throws {
        guard !finished else { return }
        finished = true
        stream.pointee.next_in = nil
        stream.pointee.avail_in = 0
        try drive(flush: Z_FINISH)
    }

    private func drive(flush: Int32) throws {
        let capacity = output.count
        while true {
            let (status, produced) = output.withUnsafeMutableBytes { buffer -> (Int32, Int) in
                stream.pointee.next_out = buffer.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = uInt(capacity)
                let status = deflate(stream, flush)
                return (status, capacity - Int(stream.pointee.avail_out))
            }
            guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                throw ArchiveError.corrupt("zlib deflate failed (\(status))")
            }
            if produced > 0 { try output.withUnsafeBytes { try sink(UnsafeRawBufferPointer(rebasing: $0[..<produced])) } }
            if flush == Z_FINISH {
                if status == Z_STREAM_END { return }
            } else if stream.pointee.avail_in == 0 && produced < capacity {
                return
            }
        }
    }
}
