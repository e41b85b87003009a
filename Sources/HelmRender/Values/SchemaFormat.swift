/// The `format` keyword. gojsonschema checks a dozen formats; this port is lax: only formats whose rules are short
/// and unambiguous are checked, every other (and every unknown) format passes, as unknown formats do in gojsonschema.
enum SchemaFormat {
    static func accepts(_ format: String, _ text: String) -> Bool {
        switch format {
        case "ipv4": return isIPv4(text)
        case "uuid": return isUUID(text)
        case "date": return isDate(text)
        default: return true
        }
    }

    /// Go's `net.ParseIP` for a dotted quad with no leading zeros, and no colon.
    private static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCIIDigit), let value = Int(part), value <= 255
            else { return false }
            if part.count > 1, part.first == "0" { return false }
        }
        return true
    }

    /// gojsonschema's UUID pattern: 8-4-4-4-12 hex digits, any case.
    private static func isUUID(_ text: String) -> Bool {
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12] else { return false }
        return groups.allSatisfy { $0.allSatisfy(\.isHexDigit) && $0.allSatisfy(\.isASCII) }
    }

    /// `time.Parse("2006-01-02", …)`: a real calendar day.
    private static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.map(\.count) == [4, 2, 2], parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month)
        else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return (1...lengths[month - 1]).contains(day)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
