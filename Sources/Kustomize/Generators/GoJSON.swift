import GitOpsKit

/// A value encoded exactly as Go's `encoding/json.Marshal` writes it after a round trip through `interface{}`
/// (map keys sorted by bytes, numbers as float64, HTML-safe string escapes), which kustomize's hash is taken over.
indirect enum GoJSON {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([GoJSON])
    case object([String: GoJSON])

    init(_ fields: [String: JSONValue]) {
        self = .object(fields.mapValues(GoJSON.init))
    }

    init(_ value: JSONValue) {
        switch value {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .int(let number): self = .number(Double(number))
        case .double(let number): self = .number(number)
        case .string(let text): self = .string(text)
        case .array(let items): self = .array(items.map(GoJSON.init))
        case .object(let fields): self = GoJSON(fields)
        }
    }

    func encoded() -> [UInt8] {
        var out: [UInt8] = []
        write(to: &out)
        return out
    }

    private func write(to out: inout [UInt8]) {
        switch self {
        case .null: out += Array("null".utf8)
        case .bool(let flag): out += Array((flag ? "true" : "false").utf8)
        case .number(let number): out += Array(Self.format(number).utf8)
        case .string(let text): Self.writeString(text, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                item.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let fields):
            out.append(UInt8(ascii: "{"))
            let keys = fields.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            for (index, key) in keys.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                Self.writeString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                fields[key]?.write(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func writeString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += Array(#"\""#.utf8)
            case "\\": out += Array(#"\\"#.utf8)
            case "\u{08}": out += Array(#"\b"#.utf8)
            case "\u{0C}": out += Array(#"\f"#.utf8)
            case "\n": out += Array(#"\n"#.utf8)
            case "\r": out += Array(#"\r"#.utf8)
            case "\t": out += Array(#"\t"#.utf8)
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                writeUnicodeEscape(scalar.value, to: &out)
            default:
                if scalar.value < 0x20 {
                    writeUnicodeEscape(scalar.value, to: &out)
                } else {
                    out += Array(String(scalar).utf8)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func writeUnicodeEscape(_ value: UInt32, to out: inout [UInt8]) {
        out += Array(#"\u"#.utf8)
        for shift in stride(from: 12, through: 0, by: -4) {
            out.append(hexDigits[Int((value >> UInt32(shift)) & 0xF)])
        }
    }

    /// Go's float64 JSON form: shortest round-trip digits, in fixed notation from 1e-6 up to 1e21 and in exponent
    /// notation outside (`1e+21`, `1e-7`: a negative exponent loses its leading zero).
    static func format(_ number: Double) -> String {
        guard number.isFinite else { return "null" }
        if number == 0 { return number.sign == .minus ? "-0" : "0" }
        let (digits, point) = shortestDigits(abs(number))
        let sign = number < 0 ? "-" : ""
        let magnitude = abs(number)
        if magnitude < 1e-6 || magnitude >= 1e21 {
            let exponent = point - 1
            let mantissa = digits.count > 1 ? "\(digits.prefix(1)).\(digits.dropFirst())" : digits
            let exponentText = exponent < 0 ? "-\(-exponent)" : (exponent < 10 ? "+0\(exponent)" : "+\(exponent)")
            return sign + mantissa + "e" + exponentText
        }
        if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + digits }
        if point >= digits.count { return sign + digits + String(repeating: "0", count: point - digits.count) }
        return sign + digits.prefix(point) + "." + digits.dropFirst(point)
    }

    /// The shortest round-trip decimal digits of a positive finite `value` (no leading or trailing zeros) and the
    /// position of the decimal point: value = 0.digits × 10^point.
    private static func shortestDigits(_ value: Double) -> (digits: String, point: Int) {
        let text = "\(value)"  // Swift prints the shortest round-trip form, e.g. "123.45", "1e-05", "1.5e+20"
        let parts = text.split(separator: "e", maxSplits: 1)
        let exponent = parts.count == 2 ? Int(parts[1]) ?? 0 : 0
        let mantissa = parts[0].split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let integer = mantissa[0]
        var digits = Substring(integer + (mantissa.count == 2 ? mantissa[1] : ""))
        var point = integer.count + exponent
        while digits.first == "0" {
            digits = digits.dropFirst()
            point -= 1
        }
        while digits.last == "0" { digits = digits.dropLast() }
        return (String(digits), point)
    }
}
