import COpenSSL

/// AES-256 in CBC mode without padding (the caller pads), on libcrypto: Go's `cipher.NewCBCEncrypter` /
/// `NewCBCDecrypter` `CryptBlocks` over an `aes.NewCipher` block.
public enum AESCBC {
    /// A failed operation: a key or IV of the wrong size, or input that is not whole 16-byte blocks.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static let blockSize = 16

    /// `input` encrypted with the 32-byte `key` and 16-byte `iv`.
    public static func encrypt(key: [UInt8], iv: [UInt8], input: [UInt8]) throws(Failure) -> [UInt8] {
        try crypt(key: key, iv: iv, input: input, encrypting: true)
    }

    /// `input` decrypted with the 32-byte `key` and 16-byte `iv`.
    public static func decrypt(key: [UInt8], iv: [UInt8], input: [UInt8]) throws(Failure) -> [UInt8] {
        try crypt(key: key, iv: iv, input: input, encrypting: false)
    }

    private static func crypt(key: [UInt8], iv: [UInt8], input: [UInt8], encrypting: Bool) throws(Failure) -> [UInt8] {
        guard key.count == 32 else { throw Failure(description: "crypto/aes: invalid key size \(key.count)") }
        guard iv.count == blockSize else { throw Failure(description: "cipher: IV length must equal block size") }
        guard input.count % blockSize == 0 else { throw Failure(description: "crypto/cipher: input not full blocks") }
        guard let context = EVP_CIPHER_CTX_new() else { throw Failure(description: "crypto/aes: no cipher context") }
        defer { EVP_CIPHER_CTX_free(context) }
        var out = [UInt8](repeating: 0, count: input.count + blockSize)
        var written: Int32 = 0
        var finished: Int32 = 0
        let ok = key.withUnsafeBufferPointer { keyBytes in
            iv.withUnsafeBufferPointer { ivBytes in
                input.withUnsafeBufferPointer { inputBytes in
                    out.withUnsafeMutableBufferPointer { outBytes -> Bool in
                        guard EVP_CipherInit_ex(context, EVP_aes_256_cbc(), nil, keyBytes.baseAddress, ivBytes.baseAddress,
                                                encrypting ? 1 : 0) == 1,
                              EVP_CIPHER_CTX_set_padding(context, 0) == 1,
                              EVP_CipherUpdate(context, outBytes.baseAddress, &written, inputBytes.baseAddress,
                                               Int32(inputBytes.count)) == 1
                        else { return false }
                        return EVP_CipherFinal_ex(context, outBytes.baseAddress.map { $0 + Int(written) }, &finished) == 1
                    }
                }
            }
        }
        guard ok else { throw Failure(description: "crypto/aes: cipher operation failed") }
        return Array(out.prefix(Int(written + finished)))
    }
}
