#if canImport(Glibc)
import Glibc
#endif

/// Sizes as Go's `units.HumanSize` prints them in Flux's events (`1.234kB`).
enum HumanSize {
    static func format(_ bytes: Int64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var index = 0
        while value >= 1000 && index < units.count - 1 {
            value /= 1000
            index += 1
        }
        return formatG4(value) + units[index]
    }

    /// C's `%.4g` (what Go's `%.4g` prints for these magnitudes).
    private static func formatG4(_ value: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 32)
        let length = withVaList([value]) { vsnprintf(&buffer, buffer.count, "%.4g", $0) }
        guard length > 0 else { return "\(value)" }
        return String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
