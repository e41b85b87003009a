/// Flux's apply stages and kind order (`fluxcd/pkg/ssa` `sort.go`, `ApplyAllStaged`).
public enum ApplyOrder {
    /// One stage: objects applied together, then (for the first) waited on before the next stage starts.
    public struct Stage: Sendable {
        public var objects: [JSONValue]
        public var waitsForReadiness: Bool
    }

    /// The kinds applied first, in this order; then the objects wait for readiness.
    static let clusterDefinitions: Set<String> = ["CustomResourceDefinition", "Namespace", "ClusterRole"]

    /// Kinds in apply order; unknown kinds come after these, before the webhook configurations.
    static let kindOrder: [String] = [
        "CustomResourceDefinition", "Namespace", "ClusterRole", "ClusterClass", "RuntimeClass", "PriorityClass",
        "StorageClass", "VolumeSnapshotClass", "IngressClass", "GatewayClass", "ClusterRoleBinding", "ResourceQuota",
        "ServiceAccount", "Role", "RoleBinding", "ConfigMap", "Secret", "Service", "LimitRange", "Deployment",
        "StatefulSet", "CronJob", "PodDisruptionBudget",
    ]
    static let lastKinds: [String] = ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"]

    /// Splits `objects` into the three stages, each sorted by kind order, then namespace and name.
    public static func stages(_ objects: [JSONValue]) -> [Stage] {
        var first: [JSONValue] = []
        var classes: [JSONValue] = []
        var rest: [JSONValue] = []
        for object in objects {
            let kind = object["kind"]?.stringValue ?? ""
            if clusterDefinitions.contains(kind) {
                first.append(object)
            } else if kind.hasSuffix("Class") {
                classes.append(object)
            } else {
                rest.append(object)
            }
        }
        return [Stage(objects: sorted(first), waitsForReadiness: true),
                Stage(objects: sorted(classes), waitsForReadiness: false),
                Stage(objects: sorted(rest), waitsForReadiness: false)]
    }

    /// `objects` in Flux's order: by kind rank, then namespace, then name (stable otherwise).
    public static func sorted(_ objects: [JSONValue]) -> [JSONValue] {
        let ranked = objects.enumerated().map { (index, object) in
            (rank: rank(object["kind"]?.stringValue ?? ""), namespace: object[path: "metadata", "namespace"]?.stringValue ?? "",
             name: object[path: "metadata", "name"]?.stringValue ?? "", index: index, object: object)
        }
        return ranked.sorted { lhs, rhs in
            if lhs.rank != rhs.rank { return lhs.rank < rhs.rank }
            if lhs.namespace != rhs.namespace { return lhs.namespace < rhs.namespace }
            if lhs.name != rhs.name { return lhs.name < rhs.name }
            return lhs.index < rhs.index
        }.map(\.object)
    }

    static func rank(_ kind: String) -> Int {
        if let index = kindOrder.firstIndex(of: kind) { return index }
        if let index = lastKinds.firstIndex(of: kind) { return kindOrder.count + 1 + index }
        return kindOrder.count
    }
}
