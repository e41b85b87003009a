/// Splitting at `=` bytes, as Go's `strings` functions do (not at grapheme clusters, which could hide an `=` that
/// a combining mark follows).
enum ByteSplit {
    static let equals = UInt8(ascii: "=")

    /// The text before and after the first `=`, or nil without one.
    static func atFirstEquals(_ text: String) -> (String, String)? {
        let bytes = Array(text.utf8)
        guard let index = bytes.firstIndex(of: equals) else { return nil }
        return (String(decoding: bytes[..<index], as: UTF8.self), String(decoding: bytes[(index + 1)...], as: UTF8.self))
    }

    /// Every piece between `=` bytes, empty pieces included.
    static func atEquals(_ text: String) -> [String] {
        Array(text.utf8).split(separator: equals, omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
    }
}
