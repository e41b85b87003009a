import GitOpsKit

/// Namespace, name prefix/suffix, labels and annotations: kustomize's builtin transformers that rewrite metadata.
extension ResourceMap {
    /// kustomize's NamespaceTransformer (default `setRoleBindingSubjects: defaultOnly`).
    mutating func setNamespace(_ namespace: String) throws(KustomizeError) {
        guard !namespace.isEmpty else { return }
        for index in resources.indices {
            if resources[index].isEmpty { continue }
            resources[index].storePreviousID()
            var object = resources[index].object
            let apiVersion = object["apiVersion"]?.stringValue ?? ""
            if !resources[index].currentID.isClusterScoped {
                object[path: "metadata", "namespace"] = .string(namespace)
            }
            let kind = resources[index].kind
            if kind == "RoleBinding" || kind == "ClusterRoleBinding", case .array(var subjects)? = object["subjects"] {
                for i in subjects.indices where subjects[i]["name"] == .string("default") {
                    subjects[i]["namespace"] = .string(namespace)
                }
                object["subjects"] = .array(subjects)
            }
            for spec in BuiltinFieldSpecs.namespace where apiVersion == "v1" || spec.path != "metadata/name" {
                try FieldSpecWalker.apply(spec, to: &object, createKind: .scalar) { (value) throws(KustomizeError) in
                    value = .string(namespace)
                }
            }
            resources[index].object = object
        }
        for resource in resources {
            let id = resource.currentID
            if resources.filter({ $0.currentID.matches(id) }).count != 1 {
                throw KustomizeError("namespace transformation produces ID conflict: \(id)")
            }
        }
    }

    /// kustomize's PrefixTransformer / SuffixTransformer on `metadata/name`.
    mutating func addNameAffix(prefix: String = "", suffix: String = "") {
        guard !prefix.isEmpty || !suffix.isEmpty else { return }
        for index in resources.indices {
            let original = resources[index].originalID
            if original.kind == "CustomResourceDefinition" || original.kind == "Namespace"
                || (original.kind == "APIService" && original.group == "apiregistration.k8s.io") {
                continue
            }
            var resource = resources[index]
            if !prefix.isEmpty {
                resource.prefixes.append(prefix)
                resource.storePreviousID()
                resource.object = resource.setName(prefix + resource.name)
            }
            if !suffix.isEmpty {
                resource.suffixes.append(suffix)
                resource.storePreviousID()
                resource.object = resource.setName(resource.name + suffix)
            }
            resources[index] = resource
        }
    }

    /// Sets each key of `pairs` in the map at every field spec (LabelTransformer / AnnotationsTransformer).
    mutating func setMapEntries(_ pairs: [String: String], specs: [FieldSpec]) throws(KustomizeError) {
        guard !pairs.isEmpty else { return }
        let specs = Self.deduplicated(specs)
        for index in resources.indices {
            var object = resources[index].object
            for spec in specs {
                try FieldSpecWalker.apply(spec, to: &object, createKind: .map) { (value) throws(KustomizeError) in
                    guard case .object(var members) = value else {
                        throw KustomizeError("expected a map at '\(spec.path)', got \(value.typeName)")
                    }
                    for (key, entry) in pairs { members[key] = .string(entry) }
                    value = .object(members)
                }
            }
            resources[index].object = object
        }
    }

    /// `labels:` entries then `commonLabels`, with the field specs kustomize picks for each.
    mutating func applyLabels(_ kustomization: Kustomization) throws(KustomizeError) {
        for entry in kustomization.labels {
            var specs = entry.fields
            if entry.includeSelectors {
                specs += BuiltinFieldSpecs.commonLabels
            } else {
                if entry.includeTemplates { specs += BuiltinFieldSpecs.templateLabels }
                specs.append(FieldSpec(path: "metadata/labels", create: true))
            }
            try setMapEntries(entry.pairs, specs: specs)
        }
        try setMapEntries(kustomization.commonLabels, specs: BuiltinFieldSpecs.commonLabels)
    }

    static func deduplicated(_ specs: [FieldSpec]) -> [FieldSpec] {
        var seen: Set<FieldSpec> = []
        var result: [FieldSpec] = []
        for spec in specs {
            let key = FieldSpec(gvk: spec.gvk, path: spec.path, create: false)
            if seen.insert(key).inserted { result.append(spec) }
        }
        return result
    }
}
