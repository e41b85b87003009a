/// What Go's reflection says about a template value: truth, kind, type name and deep equality.
extension TemplateValue {
    /// `text/template`'s truth (`template.IsTrue`): false, 0, a nil value and empty strings, slices and maps are
    /// false; structs and functions are true.
    public var isTruthy: Bool {
        switch self {
        case .null: return false
        case .bool(let bool): return bool
        case .int(let int), .int64(let int): return int != 0
        case .float(let double): return double != 0
        case .string(let string): return !string.isEmpty
        case .list(let elements): return !elements.isEmpty
        case .nilList: return false
        case .map(let members): return !members.isEmpty
        case .dict(let map): return !map.isEmpty
        case .object(let object): return object.mapEntries.map { !$0.isEmpty } ?? true
        case .function: return true
        }
    }

    /// `reflect.Kind.String()` of the value (what Sprig's `kindOf`/`kindIs` compare).
    public var goKind: String {
        switch self {
        case .null: return "invalid"
        case .bool: return "bool"
        case .int: return "int"
        case .int64: return "int64"
        case .float: return "float64"
        case .string: return "string"
        case .list, .nilList: return "slice"
        case .map, .dict: return "map"
        case .object(let object):
            if object.mapEntries != nil { return "map" }
            return object.goTypeName.hasPrefix("*") ? "ptr" : "struct"
        case .function: return "func"
        }
    }

    /// `fmt.Sprintf("%T", value)` (what Sprig's `typeOf`/`typeIs` compare and `fmt` errors print).
    public var goTypeName: String {
        switch self {
        case .null: return "<nil>"
        case .bool: return "bool"
        case .int: return "int"
        case .int64: return "int64"
        case .float: return "float64"
        case .string: return "string"
        case .list, .nilList: return "[]interface {}"
        case .map: return "map[string]interface {}"
        case .dict(let map): return map.goTypeName
        case .object(let object): return object.goTypeName
        case .function: return "func(...interface {}) (interface {}, error)"
        }
    }

    /// `reflect.DeepEqual`: same type and equal contents; an `int` never equals a `float64`; functions are never
    /// equal; objects are equal when their type names and printed forms are.
    public func deepEquals(_ other: TemplateValue) -> Bool {
        var visited: Set<[ObjectIdentifier]> = []
        return deepEquals(other, &visited)
    }

    /// `visited` holds the pairs of maps under comparison: meeting one again (a map that holds itself) counts as
    /// equal, as in Go.
    private func deepEquals(_ other: TemplateValue, _ visited: inout Set<[ObjectIdentifier]>) -> Bool {
        switch (self, other) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)), (.int64(let a), .int64(let b)): return a == b
        case (.float(let a), .float(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.nilList, .nilList): return true
        case (.list(let a), .list(let b)):
            guard a.count == b.count else { return false }
            for (x, y) in zip(a, b) where !x.deepEquals(y, &visited) { return false }
            return true
        case (.map, .map), (.map, .dict), (.dict, .map), (.dict, .dict):
            guard let a = templateMap, let b = other.templateMap else { return false }
            if a.isSame(as: b) { return true }
            guard a.element == b.element, a.typeName == b.typeName else { return false }
            guard visited.insert([a.identity, b.identity]).inserted else { return true }
            let right = b.members
            guard a.count == right.count else { return false }
            for (key, x) in a {
                guard let y = right[key], x.deepEquals(y, &visited) else { return false }
            }
            return true
        case (.object(let a), .object(let b)): return a.goTypeName == b.goTypeName && a.formatted == b.formatted
        default: return false
        }
    }
}
