import GitOpsKit

/// Writes a new value over a marked scalar's bytes, in the scalar's own style, leaving the rest of the file as it is.
///
/// A plain scalar stays plain when the new value reads back as the same string; otherwise it becomes double-quoted,
/// as kyaml's `FormatNonStringStyle` does for a tag such as `1.10` (a float when plain) or `true`.
public enum SetterRewriter {
    /// The YAML text for `value` written in `style`.
    public static func text(for value: String, style: MarkedScalar.Style, inFlow: Bool) -> String {
        switch style {
        case .plain:
            return isSafePlain(value, inFlow: inFlow) ? value : doubleQuoted(value)
        case .singleQuoted:
            guard value.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else { return doubleQuoted(value) }
            return "'" + value.replacing("'", with: "''") + "'"
        case .doubleQuoted:
            return doubleQuoted(value)
        }
    }

    /// `bytes` with each range replaced by its text; ranges must not overlap.
    public static func apply(_ replacements: [(range: Range<Int>, text: String)], to bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 64)
        var position = 0
        for replacement in replacements.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
            guard replacement.range.lowerBound >= position else { continue }
            output.append(contentsOf: bytes[position..<replacement.range.lowerBound])
            output.append(contentsOf: Array(replacement.text.utf8))
            position = replacement.range.upperBound
        }
        output.append(contentsOf: bytes[position...])
        return output
    }

    /// Whether `value` written plain reads back as the same string: a YAML 1.1 resolver (what kyaml and go-yaml
    /// v2 readers apply) must not see a bool, number, null or timestamp, and nothing may be taken as syntax.
    static func isSafePlain(_ value: String, inFlow: Bool) -> Bool {
        guard let first = value.unicodeScalars.first, let last = value.unicodeScalars.last else { return false }
        if first == " " || last == " " || first == "\t" || last == "\t" { return false }
        if value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == "\u{FEFF}" || $0 == "\u{85}" }) {
            return false
        }
        if inFlow, value.unicodeScalars.contains(where: { ",[]{}".unicodeScalars.contains($0) }) { return false }
        if isBase60Number(value) { return false }
        // The reader decides: `k: <value>` must decode to exactly this string.
        guard let decoded = try? YAML.decode("k: " + value + "\n") else { return false }
        return decoded["k"] == .string(value)
    }

    /// YAML 1.1 sexagesimal numbers (`1:20`, `-3:25:45.5`), which go-yaml v2 does not resolve but 1.1 readers do.
    private static func isBase60Number(_ value: String) -> Bool {
        var text = Substring(value)
        if text.first == "-" || text.first == "+" { text = text.dropFirst() }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 2, let head = parts.first, let headFirst = head.first, headFirst.isASCII, headFirst.isNumber,
            head.allSatisfy({ ($0.isASCII && $0.isNumber) || $0 == "_" })
        else { return false }
        for (index, part) in parts.dropFirst().enumerated() {
            var digits = part
            if index == parts.count - 2, let dot = part.firstIndex(of: ".") {
                guard part[part.index(after: dot)...].allSatisfy({ ($0.isASCII && $0.isNumber) || $0 == "_" }) else { return false }
                digits = part[..<dot]
            }
            guard !digits.isEmpty, digits.count <= 2, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                let number = Int(digits), number < 60
            else { return false }
        }
        return true
    }

    private static func doubleQuoted(_ value: String) -> String {
        var text = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\t": text += "\\t"
            case "\r": text += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    text += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
        }
        return text + "\""
    }
}
