import COpenSSL

/// Keyed-hash message authentication codes (RFC 2104), for webhook signatures (`generic-hmac` providers,
/// GitHub/GitLab receivers).
public enum HMAC {
    /// The MAC of `message` under `key`.
    public static func code(_ algorithm: DigestAlgorithm, key: [UInt8], message: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let result = key.withUnsafeBytes { keyBytes in
            message.withUnsafeBufferPointer { messageBytes in
                out.withUnsafeMutableBufferPointer { buffer in
                    // A non-null pointer even for empty inputs: libcrypto treats NULL data specially.
                    let emptyKey: StaticString = ""
                    return COpenSSL.HMAC(
                        algorithm.messageDigest, keyBytes.baseAddress ?? UnsafeRawPointer(emptyKey.utf8Start),
                        Int32(clamping: keyBytes.count), messageBytes.baseAddress ?? emptyKey.utf8Start, messageBytes.count,
                        buffer.baseAddress, &length)
                }
            }
        }
        guard result != nil else { return [] }
        return Array(out.prefix(Int(length)))
    }

    /// The MAC of a UTF-8 message, e.g. a request body read as text.
    public static func code(_ algorithm: DigestAlgorithm, key: [UInt8], message: some StringProtocol) -> [UInt8] {
        code(algorithm, key: key, message: Array(message.utf8))
    }

    /// Whether `mac` is the MAC of `message` under `key`, compared in constant time.
    public static func isValid(_ mac: [UInt8], algorithm: DigestAlgorithm, key: [UInt8], message: [UInt8]) -> Bool {
        ConstantTime.equals(code(algorithm, key: key, message: message), mac)
    }
}
