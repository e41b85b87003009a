/// The objects a Kustomization or HelmRelease applied (`status.inventory`): what pruning compares against.
public struct ResourceInventory: Codable, Hashable, Sendable {
    public var entries: [ResourceRef]

    public init(entries: [ResourceRef] = []) { self.entries = entries }
}

/// One applied object: `id` is `<namespace>_<name>_<group>_<kind>` (cli-utils `ObjMetadata`), `v` its version.
///
/// Examples: `default_podinfo_apps_Deployment` / `v1`, `default_podinfo__Service` / `v1` (core group is empty),
/// `_cluster-admin__rbac.authorization.k8s.io_ClusterRole` for a cluster-scoped object. Colons in RBAC names are
/// written as `__`.
public struct ResourceRef: Codable, Hashable, Sendable, CustomStringConvertible {
    public var id: String
    /// The API version the object was applied with (`v1`, `v1beta1`).
    public var version: String

    private enum CodingKeys: String, CodingKey {
        case id
        case version = "v"
    }

    public init(id: String, version: String) {
        self.id = id
        self.version = version
    }

    /// The entry for an object; `namespace` is empty for cluster-scoped objects, `group` empty for the core group.
    public init(namespace: String, name: String, group: String, kind: String, version: String) {
        var encodedName = name
        if group == "rbac.authorization.k8s.io", Self.rbacKinds.contains(kind) {
            encodedName = name.replacing(":", with: "__")
        }
        self.init(id: "\(namespace)_\(encodedName)_\(group)_\(kind)", version: version)
    }

    private static let rbacKinds: Set<String> = ["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"]

    /// The parts of `id`, or nil when it is malformed (fewer than four fields, or `_` left in the name).
    public var parts: (namespace: String, name: String, group: String, kind: String)? {
        guard let first = id.firstIndex(of: "_") else { return nil }
        let namespace = String(id[..<first])
        var rest = id[id.index(after: first)...]
        guard let kindSeparator = rest.lastIndex(of: "_") else { return nil }
        let kind = String(rest[rest.index(after: kindSeparator)...])
        rest = rest[..<kindSeparator]
        guard let groupSeparator = rest.lastIndex(of: "_") else { return nil }
        let group = String(rest[rest.index(after: groupSeparator)...])
        let name = String(rest[..<groupSeparator]).replacing("__", with: ":")
        if name.contains("_") { return nil }
        return (namespace, name, group, kind)
    }

    /// The object's kind, or nil for a malformed id.
    public var kind: GroupVersionKind? {
        guard let parts else { return nil }
        return GroupVersionKind(group: parts.group, version: version, kind: parts.kind)
    }

    /// The object's key, or nil for a malformed id.
    public var key: ObjectKey? {
        guard let parts else { return nil }
        return ObjectKey(namespace: parts.namespace.isEmpty ? nil : parts.namespace, name: parts.name)
    }

    public var description: String { "\(id) (\(version))" }
}
