import GitOpsKit
import GoTemplate

/// `toYamlPretty`: go-yaml v3's encoder with a two-space indent, which Helm uses for this one function.
///
/// It differs from `toYaml` (go-yaml v2 after JSON) in layout and numbers: sequences are indented under their
/// key, and floats print with Go's `%g` (`1e+06`). Scalars are quoted by the same rules as `toYaml`, so their
/// text is borrowed from `YAML.encode`.
enum PrettyYAML {
    static func encode(_ value: JSONValue) -> String {
        var lines: [String] = []
        switch value {
        case .object(let members) where !members.isEmpty: emitMap(members, indent: 0, into: &lines)
        case .array(let elements) where !elements.isEmpty: emitList(elements, indent: 0, into: &lines)
        default: lines = scalarLines(value, indent: 0)
        }
        return lines.joined(separator: "\n")
    }

    private static func pad(_ indent: Int) -> String { String(repeating: " ", count: indent) }

    private static func emitMap(_ members: [String: JSONValue], indent: Int, into lines: inout [String]) {
        for key in members.keys.sorted() {
            let value = members[key] ?? .null
            let head = pad(indent) + (scalarLines(.string(key), indent: indent).first ?? key) + ":"
            switch value {
            case .object(let nested) where !nested.isEmpty:
                lines.append(head)
                emitMap(nested, indent: indent + 2, into: &lines)
            case .array(let elements) where !elements.isEmpty:
                lines.append(head)
                emitList(elements, indent: indent + 2, into: &lines)
            default:
                let scalar = scalarLines(value, indent: indent + 2)
                lines.append(head + " " + (scalar.first ?? ""))
                lines.append(contentsOf: scalar.dropFirst())
            }
        }
    }

    private static func emitList(_ elements: [JSONValue], indent: Int, into lines: inout [String]) {
        for element in elements {
            var nested: [String] = []
            switch element {
            case .object(let members) where !members.isEmpty: emitMap(members, indent: indent + 2, into: &nested)
            case .array(let inner) where !inner.isEmpty: emitList(inner, indent: indent + 2, into: &nested)
            default:
                let scalar = scalarLines(element, indent: indent + 2)
                lines.append(pad(indent) + "- " + (scalar.first ?? ""))
                lines.append(contentsOf: scalar.dropFirst())
                continue
            }
            guard let first = nested.first else { continue }
            lines.append(pad(indent) + "- " + first.dropFirst(indent + 2))
            lines.append(contentsOf: nested.dropFirst())
        }
    }

    /// A scalar (or empty collection) as it follows `key: ` or `- `; block scalars continue on further lines
    /// indented to `indent`.
    private static func scalarLines(_ value: JSONValue, indent: Int) -> [String] {
        switch value {
        case .null: return ["null"]
        case .bool(let bool): return [bool ? "true" : "false"]
        case .int(let int): return [String(int)]
        case .double(let double):
            if double.isNaN { return [".nan"] }
            if double.isInfinite { return [double < 0 ? "-.inf" : ".inf"] }
            return [GoFormat.format(.float(double))]
        case .array: return ["[]"]
        case .object: return ["{}"]
        case .string:
            var text = YAML.encode(value)
            if text.hasSuffix("\n") { text.removeLast() }
            let parts = text.split(separator: "\n", omittingEmptySubsequences: false)
            guard parts.count > 1 else { return [text] }
            // A literal block: YAML.encode indents its lines by two at the top level.
            return [String(parts[0])] + parts.dropFirst().map { line in
                line.isEmpty ? "" : pad(indent) + line.dropFirst(min(2, line.prefix { $0 == " " }.count))
            }
        }
    }
}
