import GoTemplate

/// Go's `encoding/json` output for template values: sorted keys, `<`, `>`, `&` escaped unless `escapeHTML` is
/// off, floats in Go's shortest form (`1e+21`, `1e-7`), NaN and infinities refused.
enum GoJSON {
    static func encode(_ value: TemplateValue, escapeHTML: Bool, indent: Bool) throws(SprigError) -> String {
        if value.containsCycle {
            throw SprigError("json: unsupported value: encountered a cycle via \(value.goTypeName)")
        }
        var out = ""
        try write(value, into: &out, escapeHTML: escapeHTML, indent: indent ? "" : nil)
        return out
    }

    private static func write(_ value: TemplateValue, into out: inout String, escapeHTML: Bool, indent: String?) throws(SprigError) {
        switch value {
        case .dict(let map): try write(.map(map.members), into: &out, escapeHTML: escapeHTML, indent: indent)
        case .null: out += "null"
        case .bool(let bool): out += bool ? "true" : "false"
        case .int(let int), .int64(let int): out += String(int)
        case .float(let double):
            guard double.isFinite else {
                throw SprigError("json: unsupported value: \(GoFormat.format(.float(double)))")
            }
            out += number(double)
        case .string(let string): quote(string, into: &out, escapeHTML: escapeHTML)
        case .nilList: out += "null"
        case .list(let items):
            if items.isEmpty {
                out += "[]"
                return
            }
            out += "["
            let inner = indent.map { $0 + "  " }
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                if let inner { out += "\n" + inner }
                try write(item, into: &out, escapeHTML: escapeHTML, indent: inner)
            }
            if let indent { out += "\n" + indent }
            out += "]"
        case .map(let members):
            if members.isEmpty {
                out += "{}"
                return
            }
            out += "{"
            let inner = indent.map { $0 + "  " }
            for (index, key) in members.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
                if index > 0 { out += "," }
                if let inner { out += "\n" + inner }
                quote(key, into: &out, escapeHTML: escapeHTML)
                out += inner == nil ? ":" : ": "
                try write(members[key] ?? .null, into: &out, escapeHTML: escapeHTML, indent: inner)
            }
            if let indent { out += "\n" + indent }
            out += "}"
        case .object(let object):
            if let json = object as? any GoJSONRepresentable {
                try write(json.goJSONValue, into: &out, escapeHTML: escapeHTML, indent: indent)
            } else {
                out += "{}"
            }
        case .function:
            throw SprigError("json: unsupported type: \(value.goTypeName)")
        }
    }

    /// `strconv.FormatFloat(f, 'f' or 'e', -1, 64)` as `encoding/json` picks between them.
    static func number(_ double: Double) -> String {
        let magnitude = abs(double)
        let exponential = magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21)
        let shortest = ShortestDecimal(double)
        if exponential {
            // Go's cleanup: e-07 → e-7 (but e+21 keeps its digits).
            let text = shortest.exponential
            let bytes = Array(text.utf8)
            let n = bytes.count
            if n >= 4, bytes[n - 4] == UInt8(ascii: "e"), bytes[n - 3] == UInt8(ascii: "-"), bytes[n - 2] == UInt8(ascii: "0") {
                return GoStrings.string(bytes[..<(n - 2)] + [bytes[n - 1]])
            }
            return text
        }
        return shortest.fixed
    }

    static func quote(_ string: String, into out: inout String, escapeHTML: Bool) {
        let hex = Array("0123456789abcdef")
        out += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "<" where escapeHTML, ">" where escapeHTML, "&" where escapeHTML:
                out += "\\u00" + String(hex[Int(scalar.value >> 4)]) + String(hex[Int(scalar.value & 0xF)])
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    out += "\\u00" + String(hex[Int(scalar.value >> 4)]) + String(hex[Int(scalar.value & 0xF)])
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

/// A template object with a JSON form (Go's `MarshalJSON`, or its exported fields).
protocol GoJSONRepresentable {
    var goJSONValue: TemplateValue { get }
}

/// The shortest decimal digits that round-trip a float64 (what Go's `-1` precision prints), in either layout.
struct ShortestDecimal {
    var negative: Bool
    /// Significant digits without leading or trailing zeros ("0" for zero).
    var digits: [Character]
    /// The value is 0.DIGITS × 10^exponent.
    var exponent: Int

    init(_ value: Double) {
        negative = value.sign == .minus
        // Go's %v ("1.5e+21", "1e-07", "123.25") carries exactly the shortest digits and the exponent.
        let precise = GoFormat.format(.float(abs(value)))
        var mantissa = precise
        var power = 0
        if let e = precise.firstIndex(where: { $0 == "e" }) {
            mantissa = String(precise[..<e])
            power = Int(precise[precise.index(after: e)...]) ?? 0
        }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let integral = parts.first.map(String.init) ?? "0"
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        var all = Array(integral + fraction)
        var pointPosition = integral.count + power
        while all.count > 1, all.first == "0" {
            all.removeFirst()
            pointPosition -= 1
        }
        while all.count > 1, all.last == "0" { all.removeLast() }
        if all == ["0"] { pointPosition = 1 }
        digits = all
        exponent = pointPosition
    }

    /// `%f`-style with no more digits than needed.
    var fixed: String {
        var text = negative ? "-" : ""
        if digits == ["0"] { return text + "0" }
        if exponent <= 0 {
            text += "0." + String(repeating: "0", count: -exponent) + String(digits)
        } else if exponent >= digits.count {
            text += String(digits) + String(repeating: "0", count: exponent - digits.count)
        } else {
            text += String(digits[..<exponent]) + "." + String(digits[exponent...])
        }
        return text
    }

    /// `%e`-style with no more digits than needed (`1e+21`, `1.5e-07`).
    var exponential: String {
        var text = negative ? "-" : ""
        text += String(digits[0])
        if digits.count > 1 { text += "." + String(digits[1...]) }
        let power = digits == ["0"] ? 0 : exponent - 1
        text += power < 0 ? "e-" : "e+"
        let magnitude = abs(power)
        text += magnitude < 10 ? "0\(magnitude)" : "\(magnitude)"
        return text
    }
}
