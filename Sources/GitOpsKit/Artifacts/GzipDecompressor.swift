import CZlib

/// Streams gzip input through zlib's inflate, handing decompressed bytes to a sink as they appear.
///
/// Accepts one gzip member followed by further members (as `gzip -c a b` writes) and rejects trailing garbage.
/// Owned by one reader; not `Sendable`.
final class GzipDecompressor {
    typealias Sink = (UnsafeRawBufferPointer) throws -> Void

    private let stream: UnsafeMutablePointer<z_stream>
    private var output: [UInt8]
    private let sink: Sink
    /// True between members: the previous member ended and no byte of the next was seen yet.
    private var atMemberBoundary = false
    private var sawInput = false

    init(bufferSize: Int = 64 * 1024, sink: @escaping Sink) throws(ArchiveError) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        output = [UInt8](repeating: 0, count: bufferSize)
        self.sink = sink
        let status = gok_inflate_init_gzip(stream)
        guard status == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw .corrupt("zlib inflateInit2 failed (\(status))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Decompresses the next chunk of the gzip stream.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        sawInput = true
        stream.pointee.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(bytes.count)
        let capacity = output.count
        while true {
            if atMemberBoundary {
                guard stream.pointee.avail_in > 0 else { return }
                guard inflateReset(stream) == Z_OK else { throw ArchiveError.corrupt("gzip: cannot start next member") }
                atMemberBoundary = false
            }
            let (status, produced) = output.withUnsafeMutableBytes { buffer -> (Int32, Int) in
                stream.pointee.next_out = buffer.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = uInt(capacity)
                let status = inflate(stream, Z_NO_FLUSH)
                return (status, capacity - Int(stream.pointee.avail_out))
            }
            switch status {
            case Z_OK, Z_BUF_ERROR:
                break
            case Z_STREAM_END:
                atMemberBoundary = true
            default:
                let reason = stream.pointee.msg.map { String(cString: $0) } ?? "error \(status)"
                throw ArchiveError.corrupt("gzip: \(reason)")
            }
            if produced > 0 { try output.withUnsafeBytes { try sink(UnsafeRawBufferPointer(rebasing: $0[..<produced])) } }
            if atMemberBoundary { continue }
            // More output may be pending only when the buffer filled up; otherwise all input is consumed.
            if produced < capacity && (stream.pointee.avail_in == 0 || status == Z_BUF_ERROR) { return }
        }
    }

    /// Checks the stream ended cleanly (not truncated mid-member).
    func finish() throws(ArchiveError) {
        guard sawInput else { throw .corrupt("empty gzip stream") }
        guard atMemberBoundary else { throw .corrupt("gzip stream truncated") }
    }
}
