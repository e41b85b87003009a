/// kustomize v5's default transformer configuration (api/internal/konfig/builtinpluginconsts): which fields
/// labels, annotations, namespaces, images and replicas go to, and which fields refer to other objects by name.
enum BuiltinFieldSpecs {
    /// The workload kinds whose pod template is at `spec/template` (CronJob's is under `spec/jobTemplate`).
    private static let templatedWorkloads = ["Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job"]

    /// `metadata/labels` plus the pod-template labels of workloads (`templateLabels`).
    static let templateLabels: [FieldSpec] = [
        FieldSpec("", "metadata/labels", create: true),
        FieldSpec("ReplicationController", "spec/template/metadata/labels", version: "v1", create: true),
        FieldSpec("Deployment", "spec/template/metadata/labels", create: true),
        FieldSpec("ReplicaSet", "spec/template/metadata/labels", create: true),
        FieldSpec("DaemonSet", "spec/template/metadata/labels", create: true),
        FieldSpec("StatefulSet", "spec/template/metadata/labels", group: "apps", create: true),
        FieldSpec("StatefulSet", "spec/volumeClaimTemplates[]/metadata/labels", group: "apps", create: true),
        FieldSpec("Job", "spec/template/metadata/labels", group: "batch", create: true),
        FieldSpec("CronJob", "spec/jobTemplate/metadata/labels", group: "batch", create: true),
        FieldSpec("CronJob", "spec/jobTemplate/spec/template/metadata/labels", group: "batch", create: true),
    ]

    /// Where `commonLabels` (and `labels` with `includeSelectors`) go: selectors too.
    static let commonLabels: [FieldSpec] = {
        var specs: [FieldSpec] = [
            FieldSpec("Service", "spec/selector", version: "v1", create: true),
            FieldSpec("ReplicationController", "spec/selector", version: "v1", create: true),
            FieldSpec("Deployment", "spec/selector/matchLabels", create: true),
        ]
        let affinity = [
            "spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels",
            "spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels",
            "spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels",
            "spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels",
            "spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels",
        ]
        specs += affinity.map { FieldSpec("Deployment", $0, group: "apps") }
        specs += [
            FieldSpec("ReplicaSet", "spec/selector/matchLabels", create: true),
            FieldSpec("DaemonSet", "spec/selector/matchLabels", create: true),
            FieldSpec("StatefulSet", "spec/selector/matchLabels", group: "apps", create: true),
        ]
        specs += affinity.map { FieldSpec("StatefulSet", $0, group: "apps") }
        specs += [
            FieldSpec("Job", "spec/selector/matchLabels", group: "batch"),
            FieldSpec("CronJob", "spec/jobTemplate/spec/selector/matchLabels", group: "batch"),
            FieldSpec("PodDisruptionBudget", "spec/selector/matchLabels", group: "policy"),
            FieldSpec("NetworkPolicy", "spec/podSelector/matchLabels", group: "networking.k8s.io"),
            FieldSpec("NetworkPolicy", "spec/ingress/from/podSelector/matchLabels", group: "networking.k8s.io"),
            FieldSpec("NetworkPolicy", "spec/egress/to/podSelector/matchLabels", group: "networking.k8s.io"),
        ]
        return specs + templateLabels
    }()

    static let commonAnnotations: [FieldSpec] = [
        FieldSpec("", "metadata/annotations", create: true),
        FieldSpec("ReplicationController", "spec/template/metadata/annotations", version: "v1", create: true),
        FieldSpec("Deployment", "spec/template/metadata/annotations", create: true),
        FieldSpec("ReplicaSet", "spec/template/metadata/annotations", create: true),
        FieldSpec("DaemonSet", "spec/template/metadata/annotations", create: true),
        FieldSpec("StatefulSet", "spec/template/metadata/annotations", create: true),
        FieldSpec("Job", "spec/template/metadata/annotations", group: "batch", create: true),
        FieldSpec("CronJob", "spec/jobTemplate/metadata/annotations", group: "batch", create: true),
        FieldSpec("CronJob", "spec/jobTemplate/spec/template/metadata/annotations", group: "batch", create: true),
    ]

    /// Besides `metadata/namespace` (set on every namespaced object).
    static let namespace: [FieldSpec] = [
        FieldSpec("Namespace", "metadata/name", create: true),
        FieldSpec("APIService", "spec/service/namespace", group: "apiregistration.k8s.io", create: true),
        FieldSpec("CustomResourceDefinition", "spec/conversion/webhook/clientConfig/service/namespace",
                  group: "apiextensions.k8s.io"),
    ]

    static let images: [FieldSpec] = [
        FieldSpec("", "spec/containers[]/image", create: true),
        FieldSpec("", "spec/initContainers[]/image", create: true),
        FieldSpec("", "spec/template/spec/containers[]/image", create: true),
        FieldSpec("", "spec/template/spec/initContainers[]/image", create: true),
    ]

    static let replicas: [FieldSpec] = ["Deployment", "ReplicationController", "ReplicaSet", "StatefulSet"].map {
        FieldSpec($0, "spec/replicas", create: true)
    }

    /// A kind that is referred to by name, and the fields that refer to it.
    struct NameReference: Sendable {
        var target: FieldSpecGVK
        var referrers: [FieldSpec]
    }

    /// Pod-spec locations per kind: Pod itself, PodTemplate, the templated workloads, CronJob.
    private static func podSpecs(_ suffixes: [String], podVersion: String = "v1") -> [FieldSpec] {
        var specs = suffixes.map { FieldSpec("Pod", "spec/" + $0, version: podVersion) }
        specs += suffixes.map { FieldSpec("PodTemplate", "template/spec/" + $0) }
        for kind in templatedWorkloads { specs += suffixes.map { FieldSpec(kind, "spec/template/spec/" + $0) } }
        specs += suffixes.map { FieldSpec("CronJob", "spec/jobTemplate/spec/template/spec/" + $0) }
        return specs
    }

    private static func workloadSpecs(_ suffix: String) -> [FieldSpec] {
        [FieldSpec("Pod", "spec/" + suffix)]
            + ["StatefulSet", "Deployment", "ReplicationController"].map { FieldSpec($0, "spec/template/spec/" + suffix) }
            + [FieldSpec("CronJob", "spec/jobTemplate/spec/template/spec/" + suffix)]
            + ["Job", "DaemonSet"].map { FieldSpec($0, "spec/template/spec/" + suffix) }
    }

    static let nameReferences: [NameReference] = {
        let scale = { (kind: String) in
            NameReference(target: FieldSpecGVK(kind: kind),
                          referrers: [FieldSpec("HorizontalPodAutoscaler", "spec/scaleTargetRef/name")])
        }
        var configMap = podSpecs([
            "volumes/configMap/name", "containers/env/valueFrom/configMapKeyRef/name",
            "initContainers/env/valueFrom/configMapKeyRef/name", "containers/envFrom/configMapRef/name",
            "initContainers/envFrom/configMapRef/name", "volumes/projected/sources/configMap/name",
        ])
        configMap += [
            FieldSpec("Node", "spec/configSource/configMap"),
            FieldSpec("Role", "rules/resourceNames"),
            FieldSpec("ClusterRole", "rules/resourceNames"),
            FieldSpec("Ingress", "metadata/annotations/nginx.ingress.kubernetes.io\\/fastcgi-params-configmap"),
        ]
        var secret = podSpecs([
            "volumes/secret/secretName", "containers/env/valueFrom/secretKeyRef/name",
            "initContainers/env/valueFrom/secretKeyRef/name", "containers/envFrom/secretRef/name",
            "initContainers/envFrom/secretRef/name", "imagePullSecrets/name", "volumes/projected/sources/secret/name",
        ])
        secret += [
            FieldSpec("Ingress", "spec/tls/secretName"),
            FieldSpec("Ingress", "metadata/annotations/ingress.kubernetes.io\\/auth-secret"),
            FieldSpec("Ingress", "metadata/annotations/nginx.ingress.kubernetes.io\\/auth-secret"),
            FieldSpec("Ingress", "metadata/annotations/nginx.ingress.kubernetes.io\\/auth-tls-secret"),
            FieldSpec("ServiceAccount", "imagePullSecrets/name"),
            FieldSpec("StorageClass", "parameters/secretName"),
            FieldSpec("StorageClass", "parameters/adminSecretName"),
            FieldSpec("StorageClass", "parameters/userSecretName"),
            FieldSpec("StorageClass", "parameters/secretRef"),
            FieldSpec("Role", "rules/resourceNames"),
            FieldSpec("ClusterRole", "rules/resourceNames"),
            FieldSpec("Service", "spec/template/spec/containers/env/valueFrom/secretKeyRef/name",
                      group: "serving.knative.dev", version: "v1"),
            FieldSpec("PersistentVolume", "spec/azureFile/secretName"),
        ]
        let rbac = "rbac.authorization.k8s.io"
        let admission = "admissionregistration.k8s.io"
        return [
            scale("Deployment"), scale("ReplicationController"), scale("ReplicaSet"), scale("StatefulSet"),
            NameReference(target: FieldSpecGVK(version: "v1", kind: "ConfigMap"), referrers: configMap),
            NameReference(target: FieldSpecGVK(version: "v1", kind: "Secret"), referrers: secret),
            NameReference(target: FieldSpecGVK(version: "v1", kind: "Service"), referrers: [
                FieldSpec("StatefulSet", "spec/serviceName", group: "apps"),
                FieldSpec("Ingress", "spec/rules/http/paths/backend/serviceName"),
                FieldSpec("Ingress", "spec/backend/serviceName"),
                FieldSpec("Ingress", "spec/rules/http/paths/backend/service/name"),
                FieldSpec("Ingress", "spec/defaultBackend/service/name"),
                FieldSpec("APIService", "spec/service/name", group: "apiregistration.k8s.io"),
                FieldSpec("ValidatingWebhookConfiguration", "webhooks/clientConfig/service", group: admission),
                FieldSpec("MutatingWebhookConfiguration", "webhooks/clientConfig/service", group: admission),
            ]),
            NameReference(target: FieldSpecGVK(group: rbac, kind: "Role"), referrers: [
                FieldSpec("RoleBinding", "roleRef/name", group: rbac),
            ]),
            NameReference(target: FieldSpecGVK(group: rbac, kind: "ClusterRole"), referrers: [
                FieldSpec("RoleBinding", "roleRef/name", group: rbac),
                FieldSpec("ClusterRoleBinding", "roleRef/name", group: rbac),
            ]),
            NameReference(target: FieldSpecGVK(version: "v1", kind: "ServiceAccount"), referrers: [
                FieldSpec("RoleBinding", "subjects", group: rbac),
                FieldSpec("ClusterRoleBinding", "subjects", group: rbac),
                FieldSpec("Pod", "spec/serviceAccountName"),
                FieldSpec("StatefulSet", "spec/template/spec/serviceAccountName"),
                FieldSpec("Deployment", "spec/template/spec/serviceAccountName"),
                FieldSpec("ReplicationController", "spec/template/spec/serviceAccountName"),
                FieldSpec("CronJob", "spec/jobTemplate/spec/template/spec/serviceAccountName"),
                FieldSpec("Job", "spec/template/spec/serviceAccountName"),
                FieldSpec("DaemonSet", "spec/template/spec/serviceAccountName"),
            ]),
            NameReference(target: FieldSpecGVK(version: "v1", kind: "PersistentVolumeClaim"),
                          referrers: workloadSpecs("volumes/persistentVolumeClaim/claimName")),
            NameReference(target: FieldSpecGVK(version: "v1", kind: "PersistentVolume"), referrers: [
                FieldSpec("PersistentVolumeClaim", "spec/volumeName"),
                FieldSpec("ClusterRole", "rules/resourceNames"),
            ]),
            NameReference(target: FieldSpecGVK(group: "storage.k8s.io", version: "v1", kind: "StorageClass"), referrers: [
                FieldSpec("PersistentVolume", "spec/storageClassName"),
                FieldSpec("PersistentVolumeClaim", "spec/storageClassName"),
                FieldSpec("StatefulSet", "spec/volumeClaimTemplates/spec/storageClassName"),
            ]),
            NameReference(target: FieldSpecGVK(group: "scheduling.k8s.io", version: "v1", kind: "PriorityClass"),
                          referrers: workloadSpecs("priorityClassName")),
            NameReference(target: FieldSpecGVK(group: "networking.k8s.io/v1", version: "v1", kind: "IngressClass"),
                          referrers: [FieldSpec("Ingress", "spec/ingressClassName")]),
            NameReference(target: FieldSpecGVK(group: admission, kind: "ValidatingAdmissionPolicy"), referrers: [
                FieldSpec("ValidatingAdmissionPolicyBinding", "spec/policyName", group: admission),
            ]),
        ]
    }()
}
