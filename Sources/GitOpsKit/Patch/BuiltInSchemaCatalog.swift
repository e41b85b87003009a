/// The schemas of the built-in kinds, parsed on first use from the generated `BuiltInSchemaCatalog.text`
/// (struct fields, patch strategies, merge keys, list types, atomic markers and zero values of k8s.io/api types).
enum BuiltInSchemaCatalog {
    struct Kind: Sendable {
        var schema: SchemaNode
        /// The JSON of the kind's Go zero value.
        var zero: JSONValue
    }

    /// By `group/version/kind` (`/v1/Pod` for the core group).
    static let kinds: [String: Kind] = parse(text)

    static func kind(group: String, version: String, kind: String) -> Kind? {
        kinds["\(group)/\(version)/\(kind)"]
    }

    private struct Field {
        var name: String
        var shape: Substring
        var strategy: PatchStrategy?
        var mergeKey: String?
        var retainKeys: Bool
    }

    private struct Parser {
        var structs: [Substring: (atomic: Bool, fields: [Field])] = [:]
        var built: [Substring: SchemaNode] = [:]

        mutating func structNode(_ name: Substring) -> SchemaNode {
            if let node = built[name] { return node }
            guard let declaration = structs[name] else { return .untyped }
            var fields: [String: SchemaField] = [:]
            for field in declaration.fields {
                fields[field.name] = SchemaField(shape(field.shape), strategy: field.strategy, mergeKey: field.mergeKey,
                                                 retainKeys: field.retainKeys)
            }
            let node = SchemaNode.object(fields: fields, atomic: declaration.atomic)
            built[name] = node
            return node
        }

        /// Parses a shape: `s`, `u`, `@T`, `@T!`, `m:X`, `M:X`, `l:X`, `S:X`, `K(a,b):X`.
        mutating func shape(_ text: Substring) -> SchemaNode {
            switch text.first {
            case "s": return .scalar
            case "@":
                let atomic = text.hasSuffix("!")
                let node = structNode(text.dropFirst().dropLast(atomic ? 1 : 0))
                return atomic ? node.asAtomic : node
            case "m", "M": return .map(values: shape(text.dropFirst(2)), atomic: text.first == "M")
            case "l": return .list(items: shape(text.dropFirst(2)), type: .atomic)
            case "S": return .list(items: shape(text.dropFirst(2)), type: .set)
            case "K":
                guard let close = text.firstIndex(of: ")") else { return .untyped }
                let keys = text[text.index(text.startIndex, offsetBy: 2)..<close].split(separator: ",").map(String.init)
                return .list(items: shape(text[text.index(close, offsetBy: 2)...]), type: .map(keys: keys))
            default: return .untyped
            }
        }
    }

    static func parse(_ text: String) -> [String: Kind] {
        var parser = Parser()
        var roots: [(key: String, type: Substring, zero: Substring)] = []
        var current: Substring?
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 5)
            switch parts.first {
            case "R" where parts.count == 6:
                roots.append(("\(parts[1] == "-" ? "" : parts[1])/\(parts[2])/\(parts[3])", parts[4], parts[5]))
            case "T", "T!":
                guard parts.count == 2 else { continue }
                current = parts[1]
                parser.structs[parts[1]] = (atomic: parts[0] == "T!", fields: [])
            case "F" where parts.count == 6:
                guard let current else { continue }
                parser.structs[current]?.fields.append(Field(
                    name: String(parts[1]), shape: parts[2],
                    strategy: parts[3] == "merge" ? .merge : parts[3] == "replace" ? .replace : nil,
                    mergeKey: parts[4] == "-" ? nil : String(parts[4]), retainKeys: parts[5] == "retain"))
            default:
                continue
            }
        }
        var kinds: [String: Kind] = [:]
        for root in roots {
            let zero = (try? JSONValue(json: String(root.zero))) ?? .object([:])
            kinds[root.key] = Kind(schema: parser.structNode(root.type), zero: zero)
        }
        return kinds
    }
}

extension SchemaNode {
    /// The schema of a built-in kind, or nil when the kind is not built in.
    static func builtIn(group: String, version: String, kind: String) -> SchemaNode? {
        BuiltInSchemaCatalog.kind(group: group, version: version, kind: kind)?.schema
    }
}
