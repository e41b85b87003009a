/// Helm's `InstallOrder`: the kinds installed first come first; kinds it does not know come last, sorted by name.
enum KindSortOrder {
    static let install = [
        "PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy",
        "PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList", "ConfigMap", "StorageClass",
        "PersistentVolume", "PersistentVolumeClaim", "CustomResourceDefinition", "ClusterRole", "ClusterRoleList",
        "ClusterRoleBinding", "ClusterRoleBindingList", "Role", "RoleList", "RoleBinding", "RoleBindingList",
        "Service", "DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment", "HorizontalPodAutoscaler",
        "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress", "APIService",
    ]

    static let installRank: [String: Int] = {
        var rank: [String: Int] = [:]
        for (index, kind) in install.enumerated() { rank[kind] = index }
        return rank
    }()

    /// Helm's `lessByKind` for `InstallOrder`.
    static func installsBefore(_ a: String, _ b: String) -> Bool {
        switch (installRank[a], installRank[b]) {
        case (nil, nil): return a < b
        case (nil, _): return false
        case (_, nil): return true
        case (let first?, let second?): return first < second
        }
    }

    /// A stable sort of `elements` by their kinds in install order (Go's `sort.SliceStable`).
    static func stableSorted<Element>(_ elements: [Element], kind: (Element) -> String) -> [Element] {
        elements.enumerated().sorted { a, b in
            let kindA = kind(a.element)
            let kindB = kind(b.element)
            if installsBefore(kindA, kindB) { return true }
            if installsBefore(kindB, kindA) { return false }
            return a.offset < b.offset
        }.map(\.element)
    }
}
