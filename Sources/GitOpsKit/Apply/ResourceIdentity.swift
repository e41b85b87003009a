/// Which object an applier touched: its kind, namespace (nil when cluster-scoped) and name, printed the way Flux
/// prints change sets (`Deployment/apps/podinfo`, `Namespace/apps`).
public struct ResourceIdentity: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var kind: GroupVersionKind
    public var namespace: String?
    public var name: String

    public init(kind: GroupVersionKind, namespace: String?, name: String) {
        self.kind = kind
        self.namespace = namespace.flatMap { $0.isEmpty ? nil : $0 }
        self.name = name
    }

    /// The identity of an object as built or read (nil without `apiVersion`, `kind` or `metadata.name`).
    public init?(of object: JSONValue) {
        guard let kind = GroupVersionKind(of: object), let key = ObjectKey(of: object), !key.name.isEmpty else { return nil }
        self.init(kind: kind, namespace: key.namespace, name: key.name)
    }

    /// The identity an inventory entry records (nil for a malformed id).
    public init?(inventory entry: ResourceRef) {
        guard let kind = entry.kind, let key = entry.key else { return nil }
        self.init(kind: kind, namespace: key.namespace, name: key.name)
    }

    public var key: ObjectKey { ObjectKey(namespace: namespace, name: name) }

    /// `Kind/namespace/name`, or `Kind/name` for a cluster-scoped object.
    public var subject: String { namespace.map { "\(kind.kind)/\($0)/\(name)" } ?? "\(kind.kind)/\(name)" }

    /// The `status.inventory` entry for this object.
    public var inventoryEntry: ResourceRef {
        ResourceRef(namespace: namespace ?? "", name: name, group: kind.group, kind: kind.kind, version: kind.version)
    }

    public var description: String { subject }

    /// Identity without the version: the same object applied under another API version is the same object.
    public var versionless: String { inventoryEntry.id }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.namespace ?? "", lhs.name, lhs.kind.kind) < (rhs.namespace ?? "", rhs.name, rhs.kind.kind)
    }
}
