/// A `literals` entry: `key=value`, split at the first `=`; a value wrapped in matching single or double quotes
/// loses them (only when both ends carry the same quote), as kustomize's kv loader does.
enum LiteralSource {
    static func parse(_ source: String) -> (key: String, value: String)? {
        guard let (key, value) = ByteSplit.atFirstEquals(source), !key.isEmpty else { return nil }
        return (key, removingQuotes(value))
    }

    private static func removingQuotes(_ text: String) -> String {
        let bytes = Array(text.utf8)
        guard bytes.count >= 2, let first = bytes.first, first == bytes.last,
            first == UInt8(ascii: "\"") || first == UInt8(ascii: "'")
        else { return text }
        return String(decoding: bytes[1..<(bytes.count - 1)], as: UTF8.self)
    }
}
