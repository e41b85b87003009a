/// Helm's `release.Status`: the life-cycle state stored with each release revision (and in its Secret's `status`
/// label, which `helm list` filters on).
public enum ReleaseStatus: String, Sendable, Hashable, CaseIterable {
    case unknown
    case deployed
    case uninstalled
    case superseded
    case failed
    case uninstalling
    case pendingInstall = "pending-install"
    case pendingUpgrade = "pending-upgrade"
    case pendingRollback = "pending-rollback"

    /// A revision whose operation never finished (the process died or timed out mid-way): Helm refuses new
    /// operations on the release until it is unlocked ("another operation is in progress").
    public var isPending: Bool {
        self == .pendingInstall || self == .pendingUpgrade || self == .pendingRollback
    }
}
