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

    /// Go's float64 JSON form: shortest round-trip digits, exponent notation below 1e-6 and from 1e21 on
    /// (exponent without a leading zero).
    private static func format(_ number: Double) -> String {
        guard number.isFinite else { return "null" }
        let magnitude = abs(number)
        if magnitude != 0, magnitude < 1e-6 || magnitude >= 1e21 {
            // Swift's description is shortest round-trip, e.g. "1e+21", "1e-07", "1.5e-07".
            var text = "\(number)"
            if let e = text.firstIndex(of: "e") {
                var exponent = String(text[text.index(after: e)...])
                let sign = exponent.first == "-" ? "-" : "+"
                exponent = String(exponent.drop(while: { $0 == "+" || $0 == "-" }))
                while exponent.count > 2, exponent.first == "0" { exponent.removeFirst() }
                if exponent.count == 2, exponent.first == "0" { exponent.removeFirst() }
                text = String(text[..<e]) + "e" + sign + exponent
            }
            return text
        }
        if let exact = Int64(exactly: number) { return String(exact) }
        return "\(number)"
    }
}
