import GitOpsKit

/// One step of a field path in server-side apply's field sets (structured-merge-diff `PathElement`).
public enum PathElement: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// A struct field or map key: `f:name`.
    case field(String)
    /// An item of an associative list, by the values of its key fields (sorted by name): `k:{"name":"nginx"}`.
    case key([KeyField])
    /// An item of a set list, by its value: `v:"a"`.
    case value(JSONValue)
    /// An item of a list by position: `i:0` (only for items that have no identity).
    case index(Int)

    /// One key field of an associative-list item.
    public struct KeyField: Hashable, Sendable {
        public var name: String
        public var value: JSONValue

        public init(name: String, value: JSONValue) {
            self.name = name
            self.value = value
        }
    }

    /// The `fieldsV1` key form: `f:spec`, `k:{"containerPort":80,"protocol":"TCP"}`, `v:"a"`, `i:3`.
    public var serialized: String {
        switch self {
        case .field(let name): "f:" + name
        case .key(let fields):
            "k:" + JSONValue.object(Dictionary(fields.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })).jsonString()
        case .value(let value): "v:" + value.jsonString()
        case .index(let index): "i:\(index)"
        }
    }

    /// Parses the `fieldsV1` key form.
    public init(serialized text: String) throws(FieldSetError) {
        guard text.count >= 2, text.dropFirst().first == ":" else { throw FieldSetError("invalid path element \(text)") }
        let body = String(text.dropFirst(2))
        switch text.first {
        case "f":
            self = .field(body)
        case "v":
            do { self = .value(try JSONValue(json: body)) } catch { throw FieldSetError("invalid value path element \(text): \(error)") }
        case "k":
            let parsed: JSONValue
            do { parsed = try JSONValue(json: body) } catch { throw FieldSetError("invalid key path element \(text): \(error)") }
            guard case .object(let members) = parsed else { throw FieldSetError("invalid key path element \(text)") }
            self = .key(members.map { KeyField(name: $0.key, value: $0.value) }.sorted { $0.name < $1.name })
        case "i":
            guard let index = Int(body) else { throw FieldSetError("invalid index path element \(text)") }
            self = .index(index)
        default:
            throw FieldSetError("unknown path element type in \(text)")
        }
    }

    /// The form used in conflict messages: `.spec`, `[name="nginx"]`, `[="a"]`, `[3]`.
    public var description: String {
        switch self {
        case .field(let name): "." + name
        case .key(let fields): "[" + fields.map { "\($0.name)=\($0.value.jsonString())" }.joined(separator: ",") + "]"
        case .value(let value): "[=\(value.jsonString())]"
        case .index(let index): "[\(index)]"
        }
    }

    private var rank: Int {
        switch self {
        case .field: 0
        case .key: 1
        case .value: 2
        case .index: 3
        }
    }

    public static func < (lhs: PathElement, rhs: PathElement) -> Bool {
        switch (lhs, rhs) {
        case (.field(let a), .field(let b)): a < b
        case (.index(let a), .index(let b)): a < b
        case (.key, .key), (.value, .value): lhs.serialized < rhs.serialized
        default: lhs.rank < rhs.rank
        }
    }
}

/// A malformed `fieldsV1` document or path element.
public struct FieldSetError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A path from the object root, e.g. `.spec.template.spec.containers[name="nginx"].image`.
public typealias FieldPath = [PathElement]

extension Array where Element == PathElement {
    /// The conflict-message form of a path: its elements' descriptions concatenated.
    public var pathString: String { map(\.description).joined() }
}
