/// GitOpsKit: the core every controller shares (API types, Kubernetes client, controller runtime, artifacts, Git,
/// HTTP, YAML, crypto, events). Nothing controller-specific lives here.
public enum GitOpsKit {
    /// The toolkit version reported by every binary.
    public static let version = "0.1.0"
}
