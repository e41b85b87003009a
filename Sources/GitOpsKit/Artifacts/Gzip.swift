/// Whole-buffer gzip for small payloads (Helm release records), on the same zlib streams the artifact archiver uses.
public enum Gzip {
    /// `bytes` gzip-compressed at zlib `level` (0…9; -1 is zlib's default, 6). The header carries no name and a zero
    /// mtime, so equal inputs give equal outputs.
    public static func compress(_ bytes: [UInt8], level: Int32 = -1) throws(ArchiveError) -> [UInt8] {
        var output: [UInt8] = []
        do {
            let compressor = try GzipCompressor(level: level) { output.append(contentsOf: $0) }
            try compressor.write(bytes)
            try compressor.finish()
        } catch let error as ArchiveError {
            throw error
        } catch {
            throw .corrupt("\(error)")
        }
        return output
    }

    /// Decompresses a gzip stream, refusing output larger than `limit` bytes (a gzip bomb).
    public static func decompress(_ bytes: [UInt8], limit: Int) throws(ArchiveError) -> [UInt8] {
        var output: [UInt8] = []
        do {
            let decompressor = try GzipDecompressor { chunk in
                guard output.count + chunk.count <= limit else { throw ArchiveError.totalSizeExceeded(limit: Int64(limit)) }
                output.append(contentsOf: chunk)
            }
            try bytes.withUnsafeBytes { try decompressor.write($0) }
            try decompressor.finish()
        } catch let error as ArchiveError {
            throw error
        } catch {
            throw .corrupt("\(error)")
        }
        return output
    }

    /// Whether `bytes` start with the gzip magic and deflate method (what Helm checks before inflating a record).
    public static func isGzip(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.starts(with: [0x1f, 0x8b, 0x08])
    }
}
