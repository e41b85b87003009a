/// Go's `fmt` rendering of unmarshalled JSON values, so patch errors read like the Go libraries' errors.
enum GoFormat {
    /// `%v` of a JSON value decoded into `interface{}`: `map[a:1 b:[x y]]`, `<nil>`, strings unquoted.
    static func value(_ value: JSONValue) -> String {
        switch value {
        case .null: "<nil>"
        case .bool(let b): b ? "true" : "false"
        case .int(let i): String(i)
        case .double(let d): d == d.rounded() && abs(d) < 1e21 ? String(Int64(d)) : "\(d)"
        case .string(let s): s
        case .array(let items): "[" + items.map { Self.value($0) }.joined(separator: " ") + "]"
        case .object(let members):
            "map[" + members.keys.sorted().map { "\($0):\(Self.value(members[$0] ?? .null))" }.joined(separator: " ") + "]"
        }
    }

    /// `reflect.TypeOf(v).String()` of a decoded JSON value.
    static func typeName(_ value: JSONValue) -> String {
        switch value {
        case .null: "<nil>"
        case .bool: "bool"
        case .int: "int64"
        case .double: "float64"
        case .string: "string"
        case .array: "[]interface {}"
        case .object: "map[string]interface {}"
        }
    }

    static func badArgType(expected: String, actual: JSONValue) -> String {
        "expected a \(expected), but received a \(typeName(actual))"
    }

    static func noMergeKey(_ item: JSONValue, _ key: String) -> String {
        "map: \(value(item)) does not contain declared merge key: \(key)"
    }
}
