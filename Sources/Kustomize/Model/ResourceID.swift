import GitOpsKit

/// A resource's identity as kustomize tracks it: group, version, kind, name and namespace.
struct ResourceID: Hashable, Sendable, CustomStringConvertible {
    var group: String
    var version: String
    var kind: String
    var name: String
    var namespace: String

    /// kyaml's stand-in namespace for cluster-scoped kinds.
    static let clusterScopedNamespace = "_non_namespaceable_"

    var isClusterScoped: Bool { ClusterScopedKinds.contains(group: group, version: version, kind: kind) }

    /// The namespace with "" read as `default`, and a fixed marker for cluster-scoped kinds (kyaml's rule).
    var effectiveNamespace: String {
        if isClusterScoped { return Self.clusterScopedNamespace }
        return namespace.isEmpty ? "default" : namespace
    }

    /// Same group, version, kind and name, and the same effective namespace.
    func matches(_ other: ResourceID) -> Bool {
        group == other.group && version == other.version && kind == other.kind && name == other.name
            && effectiveNamespace == other.effectiveNamespace
    }

    func isSelected(by gvk: FieldSpecGVK) -> Bool {
        (gvk.group.isEmpty || gvk.group == group) && (gvk.version.isEmpty || gvk.version == version)
            && (gvk.kind.isEmpty || gvk.kind == kind)
    }

    var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// kyaml's `ResId.String()`: `Kind.version.group/name.namespace` with placeholders for empty parts.
    var description: String {
        let g = group.isEmpty ? "[noGrp]" : group
        let v = version.isEmpty ? "[noVer]" : version
        let k = kind.isEmpty ? "[noKind]" : kind
        let ns = namespace.isEmpty ? "[noNs]" : namespace
        let n = name.isEmpty ? "[noName]" : name
        return "\(k).\(v).\(g)/\(n).\(ns)"
    }

    /// Splits `apps/v1` into group and version (`v1` has no group).
    static func splitAPIVersion(_ apiVersion: String) -> (group: String, version: String) {
        guard let slash = apiVersion.firstIndex(of: "/") else { return ("", apiVersion) }
        return (String(apiVersion[..<slash]), String(apiVersion[apiVersion.index(after: slash)...]))
    }
}

/// Group, version and kind a field spec or name-reference applies to; empty parts match anything.
struct FieldSpecGVK: Hashable, Sendable {
    var group = ""
    var version = ""
    var kind = ""
}

/// The kinds kyaml knows to be cluster-scoped (its precomputed table plus the built-in schema), by
/// `apiVersion`/`kind`; every other kind, including unknown custom resources, is namespaced.
enum ClusterScopedKinds {
    private static let kinds: Set<String> = {
        let table: [(String, [String])] = [
            ("admissionregistration.k8s.io", ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
                                              "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"]),
            ("apiextensions.k8s.io", ["CustomResourceDefinition"]),
            ("apiregistration.k8s.io", ["APIService"]),
            ("certificates.k8s.io", ["CertificateSigningRequest", "ClusterTrustBundle"]),
            ("flowcontrol.apiserver.k8s.io", ["FlowSchema", "PriorityLevelConfiguration"]),
            ("networking.k8s.io", ["IngressClass", "IPAddress", "ServiceCIDR"]),
            ("node.k8s.io", ["RuntimeClass"]),
            ("policy", ["PodSecurityPolicy"]),
            ("rbac.authorization.k8s.io", ["ClusterRole", "ClusterRoleBinding"]),
            ("scheduling.k8s.io", ["PriorityClass"]),
            ("storage.k8s.io", ["CSIDriver", "CSINode", "StorageClass", "VolumeAttachment"]),
            ("", ["ComponentStatus", "Namespace", "Node", "PersistentVolume"]),
            ("authentication.k8s.io", ["TokenReview", "SelfSubjectReview"]),
            ("authorization.k8s.io", ["SelfSubjectAccessReview", "SelfSubjectRulesReview", "SubjectAccessReview"]),
        ]
        var set: Set<String> = []
        for (group, kinds) in table { for kind in kinds { set.insert("\(group)/\(kind)") } }
        return set
    }()

    static func contains(group: String, version: String, kind: String) -> Bool {
        kinds.contains("\(group)/\(kind)")
    }
}
