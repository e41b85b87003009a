/// An untyped JSON document: the shape of every Kubernetes object the toolkit does not model with a struct.
///
/// Numbers keep Go's distinction (as `encoding/json` into `interface{}` with `UseNumber` semantics that
/// Kubernetes' unstructured decoding applies): a literal without fraction or exponent is an `int`, anything else a
/// `double`. Objects are unordered; serialization sorts keys, as the API server and `kubectl kustomize` do.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

extension JSONValue {
    /// The member named `key` of an object, or `nil` for a missing member or a non-object.
    public subscript(key: String) -> JSONValue? {
        get {
            if case .object(let members) = self { return members[key] }
            return nil
        }
        set {
            guard case .object(var members) = self else { return }
            members[key] = newValue
            self = .object(members)
        }
    }

    /// The element at `index` of an array, or `nil` when out of range or not an array.
    public subscript(index: Int) -> JSONValue? {
        if case .array(let elements) = self, elements.indices.contains(index) { return elements[index] }
        return nil
    }

    /// The value at a path of object keys, e.g. `obj[path: "metadata", "name"]`.
    public subscript(path keys: String...) -> JSONValue? {
        get { value(at: keys[...]) }
        set { setValue(newValue, at: keys[...]) }
    }

    private func value(at keys: ArraySlice<String>) -> JSONValue? {
        guard let first = keys.first else { return self }
        return self[first]?.value(at: keys.dropFirst())
    }

    /// Sets the value at a key path, creating intermediate objects; `nil` removes the last key.
    private mutating func setValue(_ value: JSONValue?, at keys: ArraySlice<String>) {
        guard let first = keys.first else {
            self = value ?? .null
            return
        }
        if case .object = self {} else {
            if value == nil { return }
            self = .object([:])
        }
        guard case .object(var members) = self else { return }
        if keys.count == 1 {
            members[first] = value
        } else {
            var child = members[first] ?? .object([:])
            if value == nil, members[first] == nil { return }
            child.setValue(value, at: keys.dropFirst())
            members[first] = child
        }
        self = .object(members)
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The integer value; a `double` with no fractional part counts too (YAML `1e3` is a whole number).
    public var intValue: Int64? {
        switch self {
        case .int(let i): return i
        case .double(let d) where d.rounded() == d && abs(d) < 9.2e18: return Int64(d)
        default: return nil
        }
    }

    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var objectValue: [String: JSONValue]? {
        if case .object(let o) = self { return o }
        return nil
    }

    public var isNull: Bool { self == .null }

    /// A short name of the JSON type, for error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .int: "integer"
        case .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
