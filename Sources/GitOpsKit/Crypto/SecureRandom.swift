import COpenSSL

/// Cryptographically secure random bytes (tokens, nonces, webhook secrets).
public enum SecureRandom {
    /// `count` random bytes from libcrypto's DRBG.
    public static func bytes(_ count: Int) -> [UInt8] {
        guard count > 0 else { return [] }
        var out = [UInt8](repeating: 0, count: count)
        let ok = out.withUnsafeMutableBufferPointer { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let chunk = min(buffer.count - offset, Int(Int32.max))
                guard let base = buffer.baseAddress, RAND_bytes(base + offset, Int32(chunk)) == 1 else { return false }
                offset += chunk
            }
            return true
        }
        if !ok {
            // libcrypto could not seed its generator; the system generator (getrandom) is also a CSPRNG.
            var generator = SystemRandomNumberGenerator()
            for index in out.indices { out[index] = generator.next() }
        }
        return out
    }
}
