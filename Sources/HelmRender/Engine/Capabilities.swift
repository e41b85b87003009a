import GitOpsKit
import GoTemplate

/// `.Capabilities`: the Kubernetes version, the API versions the cluster serves, and Helm's own build.
///
/// `helm template` has no cluster: it uses the version compiled into helm's client-go and the API groups of its
/// scheme, plus `--kube-version` and `--api-versions`. ``helmDefault`` is what helm 3.17.3 uses.
public struct Capabilities: Sendable, Equatable {
    /// `.Capabilities.KubeVersion`.
    public struct KubeVersion: Sendable, Equatable {
        /// `v1.32.0`: always with a `v` and three parts.
        public var version: String
        public var major: String
        public var minor: String

        public init(version: String, major: String, minor: String) {
            self.version = version
            self.major = major
            self.minor = minor
        }

        /// Helm's `ParseKubeVersion`: any version Masterminds/semver accepts (`1.28`, `v1.28.3`), printed as `v` and
        /// the normalised version.
        public init(parsing text: String) throws(HelmRenderError) {
            let parsed: SemanticVersion
            do {
                parsed = try SemanticVersion(parsing: text)
            } catch {
                throw HelmRenderError("invalid kube version '\(text)': \(error)")
            }
            self.init(version: "v" + parsed.description, major: String(parsed.major), minor: String(parsed.minor))
        }
    }

    /// `.Capabilities.HelmVersion` (Helm's `version.BuildInfo`).
    public struct HelmVersion: Sendable, Equatable {
        public var version: String
        public var gitCommit: String
        public var gitTreeState: String
        public var goVersion: String
    }

    public var kubeVersion: KubeVersion
    /// `.Capabilities.APIVersions`: group/versions and group/version/kinds, searched by `.Has`.
    public var apiVersions: [String]
    public var helmVersion: HelmVersion

    public init(kubeVersion: KubeVersion, apiVersions: [String], helmVersion: HelmVersion = Self.helmDefault.helmVersion) {
        self.kubeVersion = kubeVersion
        self.apiVersions = apiVersions
        self.helmVersion = helmVersion
    }

    /// What helm 3.17.3's `helm template` reports without flags (dumped from the binary with a template).
    public static let helmDefault = Capabilities(
        kubeVersion: KubeVersion(version: "v1.32.0", major: "1", minor: "32"),
        apiVersions: defaultAPIVersions,
        helmVersion: HelmVersion(
            version: "v3.17.3", gitCommit: "e4da49785aa6e6ee2b86efd5dd9e43400318262b", gitTreeState: "clean",
            goVersion: "go1.23.7"))

    /// The group/versions of helm 3.17.3's client-go scheme plus apiextensions, in the order helm lists them.
    public static let defaultAPIVersions = [
        "v1", "admissionregistration.k8s.io/v1", "admissionregistration.k8s.io/v1alpha1",
        "admissionregistration.k8s.io/v1beta1", "internal.apiserver.k8s.io/v1alpha1", "apps/v1", "apps/v1beta1",
        "apps/v1beta2", "authentication.k8s.io/v1", "authentication.k8s.io/v1alpha1", "authentication.k8s.io/v1beta1",
        "authorization.k8s.io/v1", "authorization.k8s.io/v1beta1", "autoscaling/v1", "autoscaling/v2",
        "autoscaling/v2beta1", "autoscaling/v2beta2", "batch/v1", "batch/v1beta1", "certificates.k8s.io/v1",
        "certificates.k8s.io/v1beta1", "certificates.k8s.io/v1alpha1", "coordination.k8s.io/v1alpha2",
        "coordination.k8s.io/v1beta1", "coordination.k8s.io/v1", "discovery.k8s.io/v1", "discovery.k8s.io/v1beta1",
        "events.k8s.io/v1", "events.k8s.io/v1beta1", "extensions/v1beta1", "flowcontrol.apiserver.k8s.io/v1",
        "flowcontrol.apiserver.k8s.io/v1beta1", "flowcontrol.apiserver.k8s.io/v1beta2",
        "flowcontrol.apiserver.k8s.io/v1beta3", "networking.k8s.io/v1", "networking.k8s.io/v1alpha1",
        "networking.k8s.io/v1beta1", "node.k8s.io/v1", "node.k8s.io/v1alpha1", "node.k8s.io/v1beta1", "policy/v1",
        "policy/v1beta1", "rbac.authorization.k8s.io/v1", "rbac.authorization.k8s.io/v1beta1",
        "rbac.authorization.k8s.io/v1alpha1", "resource.k8s.io/v1beta1", "resource.k8s.io/v1alpha3",
        "scheduling.k8s.io/v1alpha1", "scheduling.k8s.io/v1beta1", "scheduling.k8s.io/v1", "storage.k8s.io/v1beta1",
        "storage.k8s.io/v1", "storage.k8s.io/v1alpha1", "storagemigration.k8s.io/v1alpha1",
        "apiextensions.k8s.io/v1beta1", "apiextensions.k8s.io/v1",
    ]
}
