import GitOpsKit
import GoTemplate

/// `toToml`: BurntSushi/toml v1.4's encoder over template values.
///
/// Within a table, keys with plain values come first, then sub-tables and arrays of tables, each group sorted;
/// nested table contents are indented two spaces per level; nil values are left out; floats always carry a
/// decimal point. A value that cannot be encoded gives the encoder's error text, as Helm returns it.
struct TOMLEncoder {
    private var out = ""
    private var hasWritten = false

    struct EncodeError: Error {
        var message: String
    }

    static func encode(_ value: TemplateValue) -> String {
        if value.containsCycle { return "toml: cannot encode a map that contains itself" }
        var encoder = TOMLEncoder()
        do {
            try encoder.encode(key: [], value)
        } catch {
            return error.message
        }
        return encoder.out
    }

    private mutating func write(_ text: String) {
        out += text
        hasWritten = true
    }

    private mutating func newline() {
        if hasWritten { write("\n") }
    }

    private static func isTable(_ value: TemplateValue) throws(EncodeError) -> Bool {
        switch value {
        case .map, .dict: return true
        case .list(let elements): return try isTableArray(elements)
        default: return false
        }
    }

    private static func isTableArray(_ elements: [TemplateValue]) throws(EncodeError) -> Bool {
        guard !elements.isEmpty else { return false }
        var all = true
        for element in elements {
            if case .null = element { throw EncodeError(message: "toml: cannot encode array with nil element") }
            if element.mapMembers == nil { all = false }
        }
        return all
    }

    private mutating func encode(key: [String], _ value: TemplateValue) throws(EncodeError) {
        switch value {
        case .dict(let map): try encode(key: key, .map(map.members))
        case .null, .nilList, .function: return
        case .bool, .int, .int64, .float, .string, .object:
            try writeKeyValue(key, value, inline: false)
        case .list(let elements):
            if try Self.isTableArray(elements) {
                try arrayOfTables(key, elements)
            } else {
                try writeKeyValue(key, value, inline: false)
            }
        case .map(let members):
            if key.count == 1 { newline() }
            if !key.isEmpty {
                write(indent(key) + "[" + Self.keyText(key) + "]")
                newline()
            }
            try encodeMap(key, members, inline: false)
        }
    }

    private mutating func arrayOfTables(_ key: [String], _ elements: [TemplateValue]) throws(EncodeError) {
        guard !key.isEmpty else { throw EncodeError(message: "toml: top-level values must be Go maps or structs") }
        for members in elements.compactMap(\.mapMembers) {
            newline()
            write(indent(key) + "[[" + Self.keyText(key) + "]]")
            newline()
            try encodeMap(key, members, inline: false)
        }
    }

    private mutating func encodeMap(_ key: [String], _ members: [String: TemplateValue], inline: Bool) throws(EncodeError) {
        var direct: [String] = []
        var sub: [String] = []
        for (name, member) in members {
            if try Self.isTable(member) { sub.append(name) } else { direct.append(name) }
        }
        if inline { write("{") }
        try writeKeys(direct.sorted(), key, members, inline: inline, trailingComma: !sub.isEmpty)
        try writeKeys(sub.sorted(), key, members, inline: inline, trailingComma: false)
        if inline { write("}") }
    }

    private mutating func writeKeys(
        _ names: [String], _ key: [String], _ members: [String: TemplateValue], inline: Bool, trailingComma: Bool
    ) throws(EncodeError) {
        for (index, name) in names.enumerated() {
            guard let member = members[name] else { continue }
            if case .null = member { continue }
            if inline {
                try writeKeyValue([name], member, inline: true)
                if trailingComma || index != names.count - 1 { write(", ") }
            } else {
                try encode(key: key + [name], member)
            }
        }
    }

    private mutating func writeKeyValue(_ key: [String], _ value: TemplateValue, inline: Bool) throws(EncodeError) {
        if key.isEmpty {
            try element(value)
            return
        }
        write(indent(key) + Self.quotedIfNeeded(key[key.count - 1]) + " = ")
        try element(value)
        if !inline { newline() }
    }

    private mutating func element(_ value: TemplateValue) throws(EncodeError) {
        switch value {
        case .string(let string): write("\"" + Self.escape(string) + "\"")
        case .bool(let bool): write(bool ? "true" : "false")
        case .int(let int), .int64(let int): write(String(int))
        case .float(let double): write(Self.floatText(double))
        case .list(let elements):
            write("[")
            for (index, element) in elements.enumerated() {
                try self.element(element)
                if index != elements.count - 1 { write(", ") }
            }
            write("]")
        case .map(let members): try encodeMap([], members, inline: true)
        case .dict(let map): try encodeMap([], map.members, inline: true)
        case .nilList: write("[]")
        case .object(let object): write("\"" + Self.escape(object.formatted) + "\"")
        case .null, .function: throw EncodeError(message: "toml: cannot encode a nil value")
        }
    }

    private func indent(_ key: [String]) -> String {
        String(repeating: "  ", count: max(key.count - 1, 0))
    }

    /// `strconv.FormatFloat(f, 'f', -1, 64)` with `.0` added when there is no decimal point; `nan`, `inf`.
    static func floatText(_ value: Double) -> String {
        if value.isNaN { return value.sign == .minus ? "-nan" : "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        let text = fixedShortest(value)
        return text.contains(".") ? text : text + ".0"
    }

    /// The shortest round-trip digits of `value` written without an exponent.
    static func fixedShortest(_ value: Double) -> String {
        let json = GoFloatFormatting.formatJSON(value)
        guard let e = json.firstIndex(where: { $0 == "e" || $0 == "E" }), let exponent = Int(json[json.index(after: e)...]) else {
            return json
        }
        var mantissa = String(json[..<e])
        let negative = mantissa.hasPrefix("-")
        if negative { mantissa.removeFirst() }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let digits = parts.joined()
        let point = parts[0].count + exponent
        var result: String
        if point <= 0 {
            result = "0." + String(repeating: "0", count: -point) + digits
        } else if point >= digits.count {
            result = digits + String(repeating: "0", count: point - digits.count)
        } else {
            let index = digits.index(digits.startIndex, offsetBy: point)
            result = digits[..<index] + "." + digits[index...]
        }
        return (negative ? "-" : "") + result
    }

    static func keyText(_ key: [String]) -> String {
        key.map(quotedIfNeeded).joined(separator: ".")
    }

    static func quotedIfNeeded(_ name: String) -> String {
        if name.isEmpty { return "\"\"" }
        let bare = name.unicodeScalars.allSatisfy { scalar in
            ("A"..."Z").contains(scalar) || ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
                || scalar == "_" || scalar == "-"
        }
        return bare ? name : "\"" + escape(name) + "\""
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{08}": out += "\\b"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\u{0C}": out += "\\f"
            case "\r": out += "\\r"
            case "\u{00}"..."\u{1F}", "\u{7F}":
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
