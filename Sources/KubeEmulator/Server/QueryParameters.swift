import Foundation

/// Query parameters decoded as Go's `url.ParseQuery` does (`+` is a space, percent escapes decoded).
struct QueryParameters: Sendable {
    private var values: [String: [String]] = [:]

    init(_ query: String?) {
        guard let query, !query.isEmpty else { return }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            values[key, default: []].append(value)
        }
    }

    subscript(_ key: String) -> String? { values[key]?.first }

    func all(_ key: String) -> [String] { values[key] ?? [] }

    /// `true`/`1` → true, `false`/`0` → false, absent → nil.
    func bool(_ key: String) -> Bool? {
        guard let value = self[key]?.lowercased() else { return nil }
        switch value {
        case "true", "1", "t": return true
        case "false", "0", "f", "": return false
        default: return nil
        }
    }

    static func decode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next(), let low = iterator.next(), let h = hex(high), let l = hex(low) else {
                    bytes.append(byte)
                    continue
                }
                bytes.append(h << 4 | l)
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Percent-decoding of a path segment (`+` stays a plus).
    static func decodePathSegment(_ text: Substring) -> String {
        guard text.contains("%") else { return String(text) }
        return decode(Substring(text.replacingOccurrences(of: "+", with: "%2B")))
    }

    private static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 65...70: return c - 55
        case 97...102: return c - 87
        default: return nil
        }
    }
}
