import GoTemplate

/// The JSON text gojsonschema compares `enum` and `const` with (its `marshalWithoutNumber`): Go's `json.Marshal`
/// after a round trip through `float64`, so `1`, `1.0` and `1e0` are one value, keys are sorted, and `<`, `>`, `&`
/// are escaped as Go escapes them for HTML safety.
enum SchemaCanonicalJSON {
    static func text(of value: TemplateValue) -> String {
        var out = ""
        write(value, into: &out)
        return out
    }

    private static func write(_ value: TemplateValue, into out: inout String) {
        switch value {
        case .dict(let map): write(.map(map.members), into: &out)
        case .null, .nilList, .object, .function: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .int(let number), .int64(let number): out += SchemaDecimal(Double(number))?.goJSONText ?? "null"
        case .float(let number): out += SchemaDecimal(number)?.goJSONText ?? "null"
        case .string(let text): writeString(text, into: &out)
        case .list(let elements):
            out += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { out += "," }
                write(element, into: &out)
            }
            out += "]"
        case .map(let members):
            out += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { out += "," }
                writeString(key, into: &out)
                out += ":"
                write(members[key] ?? .null, into: &out)
            }
            out += "}"
        }
    }

    private static func writeString(_ text: String, into out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                out += "\\u" + hex4(scalar.value)
            default:
                if scalar.value < 0x20 {
                    out += "\\u" + hex4(scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    private static func hex4(_ value: UInt32) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(value >> 12 & 0xF)], digits[Int(value >> 8 & 0xF)], digits[Int(value >> 4 & 0xF)],
                       digits[Int(value & 0xF)]])
    }
}
