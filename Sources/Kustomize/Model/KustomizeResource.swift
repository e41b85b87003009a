import GitOpsKit

/// One object flowing through a build, with the bookkeeping kustomize keeps in build annotations: the ids it
/// had before renames (for name back-references), the prefixes and suffixes applied to it, and how a generated
/// object combines with earlier ones.
struct KustomizeResource: Sendable {
    var object: JSONValue
    /// Earlier (kind, name, effective namespace) triples, oldest first; group and version are the current ones.
    var previous: [(kind: String, name: String, namespace: String)] = []
    var prefixes: [String] = []
    var suffixes: [String] = []
    var behavior: GeneratorBehavior = .create
    var needsHashSuffix = false
    /// Set by a `patches` entry with `options.allowNameChange` / `allowKindChange`.
    var allowNameChange = false
    var allowKindChange = false

    init(object: JSONValue) { self.object = object }

    var apiVersion: String { object["apiVersion"]?.stringValue ?? "" }
    var kind: String { object["kind"]?.stringValue ?? "" }
    var name: String { object[path: "metadata", "name"]?.stringValue ?? "" }
    var namespace: String { object[path: "metadata", "namespace"]?.stringValue ?? "" }

    var currentID: ResourceID {
        let (group, version) = ResourceID.splitAPIVersion(apiVersion)
        return ResourceID(group: group, version: version, kind: kind, name: name, namespace: namespace)
    }

    /// Earlier ids, oldest first (not including the current one).
    var previousIDs: [ResourceID] {
        let current = currentID
        return previous.map {
            ResourceID(group: current.group, version: current.version, kind: $0.kind, name: $0.name,
                       namespace: $0.namespace == ResourceID.clusterScopedNamespace ? "" : $0.namespace)
        }
    }

    /// The id before any rename: what patches without a target and name references are written against.
    var originalID: ResourceID { previousIDs.first ?? currentID }

    /// Records the current id as a previous one (kustomize's `StorePreviousId`).
    mutating func storePreviousID() {
        let id = currentID
        previous.append((id.kind, id.name, id.effectiveNamespace))
    }

    func setName(_ name: String) -> JSONValue {
        var copy = object
        copy[path: "metadata", "name"] = .string(name)
        return copy
    }

    /// Whether the object is empty after a `$patch: delete` (kustomize then drops it).
    var isEmpty: Bool {
        switch object {
        case .null: return true
        case .object(let members): return members.isEmpty
        default: return false
        }
    }
}
