import COpenSSL

/// A hash function, named as in Flux's `sha256:<hex>` digests and OCI descriptors.
public enum DigestAlgorithm: String, Sendable, Hashable, CaseIterable {
    case sha1
    case sha256
    case sha512

    /// Length of the digest in bytes.
    public var byteCount: Int {
        switch self {
        case .sha1: 20
        case .sha256: 32
        case .sha512: 64
        }
    }

    /// libcrypto's built-in method table (static; never freed).
    var messageDigest: OpaquePointer? {
        switch self {
        case .sha1: EVP_sha1()
        case .sha256: EVP_sha256()
        case .sha512: EVP_sha512()
        }
    }
}
