import COpenSSL

/// A hash computed over data that arrives in pieces (an artifact streamed to disk, a download).
///
/// A value type: copying a digest forks it, so the copy can be finished while the original keeps hashing.
///
/// Usage:
/// ```swift
/// var digest = StreamingDigest(.sha256)
/// digest.update(chunk)
/// let hex = digest.finalize().hexString
/// ```
public struct StreamingDigest: Sendable {
    public let algorithm: DigestAlgorithm
    private var context: Context

    /// Starts an empty digest.
    public init(_ algorithm: DigestAlgorithm) {
        self.algorithm = algorithm
        self.context = Context(algorithm)
    }

    /// Adds raw bytes.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        if !isKnownUniquelyReferenced(&context) { context = context.copy() }
        context.update(base, count: bytes.count)
    }

    /// Adds the bytes of an array.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Adds the bytes of any sequence (contiguous collections such as `Data` or `String.UTF8View` are not copied).
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if done == nil { update(Array(bytes)) }
    }

    /// The digest of everything added so far; the value stays usable and can keep hashing.
    public func finalize() -> [UInt8] {
        context.digest()
    }
}

extension StreamingDigest {
    /// Owns one `EVP_MD_CTX`.
    ///
    /// `@unchecked Sendable`: the context is mutated only by `StreamingDigest.update` after
    /// `isKnownUniquelyReferenced` proved no other value shares it (copy-on-write, as `Array` storage), and
    /// `digest()` only reads it (it finishes a copy), so shared instances are never written concurrently.
    fileprivate final class Context: @unchecked Sendable {
        private let handle: OpaquePointer?

        init(_ algorithm: DigestAlgorithm) {
            handle = EVP_MD_CTX_new()
            if let handle, EVP_DigestInit_ex(handle, algorithm.messageDigest, nil) != 1 {
                EVP_MD_CTX_reset(handle)
            }
        }

        private init(copying other: Context) {
            handle = other.handle == nil ? nil : EVP_MD_CTX_new()
            if let handle, EVP_MD_CTX_copy_ex(handle, other.handle) != 1 {
                EVP_MD_CTX_reset(handle)
            }
        }

        deinit { EVP_MD_CTX_free(handle) }

        func copy() -> Context { Context(copying: self) }

        func update(_ bytes: UnsafeRawPointer, count: Int) {
            guard let handle else { return }
            _ = EVP_DigestUpdate(handle, bytes, count)
        }

        /// The digest so far (empty only if libcrypto could not allocate a context).
        func digest() -> [UInt8] {
            let finished = copy()
            guard let finishedHandle = finished.handle else { return [] }
            var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
            var length: UInt32 = 0
            let ok = out.withUnsafeMutableBufferPointer { buffer in
                EVP_DigestFinal_ex(finishedHandle, buffer.baseAddress, &length)
            }
            guard ok == 1 else { return [] }
            return Array(out.prefix(Int(length)))
        }
    }
}
