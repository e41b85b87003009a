import FoundationEssentials

/// Settings of leader election on a `coordination.k8s.io/v1` Lease (Flux defaults: lease 35 s, renew deadline
/// 30 s, retry 5 s, release on shutdown).
public struct LeaderElectionConfiguration: Sendable, Hashable {
    /// The Lease's name, e.g. `kustomize-controller-leader-election`.
    public var leaseName: String
    public var leaseNamespace: String
    /// Who we are in `spec.holderIdentity`; unique per process (hostname plus a random suffix).
    public var identity: String
    /// How long others wait after the last observed renewal before taking over.
    public var leaseDuration: Duration
    /// The leader gives up (and the process stops) when it could not renew for this long.
    public var renewDeadline: Duration
    /// Pause between acquire/renew attempts.
    public var retryPeriod: Duration
    /// On graceful shutdown, clear `holderIdentity` so a successor takes over at once (`--leader-election-release-on-cancel`).
    public var releaseOnCancel: Bool

    public init(leaseName: String, leaseNamespace: String, identity: String = LeaderElectionConfiguration.defaultIdentity(),
                leaseDuration: Duration = .seconds(35), renewDeadline: Duration = .seconds(30),
                retryPeriod: Duration = .seconds(5), releaseOnCancel: Bool = true)
    {
        self.leaseName = leaseName
        self.leaseNamespace = leaseNamespace
        self.identity = identity
        self.leaseDuration = leaseDuration
        self.renewDeadline = min(renewDeadline, leaseDuration)
        self.retryPeriod = retryPeriod
        self.releaseOnCancel = releaseOnCancel
    }

    /// `<hostname>_<uuid>`, as controller-runtime builds it.
    public static func defaultIdentity() -> String {
        "\(ProcessInfo.processInfo.hostName)_\(UUID().uuidString.lowercased())"
    }
}
