import GitOpsKit

/// Unknown fields of built-in kinds, found with the kinds' struct schemas (GitOpsKit/Patch): kube-apiserver drops
/// them when it decodes the body into its Go types, warns about them, or refuses them with `fieldValidation=Strict`.
enum BuiltInFieldCheck {
    /// Dotted paths of fields the kind does not declare.
    static func unknownFields(_ object: JSONValue, kind: GroupVersionKind) -> [String] {
        guard let schema = PatchSchema.builtIn(kind)?.root else { return [] }
        var out: [String] = []
        walk(object, schema, path: "", top: true, into: &out)
        return out
    }

    /// The object without the fields the kind does not declare.
    static func pruned(_ object: JSONValue, kind: GroupVersionKind) -> JSONValue {
        guard let schema = PatchSchema.builtIn(kind)?.root else { return object }
        return prune(object, schema, top: true)
    }

    private static func walk(_ value: JSONValue, _ node: SchemaNode, path: String, top: Bool, into out: inout [String]) {
        switch (node, value) {
        case (.object(let fields, _), .object(let members)):
            for key in members.keys.sorted() {
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                if top && (key == "apiVersion" || key == "kind") { continue }
                guard let field = fields[key], let child = members[key] else {
                    out.append(childPath)
                    continue
                }
                walk(child, field.node, path: childPath, top: false, into: &out)
            }
        case (.map(let values, _), .object(let members)):
            for key in members.keys.sorted() {
                if let child = members[key] { walk(child, values, path: "\(path).\(key)", top: false, into: &out) }
            }
        case (.list(let items, _), .array(let elements)):
            for (i, element) in elements.enumerated() { walk(element, items, path: "\(path)[\(i)]", top: false, into: &out) }
        default:
            break
        }
    }

    private static func prune(_ value: JSONValue, _ node: SchemaNode, top: Bool) -> JSONValue {
        switch (node, value) {
        case (.object(let fields, _), .object(let members)):
            var kept: [String: JSONValue] = [:]
            for (key, child) in members {
                if top && (key == "apiVersion" || key == "kind") {
                    kept[key] = child
                } else if let field = fields[key] {
                    kept[key] = prune(child, field.node, top: false)
                }
            }
            return .object(kept)
        case (.map(let values, _), .object(let members)):
            return .object(members.mapValues { prune($0, values, top: false) })
        case (.list(let items, _), .array(let elements)):
            return .array(elements.map { prune($0, items, top: false) })
        default:
            return value
        }
    }
}
