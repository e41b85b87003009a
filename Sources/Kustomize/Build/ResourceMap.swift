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
            guard generated.behavior != .create else {
                throw KustomizeError("id \(id) exists; behavior must be merge or replace")
            }
            // The object merge and the hash decision are the generators' (hash only when both sides want one);
            // the build bookkeeping (earlier names, prefixes, suffixes) is the existing resource's.
            let combined: GeneratedResource
            do {
                combined = try KustomizeGenerators.merge(
                    GeneratedResource(object: generated.object, behavior: generated.behavior,
                                      appendHashSuffix: generated.needsHashSuffix),
                    into: GeneratedResource(object: old.object, behavior: old.behavior,
                                            appendHashSuffix: old.needsHashSuffix))
            } catch {
                throw KustomizeError("merging \(id): \(error)")
            }
            var merged = old
            merged.object = combined.object
            merged.needsHashSuffix = combined.appendHashSuffix
            resources[matches[0]] = merged
        default:
            throw KustomizeError("found multiple objects that could accept merge of \(id)")
        }
    }
}
