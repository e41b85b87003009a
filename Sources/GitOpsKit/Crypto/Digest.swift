import COpenSSL

/// One-shot digests of data already in memory.
public enum Digest {
    /// The digest of `bytes`.
    public static func compute(_ algorithm: DigestAlgorithm, _ bytes: some Sequence<UInt8>) -> [UInt8] {
        if let digest = bytes.withContiguousStorageIfAvailable({ oneShot(algorithm, UnsafeRawBufferPointer($0)) }) {
            return digest
        }
        return Array(bytes).withUnsafeBytes { oneShot(algorithm, $0) }
    }

    /// Lowercase hex SHA-256, as in Flux artifact digests (`sha256:<hex>`) and Receiver paths.
    public static func sha256Hex(_ bytes: some Sequence<UInt8>) -> String {
        compute(.sha256, bytes).hexString
    }

    /// `"<algorithm>:<hex>"`, e.g. `sha256:e3b0c442…`, the form Flux artifacts and OCI descriptors carry.
    public static func prefixedHex(_ algorithm: DigestAlgorithm, _ bytes: some Sequence<UInt8>) -> String {
        "\(algorithm.rawValue):\(compute(algorithm, bytes).hexString)"
    }

    private static func oneShot(_ algorithm: DigestAlgorithm, _ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let placeholder: StaticString = ""
        let base = bytes.baseAddress ?? UnsafeRawPointer(placeholder.utf8Start)
        let ok = out.withUnsafeMutableBufferPointer { buffer in
            EVP_Digest(base, bytes.count, buffer.baseAddress, &length, algorithm.messageDigest, nil)
        }
        guard ok == 1 else {
            // Only a broken libcrypto fails here; the streaming path gives the same answer or an empty one.
            var digest = StreamingDigest(algorithm)
            digest.update(bytes)
            return digest.finalize()
        }
        return Array(out.prefix(Int(length)))
    }
}
