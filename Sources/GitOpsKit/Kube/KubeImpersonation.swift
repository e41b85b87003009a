/// The identity a client acts as (client-go `rest.ImpersonationConfig`), sent as `Impersonate-User`,
/// `Impersonate-Group` and `Impersonate-Uid` headers. The API server checks that the real user may impersonate it,
/// then authorizes every request as that identity.
public struct KubeImpersonation: Sendable, Hashable, CustomStringConvertible {
    public var user: String
    /// Extra groups; empty lets the server derive them (for a service account: `system:serviceaccounts` and
    /// `system:serviceaccounts:<namespace>`).
    public var groups: [String]
    public var uid: String?

    public init(user: String, groups: [String] = [], uid: String? = nil) {
        self.user = user
        self.groups = groups
        self.uid = uid
    }

    /// The service account `namespace/name`: user `system:serviceaccount:<namespace>:<name>` and no groups, as
    /// Flux's impersonator configures client-go.
    public static func serviceAccount(namespace: String, name: String) -> KubeImpersonation {
        KubeImpersonation(user: "system:serviceaccount:\(namespace):\(name)")
    }

    /// The request headers for this identity.
    public var headers: [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [("Impersonate-User", user)]
        for group in groups { headers.append(("Impersonate-Group", group)) }
        if let uid { headers.append(("Impersonate-Uid", uid)) }
        return headers
    }

    public var description: String { user }
}

/// A Kubernetes API that can act as another identity, sharing its connections, rate limit and discovery.
public protocol KubernetesImpersonating: KubernetesAPI {
    /// This API acting as `identity` for every request.
    func impersonating(_ identity: KubeImpersonation) -> any KubernetesAPI
}
