import GitOpsKit

/// The ordered resources of one accumulation, with kustomize's id rules: no two resources may share a current
/// id, and generated resources with `merge`/`replace` behavior fold into the one they name.
struct ResourceMap: Sendable {
    var resources: [KustomizeResource] = []

    mutating func append(_ resource: KustomizeResource) throws(KustomizeError) {
        let id = resource.currentID
        if resources.contains(where: { $0.currentID.matches(id) }) {
            throw KustomizeError("may not add resource with an already registered id: \(id)")
        }
        resources.append(resource)
    }

    mutating func append(contentsOf other: ResourceMap) throws(KustomizeError) {
        for resource in other.resources { try append(resource) }
    }

    /// Indices of resources that have `id` as their current or any previous id.
    func indices(matchingAnyID id: ResourceID) -> [Int] {
        resources.indices.filter { index in
            let resource = resources[index]
            return resource.currentID.matches(id) || resource.previousIDs.contains { $0.matches(id) }
        }
    }

    /// Adds a generated resource: appended for `create`, folded into its namesake for `merge`/`replace`.
    mutating func absorb(_ generated: KustomizeResource) throws(KustomizeError) {
        let id = generated.currentID
        let matches = indices(matchingAnyID: id)
        switch matches.count {
        case 0:
            guard generated.behavior == .create else {
                throw KustomizeError("id \(id) does not exist; cannot merge or replace")
            }
            resources.append(generated)
        case 1:
            let old = resources[matches[0]]
            var merged = generated
            switch generated.behavior {
            case .create:
                throw KustomizeError("id \(id) exists; behavior must be merge or replace")
            case .replace:
                merged.copyMetadata(from: old)
            case .merge:
                merged.copyMetadata(from: old)
                for field in ["data", "binaryData"] {
                    let combined = Self.mergeStringMaps(old.object[field], generated.object[field])
                    merged.object[field] = combined.isEmpty ? nil : .object(combined)
                }
            }
            resources[matches[0]] = merged
        default:
            throw KustomizeError("found multiple objects that could accept merge of \(id)")
        }
    }

    static func mergeStringMaps(_ base: JSONValue?, _ overlay: JSONValue?) -> [String: JSONValue] {
        var result = base?.objectValue ?? [:]
        for (key, value) in overlay?.objectValue ?? [:] { result[key] = value }
        return result
    }
}

extension KustomizeResource {
    /// kustomize's `CopyMergeMetaDataFieldsFrom`: labels and annotations merged (this one's win), name and
    /// namespace and build bookkeeping taken from `other`.
    mutating func copyMetadata(from other: KustomizeResource) {
        for field in ["labels", "annotations"] {
            let merged = ResourceMap.mergeStringMaps(other.object[path: "metadata", field], object[path: "metadata", field])
            object[path: "metadata", field] = merged.isEmpty ? nil : .object(merged)
        }
        object[path: "metadata", "name"] = other.object[path: "metadata", "name"]
        object[path: "metadata", "namespace"] = other.namespace.isEmpty ? nil : .string(other.namespace)
        previous = other.previous
        prefixes = other.prefixes
        suffixes = other.suffixes
    }
}
