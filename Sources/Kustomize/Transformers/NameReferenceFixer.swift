import GitOpsKit

/// Rewrites fields that refer to renamed objects (kustomize's nameReference back-reference fixing): a field
/// whose value is an earlier name of a resource of the referred-to kind, reachable from the referrer's namespace,
/// gets that resource's final name.
extension ResourceMap {
    mutating func fixNameReferences() throws(KustomizeError) {
        let snapshot = resources
        // Ids computed once, and candidates only for referrers that have reference fields: the per-referrer scan
        // over every resource was most of a 100-object build.
        let ids = snapshot.map(\.currentID)
        for index in resources.indices {
            let referrer = snapshot[index]
            let original = referrer.originalID
            var candidates: [KustomizeResource]?
            var object = referrer.object
            for reference in BuiltinFieldSpecs.nameReferences {
                for spec in reference.referrers where original.isSelected(by: spec.gvk) {
                    var current = spec
                    current.gvk = FieldSpecGVK()
                    let subset = candidates ?? Self.candidates(for: referrer, id: ids[index], in: snapshot, ids: ids)
                    candidates = subset
                    let fixer = ReferenceFixer(referrer: referrer, path: spec.path, target: reference.target,
                                               candidates: subset)
                    try FieldSpecWalker.apply(current, to: &object, createKind: nil) { (value) throws(KustomizeError) in
                        try fixer.set(&value)
                    }
                }
            }
            resources[index].object = object
        }
    }

    /// `SubsetThatCouldBeReferencedByResource`: what a referrer in its namespace may point at.
    private static func candidates(for referrer: KustomizeResource, id: ResourceID, in all: [KustomizeResource],
                                   ids: [ResourceID]) -> [KustomizeResource] {
        if id.isClusterScoped { return all }
        var roleBindingNamespaces: Set<String> = []
        if referrer.kind == "RoleBinding", case .array(let subjects)? = referrer.object["subjects"] {
            for subject in subjects where subject["kind"] == .string("ServiceAccount") {
                if let ns = subject["namespace"]?.stringValue { roleBindingNamespaces.insert(ns) }
            }
        }
        return all.indices.filter { index in
            let targetID = ids[index]
            return targetID.isClusterScoped || targetID.effectiveNamespace == id.effectiveNamespace
                || roleBindingNamespaces.contains(targetID.namespace)
        }.map { all[$0] }
    }
}

/// One referrer field being fixed (kustomize's `nameref.Filter`).
private struct ReferenceFixer {
    var referrer: KustomizeResource
    var path: String
    var target: FieldSpecGVK
    var candidates: [KustomizeResource]

    func set(_ value: inout JSONValue) throws(KustomizeError) {
        switch value {
        case .null: return
        case .string: try setScalar(&value)
        case .object: try setMapping(&value)
        case .array(var items):
            for i in items.indices {
                switch items[i] {
                case .null: continue
                case .string: try setScalar(&items[i])
                case .object: try setMapping(&items[i])
                default: throw KustomizeError("\(items[i]) is expected to be either a string or a map of string")
                }
            }
            value = .array(items)
        default:
            throw KustomizeError("node must be a scalar, sequence or map")
        }
    }

    private func setScalar(_ value: inout JSONValue) throws(KustomizeError) {
        guard case .string(let old) = value else { return }
        guard let referral = try select(old, from: candidates, sameNamespaces: false) else { return }
        if referral.name != old { value = .string(referral.name) }
    }

    private func setMapping(_ value: inout JSONValue) throws(KustomizeError) {
        guard let nameValue = value["name"] else {
            throw KustomizeError("path config error; no 'name' field in node")
        }
        guard case .string(let old) = nameValue else { return }
        var pool = candidates
        if let namespace = value["namespace"]?.stringValue {
            let byOriginal = candidates.filter {
                $0.originalID.effectiveNamespace == namespace && !$0.originalID.isClusterScoped
            }
            pool = byOriginal.isEmpty
                ? candidates.filter { $0.currentID.effectiveNamespace == namespace && !$0.currentID.isClusterScoped }
                : byOriginal
        }
        guard let referral = try select(old, from: pool, sameNamespaces: true) else { return }
        if referral.name == old, referral.namespace.isEmpty { return }
        value["name"] = .string(referral.name)
        if !referral.namespace.isEmpty { value["namespace"] = .string(referral.namespace) }
    }

    private func select(_ old: String, from pool: [KustomizeResource], sameNamespaces: Bool) throws(KustomizeError)
        -> KustomizeResource?
    {
        let referrerID = referrer.currentID
        var roleRef: FieldSpecGVK?
        if path.hasSuffix("roleRef/name"), let group = referrer.object[path: "roleRef", "apiGroup"]?.stringValue,
            let kind = referrer.object[path: "roleRef", "kind"]?.stringValue {
            roleRef = FieldSpecGVK(group: group, kind: kind)
        }
        var found = pool.filter { candidate in
            let previous = candidate.previousIDs
            guard previous.contains(where: { $0.name == old }) else { return false }
            guard previous.contains(where: { $0.isSelected(by: target) }) else { return false }
            if let roleRef, !previous.contains(where: { $0.isSelected(by: roleRef) }) { return false }
            if referrerID.isClusterScoped { return true }
            let id = candidate.currentID
            return id.isClusterScoped || candidate.kind == "ServiceAccount"
                || id.effectiveNamespace == referrerID.effectiveNamespace
        }
        if found.count == 1 { return found[0] }
        found = found.filter { Self.affixesEqual($0, referrer, allowEmpty: true) }
        if found.count > 1 { found = found.filter { Self.affixesEqual($0, referrer, allowEmpty: false) } }
        if found.count == 1 { return found[0] }
        guard let first = found.first else { return nil }
        if found.allSatisfy({ $0.name == first.name && (!sameNamespaces || $0.namespace == first.namespace) }) {
            return first
        }
        let ids = found.map { $0.currentID.description }.joined(separator: ", ")
        throw KustomizeError("found multiple possible referrals: \(ids) for '\(path)' of \(referrerID)")
    }

    private static func affixesEqual(_ a: KustomizeResource, _ b: KustomizeResource, allowEmpty: Bool) -> Bool {
        if allowEmpty {
            let prefixOK = a.prefixes.isEmpty || b.prefixes.isEmpty || sameEnding(a.prefixes, b.prefixes)
            let suffixOK = a.suffixes.isEmpty || b.suffixes.isEmpty || sameEnding(a.suffixes, b.suffixes)
            return prefixOK && suffixOK
        }
        return sameEnding(a.prefixes, b.prefixes) && sameEnding(a.suffixes, b.suffixes)
    }

    private static func sameEnding(_ a: [String], _ b: [String]) -> Bool {
        let (shorter, longer) = a.count <= b.count ? (a, b) : (b, a)
        if shorter.isEmpty { return longer.isEmpty }
        return Array(longer.suffix(shorter.count)) == shorter
    }
}
