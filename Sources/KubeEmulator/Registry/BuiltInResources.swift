/// The built-in kinds the emulator serves, with the scope, subresources, short names and categories of a
/// v1.32 kube-apiserver.
enum BuiltInResources {
    static let all: [ResourceType] = core + apps + batch + networking + others + reviews

    private static func review(_ group: String, _ resource: String, _ kind: String, namespaced: Bool = false) -> ResourceType {
        var type = ResourceType(group: group, version: "v1", resource: resource, kind: kind, namespaced: namespaced)
        type.reviewOnly = true
        return type
    }

    /// Create-only reviews, answered by the RBAC authorizer (`Reviews`).
    private static let reviews: [ResourceType] = [
        review("authorization.k8s.io", "selfsubjectaccessreviews", "SelfSubjectAccessReview"),
        review("authorization.k8s.io", "subjectaccessreviews", "SubjectAccessReview"),
        review("authorization.k8s.io", "selfsubjectrulesreviews", "SelfSubjectRulesReview"),
        review("authorization.k8s.io", "localsubjectaccessreviews", "LocalSubjectAccessReview", namespaced: true),
        review("authentication.k8s.io", "selfsubjectreviews", "SelfSubjectReview"),
    ]

    private static let core: [ResourceType] = [
        ResourceType(group: "", version: "v1", resource: "namespaces", kind: "Namespace", namespaced: false,
                     shortNames: ["ns"], hasStatus: true, returnsDeletedObject: true),
        ResourceType(group: "", version: "v1", resource: "configmaps", kind: "ConfigMap", namespaced: true, shortNames: ["cm"]),
        ResourceType(group: "", version: "v1", resource: "secrets", kind: "Secret", namespaced: true),
        ResourceType(group: "", version: "v1", resource: "services", kind: "Service", namespaced: true,
                     shortNames: ["svc"], categories: ["all"], hasStatus: true),
        ResourceType(group: "", version: "v1", resource: "serviceaccounts", kind: "ServiceAccount", namespaced: true,
                     shortNames: ["sa"]),
        ResourceType(group: "", version: "v1", resource: "events", kind: "Event", namespaced: true, shortNames: ["ev"]),
        ResourceType(group: "", version: "v1", resource: "pods", kind: "Pod", namespaced: true, shortNames: ["po"],
                     categories: ["all"], hasStatus: true, returnsDeletedObject: true),
        ResourceType(group: "", version: "v1", resource: "endpoints", kind: "Endpoints", namespaced: true, shortNames: ["ep"]),
        ResourceType(group: "", version: "v1", resource: "persistentvolumeclaims", kind: "PersistentVolumeClaim",
                     namespaced: true, shortNames: ["pvc"], hasStatus: true),
        ResourceType(group: "", version: "v1", resource: "persistentvolumes", kind: "PersistentVolume",
                     namespaced: false, shortNames: ["pv"], hasStatus: true),
        ResourceType(group: "", version: "v1", resource: "limitranges", kind: "LimitRange", namespaced: true, shortNames: ["limits"]),
        ResourceType(group: "", version: "v1", resource: "resourcequotas", kind: "ResourceQuota", namespaced: true,
                     shortNames: ["quota"], hasStatus: true),
        ResourceType(group: "", version: "v1", resource: "nodes", kind: "Node", namespaced: false, shortNames: ["no"], hasStatus: true),
    ]

    private static let apps: [ResourceType] = [
        ResourceType(group: "apps", version: "v1", resource: "deployments", kind: "Deployment", namespaced: true,
                     shortNames: ["deploy"], categories: ["all"], hasStatus: true, hasScale: true, tracksGeneration: true),
        ResourceType(group: "apps", version: "v1", resource: "statefulsets", kind: "StatefulSet", namespaced: true,
                     shortNames: ["sts"], categories: ["all"], hasStatus: true, hasScale: true, tracksGeneration: true),
        ResourceType(group: "apps", version: "v1", resource: "daemonsets", kind: "DaemonSet", namespaced: true,
                     shortNames: ["ds"], categories: ["all"], hasStatus: true, tracksGeneration: true),
        ResourceType(group: "apps", version: "v1", resource: "replicasets", kind: "ReplicaSet", namespaced: true,
                     shortNames: ["rs"], categories: ["all"], hasStatus: true, hasScale: true, tracksGeneration: true),
        ResourceType(group: "apps", version: "v1", resource: "controllerrevisions", kind: "ControllerRevision", namespaced: true),
    ]

    private static let batch: [ResourceType] = [
        ResourceType(group: "batch", version: "v1", resource: "jobs", kind: "Job", namespaced: true,
                     categories: ["all"], hasStatus: true, tracksGeneration: true),
        ResourceType(group: "batch", version: "v1", resource: "cronjobs", kind: "CronJob", namespaced: true,
                     shortNames: ["cj"], categories: ["all"], hasStatus: true, tracksGeneration: true),
    ]

    private static let networking: [ResourceType] = [
        ResourceType(group: "networking.k8s.io", version: "v1", resource: "ingresses", kind: "Ingress", namespaced: true,
                     shortNames: ["ing"], hasStatus: true, tracksGeneration: true),
        ResourceType(group: "networking.k8s.io", version: "v1", resource: "ingressclasses", kind: "IngressClass",
                     namespaced: false, tracksGeneration: true),
        ResourceType(group: "networking.k8s.io", version: "v1", resource: "networkpolicies", kind: "NetworkPolicy",
                     namespaced: true, shortNames: ["netpol"], tracksGeneration: true),
    ]

    private static let others: [ResourceType] = [
        ResourceType(group: "events.k8s.io", version: "v1", resource: "events", kind: "Event", namespaced: true,
                     shortNames: ["ev"], storage: StorageID(group: "", resource: "events"), storageVersion: "v1"),
        ResourceType(group: "coordination.k8s.io", version: "v1", resource: "leases", kind: "Lease", namespaced: true),
        ResourceType(group: "policy", version: "v1", resource: "poddisruptionbudgets", kind: "PodDisruptionBudget",
                     namespaced: true, shortNames: ["pdb"], hasStatus: true, tracksGeneration: true),
        ResourceType(group: "autoscaling", version: "v2", resource: "horizontalpodautoscalers",
                     kind: "HorizontalPodAutoscaler", namespaced: true, shortNames: ["hpa"], categories: ["all"],
                     hasStatus: true),
        ResourceType(group: "rbac.authorization.k8s.io", version: "v1", resource: "roles", kind: "Role", namespaced: true),
        ResourceType(group: "rbac.authorization.k8s.io", version: "v1", resource: "rolebindings", kind: "RoleBinding",
                     namespaced: true),
        ResourceType(group: "rbac.authorization.k8s.io", version: "v1", resource: "clusterroles", kind: "ClusterRole",
                     namespaced: false),
        ResourceType(group: "rbac.authorization.k8s.io", version: "v1", resource: "clusterrolebindings",
                     kind: "ClusterRoleBinding", namespaced: false),
        ResourceType(group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions",
                     kind: "CustomResourceDefinition", namespaced: false, shortNames: ["crd", "crds"],
                     categories: ["api-extensions"], hasStatus: true, tracksGeneration: true),
        ResourceType(group: "admissionregistration.k8s.io", version: "v1", resource: "mutatingwebhookconfigurations",
                     kind: "MutatingWebhookConfiguration", namespaced: false, categories: ["api-extensions"],
                     tracksGeneration: true),
        ResourceType(group: "admissionregistration.k8s.io", version: "v1", resource: "validatingwebhookconfigurations",
                     kind: "ValidatingWebhookConfiguration", namespaced: false, categories: ["api-extensions"],
                     tracksGeneration: true),
        ResourceType(group: "storage.k8s.io", version: "v1", resource: "storageclasses", kind: "StorageClass",
                     namespaced: false, shortNames: ["sc"]),
        ResourceType(group: "scheduling.k8s.io", version: "v1", resource: "priorityclasses", kind: "PriorityClass",
                     namespaced: false, shortNames: ["pc"]),
        ResourceType(group: "discovery.k8s.io", version: "v1", resource: "endpointslices", kind: "EndpointSlice",
                     namespaced: true),
    ]

    /// The order kube-apiserver lists its groups in (`/apis`); CRD groups follow, sorted.
    static let groupOrder: [String] = [
        "apps", "events.k8s.io", "autoscaling", "batch", "networking.k8s.io", "policy", "rbac.authorization.k8s.io",
        "storage.k8s.io", "admissionregistration.k8s.io", "apiextensions.k8s.io", "scheduling.k8s.io",
        "coordination.k8s.io", "discovery.k8s.io", "authentication.k8s.io", "authorization.k8s.io",
    ]
}
