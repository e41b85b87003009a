/// RFC 6902 JSON patch (`application/json-patch+json`): an array of `add`, `remove`, `replace`, `move`, `copy`
/// and `test` operations applied in order; any failing operation fails the whole patch.
///
/// Where RFC 6902 and the library Kubernetes uses (evanphx/json-patch v4, in kube-apiserver, kubectl and kustomize)
/// differ, this follows Kubernetes, because manifests in the wild rely on it:
/// - `replace` of a missing object member adds it (the RFC requires it to exist);
/// - array indices may have leading zeros, and negative indices count from the end (`-1` in `add` appends);
/// - a missing `value` means `null`; `copy` from a missing location copies `null`; `test` of a missing location
///   succeeds when the expected value is `null`;
/// - a `~` not followed by `0`/`1` in a pointer is kept literally.
/// Error messages use that library's wording (`add operation does not apply: doc is missing path: "/x/y"`).
public enum JSONPatch {
    /// Applies `operations` (a JSON array of operation objects) to `target`.
    ///
    /// `test` compares numbers by value (`1` equals `1.0`) and objects regardless of member order.
    /// - Throws: `PatchError` naming the operation and path when an operation is malformed or does not apply.
    public static func apply(_ operations: JSONValue, to target: JSONValue) throws(PatchError) -> JSONValue {
        guard case .array(let list) = operations else {
            throw PatchError("json: cannot unmarshal \(operations.typeName) into Go value of type jsonpatch.Patch")
        }
        var document = target
        for operation in list {
            try apply(operation: operation, to: &document)
        }
        return document
    }

    private static func apply(operation: JSONValue, to document: inout JSONValue) throws(PatchError) {
        guard case .object(let fields) = operation else {
            throw PatchError("json: cannot unmarshal \(operation.typeName) into Go struct field of type jsonpatch.Operation")
        }
        let op = fields["op"]?.stringValue ?? "unknown"
        let value = fields["value"] ?? .null
        switch op {
        case "add":
            try add(value, at: try pointer(fields, "path", op: op), op: op, to: &document)
        case "remove":
            _ = try remove(at: try pointer(fields, "path", op: op), op: op, from: &document)
        case "replace":
            try replace(value, at: try pointer(fields, "path", op: op), in: &document)
        case "move":
            let from = try pointer(fields, "from", op: op)
            let path = try pointer(fields, "path", op: op)
            let moved = try remove(at: from, op: op, from: &document)
            do {
                try add(moved, at: path, op: op, to: &document)
            } catch {
                throw PatchError("move operation does not apply: doc is missing destination path: \(path)", path: path.description)
            }
        case "copy":
            let from = try pointer(fields, "from", op: op)
            let path = try pointer(fields, "path", op: op)
            try add(from.value(in: document) ?? .null, at: path, op: op, to: &document)
        case "test":
            let path = try pointer(fields, "path", op: op)
            let actual = path.value(in: document) ?? .null
            guard actual.isJSONEqual(to: value) else {
                throw PatchError("testing value \(path) failed: test failed", path: path.description)
            }
        default:
            throw PatchError("Unexpected kind: \(op)")
        }
    }

    private static func pointer(_ fields: [String: JSONValue], _ name: String, op: String) throws(PatchError) -> JSONPointer {
        guard let text = fields[name]?.stringValue else {
            throw PatchError("\(op) operation has no \"\(name)\" string")
        }
        return JSONPointer(lenient: text)
    }

    /// `add`: sets an object member (creating or replacing it) or inserts into an array; the parent must exist.
    private static func add(_ value: JSONValue, at path: JSONPointer, op: String, to document: inout JSONValue) throws(PatchError) {
        guard let last = path.tokens.last else {
            document = value
            return
        }
        let missing = PatchError("\(op) operation does not apply: doc is missing path: \"\(path)\": missing value", path: path.description)
        try modifyParent(of: path, missing: missing, in: &document) { (parent: inout JSONValue) throws(PatchError) in
            switch parent {
            case .object(var members):
                parent = .null
                members[last] = value
                parent = .object(members)
            case .array(var elements):
                var index = elements.count
                if last != "-" {
                    index = try arrayIndex(last, op: op, path: path)
                    if index < -elements.count - 1 || index > elements.count {
                        throw invalidIndex(last, op: op, path: path)
                    }
                    if index < 0 { index += elements.count + 1 }
                }
                parent = .null
                elements.insert(value, at: index)
                parent = .array(elements)
            default:
                throw missing
            }
        }
    }

    /// `replace`: an object member is set whether or not it existed; an array element must exist.
    private static func replace(_ value: JSONValue, at path: JSONPointer, in document: inout JSONValue) throws(PatchError) {
        guard let last = path.tokens.last else {
            document = value
            return
        }
        let missing = PatchError("replace operation does not apply: doc is missing path: \(path): missing value", path: path.description)
        try modifyParent(of: path, missing: missing, in: &document) { (parent: inout JSONValue) throws(PatchError) in
            switch parent {
            case .object(var members):
                parent = .null
                members[last] = value
                parent = .object(members)
            case .array(var elements):
                guard var index = Int(last), index >= -elements.count, index < elements.count else {
                    throw PatchError("replace operation does not apply: doc is missing key: \(path): missing value", path: path.description)
                }
                if index < 0 { index += elements.count }
                parent = .null
                elements[index] = value
                parent = .array(elements)
            default:
                throw missing
            }
        }
    }

    /// `remove` (also the first half of `move`); returns the removed value. The location must exist.
    private static func remove(at path: JSONPointer, op: String, from document: inout JSONValue) throws(PatchError) -> JSONValue {
        let missing = PatchError("\(op) operation does not apply: doc is missing path: \"\(path)\": missing value", path: path.description)
        guard let last = path.tokens.last else { throw missing }
        var removed: JSONValue = .null
        try modifyParent(of: path, missing: missing, in: &document) { (parent: inout JSONValue) throws(PatchError) in
            switch parent {
            case .object(var members):
                guard let value = members[last] else {
                    throw PatchError("error in \(op) for path: '\(op == "move" ? last : path.description)': Unable to remove nonexistent key: \(last): missing value",
                                     path: path.description)
                }
                removed = value
                parent = .null
                members[last] = nil
                parent = .object(members)
            case .array(var elements):
                var index = try arrayIndex(last, op: op, path: path)
                guard index >= -elements.count, index < elements.count else { throw invalidIndex(last, op: op, path: path) }
                if index < 0 { index += elements.count }
                parent = .null
                removed = elements.remove(at: index)
                parent = .array(elements)
            default:
                throw missing
            }
        }
        return removed
    }

    private static func arrayIndex(_ token: String, op: String, path: JSONPointer) throws(PatchError) -> Int {
        guard let index = Int(token) else {
            throw PatchError("error in \(op) for path: '\(path)': value was not a proper array index: '\(token)'", path: path.description)
        }
        return index
    }

    private static func invalidIndex(_ token: String, op: String, path: JSONPointer) -> PatchError {
        PatchError("error in \(op) for path: '\(path)': Unable to access invalid index: \(token): invalid index referenced",
                   path: path.description)
    }

    /// Walks to the parent of `path` and lets `body` change it in place; every step must exist.
    private static func modifyParent(
        of path: JSONPointer, missing: PatchError, in document: inout JSONValue,
        _ body: (inout JSONValue) throws(PatchError) -> Void
    ) throws(PatchError) {
        try modify(&document, tokens: path.tokens.dropLast()[...], missing: missing, body)
    }

    private static func modify(
        _ value: inout JSONValue, tokens: ArraySlice<String>, missing: PatchError,
        _ body: (inout JSONValue) throws(PatchError) -> Void
    ) throws(PatchError) {
        guard let token = tokens.first else {
            try body(&value)
            return
        }
        switch value {
        case .object(var members):
            guard var child = members[token] else { throw missing }
            value = .null
            members[token] = nil
            defer {
                members[token] = child
                value = .object(members)
            }
            try modify(&child, tokens: tokens.dropFirst(), missing: missing, body)
        case .array(var elements):
            guard var index = Int(token), index >= -elements.count, index < elements.count else { throw missing }
            if index < 0 { index += elements.count }
            var child = elements[index]
            value = .null
            elements[index] = .null
            defer {
                elements[index] = child
                value = .array(elements)
            }
            try modify(&child, tokens: tokens.dropFirst(), missing: missing, body)
        default:
            throw missing
        }
    }
}
