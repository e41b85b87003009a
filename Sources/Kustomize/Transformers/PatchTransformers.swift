import GitOpsKit

/// A loaded patch: strategic-merge documents or one JSON 6902 operation list.
enum LoadedPatch {
    case strategicMerge([JSONValue])
    case json6902(JSONValue)

    /// Parses patch text the way kustomize decides: objects are strategic-merge patches, a list is JSON 6902.
    init(text: String, source: String) throws(KustomizeError) {
        let documents: [JSONValue]
        do {
            documents = try YAML.decodeAll(Array(text.utf8), rules: .kyaml)
        } catch {
            throw KustomizeError("unable to parse SM or JSON patch from \(source): \(error)")
        }
        if documents.count == 1, case .array = documents[0] {
            // kustomize reads JSON 6902 operations through sigs.k8s.io/yaml: go-yaml v2 typing (`yes` is true,
            // timestamps keep their text).
            do {
                self = .json6902(try YAML.decode(Array(text.utf8)))
            } catch {
                throw KustomizeError("unable to parse SM or JSON patch from \(source): \(error)")
            }
        } else if !documents.isEmpty, documents.allSatisfy({ $0.objectValue != nil }) {
            self = .strategicMerge(documents)
        } else {
            throw KustomizeError("unable to parse SM or JSON patch from \(source)")
        }
    }
}

extension ResourceMap {
    /// One `patches` (or `patchesJson6902`) entry.
    mutating func applyPatch(_ patch: LoadedPatch, target: ResourceSelector?, allowNameChange: Bool,
                             allowKindChange: Bool, source: String) throws(KustomizeError) {
        switch patch {
        case .json6902(let operations):
            guard let target else { throw KustomizeError("must specify a target for JSON patch \(source)") }
            let matcher = try ResourceSelector.Matcher(target)
            for index in resources.indices where matcher.matches(resources[index]) {
                resources[index].storePreviousID()
                do {
                    resources[index].object = try JSONPatch.apply(operations, to: resources[index].object)
                } catch {
                    throw KustomizeError("applying JSON patch \(source) to \(resources[index].currentID): \(error)")
                }
            }
        case .strategicMerge(let documents):
            if let target {
                guard documents.count == 1 else {
                    throw KustomizeError("Multiple Strategic-Merge Patches in one `patches` entry is not allowed to set `patches.target` field: \(source)")
                }
                let matcher = try ResourceSelector.Matcher(target)
                let selected = resources.indices.filter { matcher.matches(resources[$0]) }
                for index in selected {
                    var copy = documents[0]
                    copy["apiVersion"] = .string(resources[index].apiVersion)
                    try applyStrategicMerge(copy, at: index, allowNameChange: allowNameChange,
                                            allowKindChange: allowKindChange, source: source)
                }
            } else {
                for document in documents {
                    try applyStrategicMergeByID(document, allowNameChange: allowNameChange,
                                                allowKindChange: allowKindChange, source: source)
                }
            }
            resources.removeAll { $0.isEmpty }
        }
    }

    /// A patch without a target applies to the one resource whose current or earlier id is the patch's own.
    mutating func applyStrategicMergeByID(_ document: JSONValue, allowNameChange: Bool = false,
                                          allowKindChange: Bool = false, source: String) throws(KustomizeError) {
        let patchResource = KustomizeResource(object: document)
        let id = patchResource.currentID
        let matches = indices(matchingAnyID: id)
        guard matches.count == 1 else {
            let why = matches.isEmpty ? "no matches for Id \(id)" : "multiple matches for Id \(id)"
            throw KustomizeError("\(why); failed to find unique target for patch \(id) (\(source))")
        }
        try applyStrategicMerge(document, at: matches[0], allowNameChange: allowNameChange,
                                allowKindChange: allowKindChange, source: source)
        resources.removeAll { $0.isEmpty }
    }

    /// kustomize's `Resource.ApplySmPatch`: name, kind and namespace survive unless the patch may change them.
    private mutating func applyStrategicMerge(_ patch: JSONValue, at index: Int, allowNameChange: Bool,
                                              allowKindChange: Bool, source: String) throws(KustomizeError) {
        var resource = resources[index]
        let (name, namespace, kind) = (resource.name, resource.namespace, resource.kind)
        if allowNameChange || allowKindChange { resource.storePreviousID() }
        let (group, version) = ResourceID.splitAPIVersion(resource.apiVersion)
        let schema = PatchSchema.builtIn(GroupVersionKind(group: group, version: version, kind: kind))
            ?? PatchSchema(root: .untyped)
        do {
            resource.object = try StrategicMergePatch.apply(patch, to: resource.object, schema: schema)
        } catch {
            throw KustomizeError("applying strategic merge patch \(source) to \(resource.currentID): \(error)")
        }
        if !resource.isEmpty {
            if !allowKindChange { resource.object["kind"] = .string(kind) }
            if !allowNameChange { resource.object[path: "metadata", "name"] = .string(name) }
            resource.object[path: "metadata", "namespace"] = namespace.isEmpty ? nil : .string(namespace)
        }
        resources[index] = resource
    }
}
