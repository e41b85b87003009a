import GitOpsKit

/// helm-controller's drift detection (`spec.driftDetection`): the objects of the stored release manifest are
/// server-side applied with `dryRun=All` and compared with the cluster; a deleted object or a changed field is drift.
/// Objects labelled or annotated `helm.toolkit.fluxcd.io/driftDetection: disabled` are left out, and
/// `driftDetection.ignore` rules exclude fields. Objects the chart does not render are never drift.
struct ReleaseDrift {
    static let optOutKey = "helm.toolkit.fluxcd.io/driftDetection"

    let applier: ResourceApplier
    let ignoreRules: [DriftIgnoreRule]

    /// The release's objects that take part (those without the opt-out).
    static func watched(_ objects: [JSONValue]) -> [JSONValue] {
        objects.filter { object in
            !["labels", "annotations"].contains { object[path: "metadata", $0, optOutKey]?.stringValue?.lowercased() == "disabled" }
        }
    }

    /// What correcting would change: `created` (deleted from the cluster) and `configured` (drifted) entries.
    func detect(_ objects: [JSONValue]) async throws(ResourceApplyError) -> ChangeSet {
        let changes = try await applier.applyAllStaged(Self.watched(objects), options: .init(ignoreRules: ignoreRules, dryRun: true))
        return ChangeSet(entries: changes.changes)
    }

    /// Applies the drifted objects again (no new Helm revision).
    func correct(_ objects: [JSONValue], drift: ChangeSet) async throws(ResourceApplyError) -> ChangeSet {
        let drifted = Set(drift.entries.map(\.identity))
        let targets = Self.watched(objects).filter { ResourceIdentity(of: $0).map { drifted.contains($0) } ?? false }
        return try await applier.applyAllStaged(targets, options: .init(ignoreRules: ignoreRules))
    }
}
