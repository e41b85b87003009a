import Synchronization

/// A Go map with string keys, as templates hold it: a reference.
///
/// Go maps are references, and templates rely on it: Sprig's `set`, `unset` and `merge` change the map they are
/// given, and every variable, field or list holding that map sees the change (`$_ := set $ctx "k" v`). Reading gives
/// a snapshot; only the explicit mutators change the map.
public final class TemplateMap: Sendable {
    /// The Go element type: `interface{}` (what YAML and `dict` make) or `string` (`split`'s `map[string]string`).
    public enum ElementType: Sendable, Equatable {
        case any
        case string
    }

    public let element: ElementType
    /// The name of a named map type (Helm's `chartutil.Values`), or nil for a plain `map[string]…`. A named type
    /// passes as a `map[string]interface {}` argument but fails a type assertion to it.
    public let typeName: String?
    private let storage: Storage

    /// The members, shared by every view of the map (a named type's view and the plain map are one Go map).
    private final class Storage: Sendable {
        let members: Mutex<[String: TemplateValue]>
        init(_ members: [String: TemplateValue]) { self.members = Mutex(members) }
    }

    public init(_ members: [String: TemplateValue] = [:], element: ElementType = .any, typeName: String? = nil) {
        self.element = element
        self.typeName = typeName
        storage = Storage(members)
    }

    private init(sharing other: TemplateMap, typeName: String?) {
        element = other.element
        self.typeName = typeName
        storage = other.storage
    }

    /// The same map seen as the named type `typeName` (Go's conversion `chartutil.Values(m)`): changes to either
    /// show in both.
    public func named(_ typeName: String?) -> TemplateMap { TemplateMap(sharing: self, typeName: typeName) }

    /// Whether both are the same Go map (the same storage, whatever the type).
    public func isSame(as other: TemplateMap) -> Bool { storage === other.storage }

    /// The identity of the Go map (shared by its named views), for cycle checks.
    public var identity: ObjectIdentifier { ObjectIdentifier(storage) }

    /// A snapshot of the members.
    public var members: [String: TemplateValue] { storage.members.withLock { $0 } }

    public subscript(key: String) -> TemplateValue? { storage.members.withLock { $0[key] } }

    public var count: Int { storage.members.withLock { $0.count } }
    public var isEmpty: Bool { storage.members.withLock { $0.isEmpty } }
    public var keys: [String] { storage.members.withLock { Array($0.keys) } }
    public var values: [TemplateValue] { storage.members.withLock { Array($0.values) } }

    public func mapValues<T>(_ transform: (TemplateValue) throws -> T) rethrows -> [String: T] {
        try members.mapValues(transform)
    }

    /// `m[key] = value`.
    public func setValue(_ value: TemplateValue, forKey key: String) {
        storage.members.withLock { $0[key] = value }
    }

    /// `delete(m, key)`.
    public func removeValue(forKey key: String) {
        _ = storage.members.withLock { $0.removeValue(forKey: key) }
    }

    /// Replaces every member (a merge computed on a snapshot, written back).
    public func replaceMembers(_ members: [String: TemplateValue]) {
        storage.members.withLock { $0 = members }
    }

    /// `%T` of the map.
    public var goTypeName: String {
        if let typeName { return typeName }
        switch element {
        case .any: return "map[string]interface {}"
        case .string: return "map[string]string"
        }
    }

    /// The element type's zero value (what a missing key gives under `missingkey=zero`).
    public var zeroValue: TemplateValue {
        switch element {
        case .any: return .null
        case .string: return .string("")
        }
    }

}

extension TemplateMap: Sequence {
    public typealias Element = (key: String, value: TemplateValue)
    public typealias Iterator = Dictionary<String, TemplateValue>.Iterator

    public func makeIterator() -> Dictionary<String, TemplateValue>.Iterator { members.makeIterator() }
}

extension TemplateValue {
    /// The map a `.dict` holds, or a new one with the members of a `.map`; nil for other values.
    public var templateMap: TemplateMap? {
        switch self {
        case .map(let members): return TemplateMap(members)
        case .dict(let map): return map
        default: return nil
        }
    }

    /// The integer of an `int` or `int64`, or nil for other values.
    public var integerValue: Int? {
        switch self {
        case .int(let int), .int64(let int): return int
        default: return nil
        }
    }

    /// The elements of a list (none for a nil list), or nil for other values.
    public var listElements: [TemplateValue]? {
        switch self {
        case .list(let elements): return elements
        case .nilList: return []
        default: return nil
        }
    }

    /// The members of a map, `.map` or `.dict` (a snapshot), or nil for other values.
    public var mapMembers: [String: TemplateValue]? {
        switch self {
        case .map(let members): return members
        case .dict(let map): return map.members
        default: return nil
        }
    }

    /// The value as templates hold it: every `.map` in it (inside lists too) made a `.dict`. A `.dict` is already
    /// in that form, so it is not searched again.
    public func shared() -> TemplateValue {
        switch self {
        case .map(let members): return .dict(TemplateMap(members.mapValues { $0.shared() }))
        case .list(let elements):
            guard elements.contains(where: \.needsSharing) else { return self }
            return .list(elements.map { $0.shared() })
        default: return self
        }
    }

    private var needsSharing: Bool {
        switch self {
        case .map: return true
        case .list(let elements): return elements.contains(where: \.needsSharing)
        default: return false
        }
    }

    /// Whether a map holds itself, directly or through nested maps and lists (`set $d "self" $d`): such a value has
    /// no JSON form (Go: `encountered a cycle`) and printing it would never end.
    public var containsCycle: Bool {
        var path: Set<ObjectIdentifier> = []
        return hasCycle(&path)
    }

    private func hasCycle(_ path: inout Set<ObjectIdentifier>) -> Bool {
        switch self {
        case .dict(let map):
            guard path.insert(map.identity).inserted else { return true }
            defer { path.remove(map.identity) }
            return map.values.contains { $0.hasCycle(&path) }
        case .map(let members): return members.values.contains { $0.hasCycle(&path) }
        case .list(let elements): return elements.contains { $0.hasCycle(&path) }
        default: return false
        }
    }

    /// The value with every map in it copied, so changing the copy leaves the original alone (a map that holds
    /// itself is left shared at the point it recurs).
    public func deepCopy() -> TemplateValue {
        var copies: [ObjectIdentifier: TemplateMap] = [:]
        return deepCopy(&copies)
    }

    private func deepCopy(_ copies: inout [ObjectIdentifier: TemplateMap]) -> TemplateValue {
        switch self {
        case .dict(let map):
            if let copy = copies[map.identity] { return .dict(copy) }
            let copy = TemplateMap([:], element: map.element, typeName: map.typeName)
            copies[map.identity] = copy
            var members: [String: TemplateValue] = [:]
            for (key, value) in map { members[key] = value.deepCopy(&copies) }
            copy.replaceMembers(members)
            return .dict(copy)
        case .list(let elements): return .list(elements.map { $0.deepCopy(&copies) })
        default: return self
        }
    }
}
