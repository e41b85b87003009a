import GitOpsKit

/// `images:` and `replicas:`.
extension ResourceMap {
    /// kustomize's ImageTagTransformer: every `containers`/`initContainers` list anywhere in an object (except
    /// in CustomResourceDefinitions), then the image field specs.
    mutating func applyImage(_ image: Kustomization.ImageEntry) throws(KustomizeError) {
        let matcher: Regex<AnyRegexOutput>
        do {
            matcher = try Regex("^" + image.name + "(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$")
        } catch {
            throw KustomizeError("invalid image name '\(image.name)' in images: \(error)")
        }
        let update = { (value: inout JSONValue) in
            guard case .string(let current) = value, (try? matcher.wholeMatch(in: current)) != nil else { return }
            value = .string(ImageReference.rewrite(current, with: image))
        }
        for index in resources.indices {
            var object = resources[index].object
            if resources[index].kind != "CustomResourceDefinition" {
                Self.updateContainerImages(&object, update)
            }
            for spec in BuiltinFieldSpecs.images {
                try FieldSpecWalker.apply(spec, to: &object, createKind: nil) { (value) throws(KustomizeError) in
                    update(&value)
                }
            }
            resources[index].object = object
        }
    }

    private static func updateContainerImages(_ value: inout JSONValue, _ update: (inout JSONValue) -> Void) {
        switch value {
        case .object(var members):
            value = .null
            for key in members.keys.sorted() {
                guard var child = members[key] else { continue }
                members[key] = nil
                updateContainerImages(&child, update)
                if key == "containers" || key == "initContainers", case .array(var items) = child {
                    for i in items.indices where items[i]["image"] != nil {
                        var image = items[i]["image"] ?? .null
                        update(&image)
                        items[i]["image"] = image
                    }
                    child = .array(items)
                }
                members[key] = child
            }
            value = .object(members)
        case .array(var items):
            value = .null
            for i in items.indices { updateContainerImages(&items[i], update) }
            value = .array(items)
        default:
            return
        }
    }

    /// kustomize's ReplicaCountTransformer: `spec/replicas` of the workloads whose current or earlier name is
    /// `name`; an entry that matches nothing is an error.
    mutating func applyReplicas(_ replica: Kustomization.ReplicaEntry) throws(KustomizeError) {
        var found = false
        for spec in BuiltinFieldSpecs.replicas {
            for index in resources.indices {
                let resource = resources[index]
                let ids = [resource.currentID] + resource.previousIDs
                guard ids.contains(where: { $0.name == replica.name && $0.isSelected(by: spec.gvk) }) else { continue }
                found = true
                var object = resource.object
                try FieldSpecWalker.apply(spec, to: &object, createKind: .scalar) { (value) throws(KustomizeError) in
                    value = .int(replica.count)
                }
                resources[index].object = object
            }
        }
        if !found {
            let kinds = BuiltinFieldSpecs.replicas.map { "\($0.gvk.kind).[noVer].[noGrp]" }.joined(separator: " ")
            throw KustomizeError("resource with name \(replica.name) does not match a config with the following GVK [\(kinds)]")
        }
    }
}

/// Splitting and rebuilding `name:tag@digest` image references as kustomize does.
enum ImageReference {
    static func split(_ reference: String) -> (name: String, tag: String, digest: String) {
        let chars = Array(reference)
        let slash = chars.firstIndex(of: "/") ?? 0
        let searchStart = slash > 0 ? slash : 0
        let search = chars[searchStart...]
        let at = search.firstIndex(of: "@")
        let colon = search.firstIndex(of: ":")
        guard colon != nil || at != nil else { return (reference, "", "") }
        if let a = at, colon.map({ a < $0 }) ?? true {
            return (String(chars[..<a]), "", String(chars[(a + 1)...]))
        }
        guard let c = colon else { return (reference, "", "") }
        if let a = at {
            return (String(chars[..<c]), String(chars[(c + 1)..<a]), String(chars[(a + 1)...]))
        }
        return (String(chars[..<c]), String(chars[(c + 1)...]), "")
    }

    static func rewrite(_ reference: String, with image: Kustomization.ImageEntry) -> String {
        var (name, tag, digest) = split(reference)
        if !image.newName.isEmpty { name = image.newName }
        if !image.newTag.isEmpty, !image.digest.isEmpty {
            tag = image.newTag
            digest = image.digest
        } else if !image.newTag.isEmpty {
            tag = image.newTag
            digest = ""
        } else if !image.digest.isEmpty {
            tag = ""
            digest = image.digest
        } else if !image.tagSuffix.isEmpty {
            tag += image.tagSuffix
            digest = ""
        }
        if !tag.isEmpty { name += ":" + tag }
        if !digest.isEmpty { name += "@" + digest }
        return name
    }
}
