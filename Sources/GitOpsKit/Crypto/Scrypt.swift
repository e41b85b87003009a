import COpenSSL

/// The scrypt key derivation function (RFC 7914), on libcrypto.
public enum Scrypt {
    /// A failed derivation: parameters libcrypto rejects (N not a power of two, too much memory).
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// `length` bytes derived from `password` and `salt` with cost `n`, block size `r` and parallelism `p`.
    public static func key(
        password: [UInt8], salt: [UInt8], n: UInt64, r: UInt64, p: UInt64, length: Int
    ) throws(Failure) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: length)
        // scrypt needs 128·r·(N + p) bytes; allow that plus headroom instead of libcrypto's 32 MiB default.
        let memory = 128 * r * (n + p) + 1 << 20
        let result = password.withUnsafeBufferPointer { passwordBytes in
            salt.withUnsafeBufferPointer { saltBytes in
                out.withUnsafeMutableBufferPointer { buffer in
                    passwordBytes.withMemoryRebound(to: CChar.self) { passwordChars in
                        EVP_PBE_scrypt(passwordChars.baseAddress, passwordChars.count, saltBytes.baseAddress, saltBytes.count,
                                       n, r, p, memory, buffer.baseAddress, buffer.count)
                    }
                }
            }
        }
        guard result == 1 else { throw Failure(description: "scrypt: invalid parameters N=\(n) r=\(r) p=\(p)") }
        return out
    }
}
