import GitOpsKit

/// The identity of the object a change was made in (kyaml's `ResourceIdentifier`): empty fields for files that
/// are not Kubernetes objects (Helm values).
public struct ResourceIdentifier: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var apiVersion: String
    public var kind: String
    public var name: String
    public var namespace: String

    public init(apiVersion: String = "", kind: String = "", name: String = "", namespace: String = "") {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.namespace = namespace
    }

    /// Go's `fmtsort` order for the struct: field by field.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.apiVersion, lhs.kind, lhs.name, lhs.namespace) < (rhs.apiVersion, rhs.kind, rhs.name, rhs.namespace)
    }

    /// Go's `%v` of `ResourceIdentifier{ResourceIdentifier{TypeMeta{…}, NameMeta{…}}}`.
    public var description: String { "{{{\(apiVersion) \(kind)} {\(name) \(namespace)}}}" }
}

/// One value a setter changed.
public struct SetterChange: Sendable, Hashable, Comparable {
    public var oldValue: String
    public var newValue: String
    /// The setter name from the marker (`ns:policy`, `ns:policy:tag`, …).
    public var setter: String

    public init(oldValue: String, newValue: String, setter: String) {
        self.oldValue = oldValue
        self.newValue = newValue
        self.setter = setter
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.oldValue, lhs.newValue, lhs.setter) < (rhs.oldValue, rhs.newValue, rhs.setter)
    }
}

/// What an update changed, file → object → changes: Flux's `update.Result`, which commit message templates read as
/// `.Changed` (`.Changed.FileChanges`, `.Changed.Objects`, `.Changed.Changes`).
public struct SetterUpdateResult: Sendable, Hashable {
    /// Path relative to the update path → object → the changes made in it, in file order.
    public var fileChanges: [String: [ResourceIdentifier: [SetterChange]]] = [:]
    /// Files that contain the marker token but do not parse (skipped).
    public var problemFiles: [String] = []

    public init() {}

    public mutating func add(file: String, object: ResourceIdentifier, change: SetterChange) {
        fileChanges[file, default: [:]][object, default: []].append(change)
    }

    /// Whether any file changed.
    public var isEmpty: Bool { fileChanges.isEmpty }

    /// The files changed, sorted.
    public var files: [String] { fileChanges.keys.sorted() }

    /// Every distinct change, whichever file and object it was made in (Flux's `Result.Changes()`), in file and
    /// object order.
    public var changes: [SetterChange] {
        var seen: Set<SetterChange> = []
        var result: [SetterChange] = []
        for file in files {
            let objects = fileChanges[file] ?? [:]
            for object in objects.keys.sorted() {
                for change in objects[object] ?? [] where seen.insert(change).inserted { result.append(change) }
            }
        }
        return result
    }

    /// The changes by object, whichever file they are in (Flux's `Result.Objects()`).
    public var objects: [ResourceIdentifier: [SetterChange]] {
        var result: [ResourceIdentifier: [SetterChange]] = [:]
        for file in files {
            for (object, changes) in fileChanges[file] ?? [:] { result[object, default: []].append(contentsOf: changes) }
        }
        return result
    }
}
