/// kustomize's default output order (`sortOptions.order: legacy`): kinds in a fixed dependency order, then by
/// group/version/kind, then namespace and name.
enum LegacyOrder {
    static let defaultFirst = [
        "Namespace", "ResourceQuota", "StorageClass", "CustomResourceDefinition", "ServiceAccount",
        "PodSecurityPolicy", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ConfigMap", "Secret",
        "Endpoints", "Service", "LimitRange", "PriorityClass", "PersistentVolume", "PersistentVolumeClaim",
        "Deployment", "StatefulSet", "CronJob", "PodDisruptionBudget",
    ]
    static let defaultLast = ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"]

    static func sort(_ resources: [KustomizeResource], first: [String], last: [String]) -> [KustomizeResource] {
        var rank: [String: Int] = [:]
        for (i, kind) in first.enumerated() { rank[kind] = -first.count + i }
        for (i, kind) in last.enumerated() { rank[kind] = 1 + i }
        let keyed = resources.map { resource -> (KustomizeResource, ResourceID) in (resource, resource.currentID) }
        return keyed.enumerated().sorted { lhs, rhs in
            let (a, b) = (lhs.element.1, rhs.element.1)
            if a.group != b.group || a.version != b.version || a.kind != b.kind {
                let (ra, rb) = (rank[a.kind] ?? 0, rank[b.kind] ?? 0)
                if ra != rb { return ra < rb }
                let (sa, sb) = (gvkString(a), gvkString(b))
                if a.kind == "Namespace", b.kind == "Namespace", a.group.isEmpty || b.group.isEmpty { return sa > sb }
                if sa != sb { return sa < sb }
            } else {
                let (sa, sb) = (idString(a), idString(b))
                if sa != sb { return sa < sb }
            }
            return lhs.offset < rhs.offset  // Go's sort.Sort is not stable, but ties only arise for equal ids
        }.map(\.element.0)
    }

    private static func gvkString(_ id: ResourceID) -> String {
        "\(id.group.isEmpty ? "~G" : id.group)_\(id.version.isEmpty ? "~V" : id.version)_\(id.kind.isEmpty ? "~K" : id.kind)"
    }

    private static func idString(_ id: ResourceID) -> String {
        "\(id.namespace.isEmpty ? "~X" : id.namespace)|\(id.name.isEmpty ? "~N" : id.name)"
    }
}
