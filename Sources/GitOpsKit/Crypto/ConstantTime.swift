import COpenSSL

/// Comparisons whose running time does not depend on where inputs differ, so a MAC check leaks nothing.
public enum ConstantTime {
    /// Whether `a` and `b` hold the same bytes; only their lengths influence the time taken.
    public static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return a.withUnsafeBytes { left in
            b.withUnsafeBytes { right in
                CRYPTO_memcmp(left.baseAddress, right.baseAddress, left.count) == 0
            }
        }
    }
}
