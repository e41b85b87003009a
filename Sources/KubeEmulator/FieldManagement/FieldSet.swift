import GitOpsKit

/// A set of field paths, stored as a tree: what one manager owns (`metadata.managedFields[].fieldsV1`).
///
/// A path is in the set when its last element is among the `members` of the node its prefix leads to; `children`
/// hold longer paths. A path can be both a member and a prefix (`.` in `fieldsV1`).
public struct FieldSet: Hashable, Sendable {
    public var members: Set<PathElement>
    public var children: [PathElement: FieldSet]

    public init(members: Set<PathElement> = [], children: [PathElement: FieldSet] = [:]) {
        self.members = members
        self.children = children
    }

    public init(paths: [FieldPath]) {
        self.init()
        for path in paths { insert(path) }
    }

    public var isEmpty: Bool { members.isEmpty && children.values.allSatisfy(\.isEmpty) }

    /// Adds a path; the empty path is ignored.
    public mutating func insert(_ path: FieldPath) {
        insert(path[...])
    }

    private mutating func insert(_ path: ArraySlice<PathElement>) {
        guard let first = path.first else { return }
        if path.count == 1 {
            members.insert(first)
        } else {
            children[first, default: FieldSet()].insert(path.dropFirst())
        }
    }

    public func contains(_ path: FieldPath) -> Bool {
        guard let first = path.first else { return false }
        if path.count == 1 { return members.contains(first) }
        return children[first]?.contains(Array(path.dropFirst())) ?? false
    }

    /// The subtree under `element` (paths relative to it).
    public func child(_ element: PathElement) -> FieldSet { children[element] ?? FieldSet() }

    /// True when `element` is a member here or has paths under it.
    func hasMemberOrChild(_ element: PathElement) -> Bool {
        members.contains(element) || !(children[element]?.isEmpty ?? true)
    }

    public func union(_ other: FieldSet) -> FieldSet {
        var result = self
        result.members.formUnion(other.members)
        for (element, child) in other.children {
            result.children[element] = result.children[element].map { $0.union(child) } ?? child
        }
        return result
    }

    public func intersection(_ other: FieldSet) -> FieldSet {
        var result = FieldSet(members: members.intersection(other.members))
        for (element, child) in children {
            guard let otherChild = other.children[element] else { continue }
            let both = child.intersection(otherChild)
            if !both.isEmpty { result.children[element] = both }
        }
        return result
    }

    /// The paths of `self` not in `other` (exact paths only: a member of `other` does not remove paths under it).
    public func subtracting(_ other: FieldSet) -> FieldSet {
        var result = FieldSet(members: members.subtracting(other.members))
        for (element, child) in children {
            let rest = other.children[element].map { child.subtracting($0) } ?? child
            if !rest.isEmpty { result.children[element] = rest }
        }
        return result
    }

    /// The paths of `self` neither in `other` nor under a member of `other`.
    public func recursivelySubtracting(_ other: FieldSet) -> FieldSet {
        var result = FieldSet(members: members.subtracting(other.members))
        for (element, child) in children where !other.members.contains(element) {
            let rest = other.children[element].map { child.recursivelySubtracting($0) } ?? child
            if !rest.isEmpty { result.children[element] = rest }
        }
        return result
    }

    /// Every path, sorted: a node's members first, then its children's paths.
    public var paths: [FieldPath] {
        var result: [FieldPath] = []
        collect(prefix: [], into: &result)
        return result
    }

    private func collect(prefix: FieldPath, into result: inout [FieldPath]) {
        for member in members.sorted() { result.append(prefix + [member]) }
        for element in children.keys.sorted() {
            children[element]?.collect(prefix: prefix + [element], into: &result)
        }
    }
}

extension FieldSet {
    /// Decodes the `fieldsV1` JSON form: `{"f:metadata":{"f:labels":{".":{},"f:app":{}}}}`.
    public init(fieldsV1: JSONValue) throws(FieldSetError) {
        guard case .object(let entries) = fieldsV1 else { throw FieldSetError("fieldsV1 must be an object") }
        self.init()
        for (key, value) in entries {
            if key == "." { continue }
            let element = try PathElement(serialized: key)
            guard case .object(let inner) = value else { throw FieldSetError("fieldsV1 entry \(key) must be an object") }
            if inner.isEmpty || inner["."] != nil { members.insert(element) }
            let child = try FieldSet(fieldsV1: value)
            if !child.isEmpty { children[element] = child }
        }
    }

    /// The `fieldsV1` JSON form.
    public var fieldsV1: JSONValue {
        var entries: [String: JSONValue] = [:]
        for member in members { entries[member.serialized] = .object([:]) }
        for (element, child) in children where !child.isEmpty {
            var inner = child.fieldsV1.objectValue ?? [:]
            if members.contains(element) { inner["."] = .object([:]) }
            entries[element.serialized] = .object(inner)
        }
        return .object(entries)
    }
}
