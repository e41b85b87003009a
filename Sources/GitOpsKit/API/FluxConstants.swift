/// Condition types written by the Flux controllers (`fluxcd/pkg/apis/meta`, each controller's `condition_types.go`).
public struct ConditionType: FluxEnum {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    // Every kind (kstatus).
    /// The object is fully reconciled (True) or not (False, with a reason).
    public static let ready: Self = "Ready"
    /// The controller is working on the latest generation; present only while True.
    public static let reconciling: Self = "Reconciling"
    /// Reconciliation cannot progress without a change to the object; present only while True.
    public static let stalled: Self = "Stalled"
    /// The last health assessment (Kustomization health checks).
    public static let healthy: Self = "Healthy"

    // Sources.
    public static let artifactInStorage: Self = "ArtifactInStorage"
    public static let artifactOutdated: Self = "ArtifactOutdated"
    public static let sourceVerified: Self = "SourceVerified"
    public static let fetchFailed: Self = "FetchFailed"
    public static let buildFailed: Self = "BuildFailed"
    public static let storageOperationFailed: Self = "StorageOperationFailed"
    public static let includeUnavailable: Self = "IncludeUnavailable"

    // HelmRelease.
    public static let released: Self = "Released"
    public static let testSuccess: Self = "TestSuccess"
    public static let remediated: Self = "Remediated"
    public static let drifted: Self = "Drifted"

    /// A cross-namespace reference was refused (`fluxcd/pkg/apis/acl`).
    public static let accessDenied: Self = "AccessDenied"
}

/// Condition and event reasons used by the Flux controllers.
public struct ConditionReason: FluxEnum {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    // Generic (`fluxcd/pkg/apis/meta/conditions.go`).
    public static let succeeded: Self = "Succeeded"
    public static let failed: Self = "Failed"
    public static let progressing: Self = "Progressing"
    public static let progressingWithRetry: Self = "ProgressingWithRetry"
    public static let suspended: Self = "Suspended"
    public static let dependencyNotReady: Self = "DependencyNotReady"
    public static let artifactFailed: Self = "ArtifactFailed"
    public static let buildFailed: Self = "BuildFailed"
    public static let healthCheckFailed: Self = "HealthCheckFailed"
    public static let healthCheckCanceled: Self = "HealthCheckCanceled"
    public static let pruneFailed: Self = "PruneFailed"
    public static let reconciliationSucceeded: Self = "ReconciliationSucceeded"
    public static let reconciliationFailed: Self = "ReconciliationFailed"
    public static let invalidCELExpression: Self = "InvalidCELExpression"
    public static let featureGateDisabled: Self = "FeatureGateDisabled"
    public static let invalidPath: Self = "InvalidPath"
    public static let invalidURL: Self = "InvalidURL"
    public static let insecureConnectionsDisallowed: Self = "InsecureConnectionsDisallowed"
    public static let unsupportedConnectionType: Self = "UnsupportedConnectionType"
    public static let accessDenied: Self = "AccessDenied"

    // source-controller.
    public static let gitOperationSucceeded: Self = "GitOperationSucceeded"
    public static let gitOperationFailed: Self = "GitOperationFailed"
    public static let newRevision: Self = "NewRevision"
    public static let urlInvalid: Self = "URLInvalid"
    public static let authenticationFailed: Self = "AuthenticationFailed"
    public static let verificationError: Self = "VerificationError"
    public static let directoryCreationFailed: Self = "DirectoryCreationFailed"
    public static let statOperationFailed: Self = "StatOperationFailed"
    public static let readOperationFailed: Self = "ReadOperationFailed"
    public static let acquireLockFailed: Self = "AcquireLockFailed"
    public static let archiveOperationFailed: Self = "ArchiveOperationFailed"
    public static let symlinkUpdateFailed: Self = "SymlinkUpdateFailed"
    public static let artifactUpToDate: Self = "ArtifactUpToDate"
    public static let cacheOperationFailed: Self = "CacheOperationFailed"
    public static let patchOperationFailed: Self = "PatchOperationFailed"
    public static let invalidSTSConfiguration: Self = "InvalidSTSConfiguration"
    public static let invalidProviderConfiguration: Self = "InvalidProviderConfiguration"
    public static let indexationFailed: Self = "IndexationFailed"
    public static let chartPullSucceeded: Self = "ChartPullSucceeded"
    public static let chartPackageSucceeded: Self = "ChartPackageSucceeded"

    // helm-controller.
    public static let installSucceeded: Self = "InstallSucceeded"
    public static let installFailed: Self = "InstallFailed"
    public static let upgradeSucceeded: Self = "UpgradeSucceeded"
    public static let upgradeFailed: Self = "UpgradeFailed"
    public static let testSucceeded: Self = "TestSucceeded"
    public static let testFailed: Self = "TestFailed"
    public static let rollbackSucceeded: Self = "RollbackSucceeded"
    public static let rollbackFailed: Self = "RollbackFailed"
    public static let uninstallSucceeded: Self = "UninstallSucceeded"
    public static let uninstallFailed: Self = "UninstallFailed"
    public static let driftDetected: Self = "DriftDetected"
    public static let noDriftDetected: Self = "NoDriftDetected"
    public static let inventoryBuildFailed: Self = "InventoryBuildFailed"

    // notification-controller.
    public static let initialized: Self = "Initialized"
    public static let validationFailed: Self = "ValidationFailed"
    public static let tokenNotFound: Self = "TokenNotFound"

    // image-reflector-controller and image-automation-controller.
    public static let imageURLInvalid: Self = "ImageURLInvalid"
    public static let intervalNotConfigured: Self = "IntervalNotConfigured"
    public static let invalidUpdateStrategy: Self = "InvalidUpdateStrategy"
    public static let invalidSourceConfiguration: Self = "InvalidSourceConfiguration"
    public static let sourceManagerFailed: Self = "SourceManagerFailed"
    public static let updateFailed: Self = "UpdateFailed"
    public static let invalidPolicySelector: Self = "InvalidPolicySelector"
    public static let removedTemplateField: Self = "RemovedTemplateField"
}

/// Annotation keys with meaning to Flux controllers (`fluxcd/pkg/apis/meta/annotations.go` and controller docs).
public enum FluxAnnotation {
    /// Any new value requests a reconcile now; the handled value is echoed in `status.lastHandledReconcileAt`.
    public static let reconcileRequestedAt = "reconcile.fluxcd.io/requestedAt"
    /// HelmRelease: force a release when equal to `requestedAt` and not yet handled (`status.lastHandledForceAt`).
    public static let forceRequestedAt = "reconcile.fluxcd.io/forceAt"
    /// HelmRelease: reset failure counters when equal to `requestedAt` (`status.lastHandledResetAt`).
    public static let resetRequestedAt = "reconcile.fluxcd.io/resetAt"

    /// Per-object apply policy: `Override` (default), `Merge`, `IfNotPresent`, `Ignore`.
    public static let kustomizeSSA = "kustomize.toolkit.fluxcd.io/ssa"
    /// `Enabled`: recreate the object when an immutable field changes.
    public static let kustomizeForce = "kustomize.toolkit.fluxcd.io/force"
    /// `Disabled`: never garbage-collect the object.
    public static let kustomizePrune = "kustomize.toolkit.fluxcd.io/prune"
    /// `disabled`: neither apply nor prune the object.
    public static let kustomizeReconcile = "kustomize.toolkit.fluxcd.io/reconcile"
    /// `disabled` (label or annotation): skip postBuild variable substitution for the object. Every Flux CRD carries it.
    public static let kustomizeSubstitute = "kustomize.toolkit.fluxcd.io/substitute"
    /// `Disabled`: leave an encrypted Secret undecrypted.
    public static let kustomizeDecrypt = "kustomize.toolkit.fluxcd.io/decrypt"
    /// `disabled` (label or annotation): exclude the object from HelmRelease drift detection.
    public static let helmDriftDetection = "helm.toolkit.fluxcd.io/driftDetection"
    /// Prefix of annotations copied into event metadata.
    public static let eventMetadataPrefix = "event.toolkit.fluxcd.io/"
}

/// Values of the per-object annotations, matched ignoring case (see `ObjectMeta.hasLabelOrAnnotation`).
public enum FluxAnnotationValue {
    public static let enabled = "Enabled"
    public static let disabled = "Disabled"
    public static let ssaOverride = "Override"
    public static let ssaMerge = "Merge"
    public static let ssaIfNotPresent = "IfNotPresent"
    public static let ssaIgnore = "Ignore"
}

/// Label keys with meaning to Flux controllers.
public enum FluxLabel {
    /// `Enabled` on a ConfigMap/Secret: reconcile the Flux objects that reference it when it changes.
    public static let watch = "reconcile.fluxcd.io/watch"
    public static let watchEnabled = "Enabled"
    /// Owner labels kustomize-controller puts on everything it applies.
    public static let kustomizeName = "kustomize.toolkit.fluxcd.io/name"
    public static let kustomizeNamespace = "kustomize.toolkit.fluxcd.io/namespace"
    /// Owner labels helm-controller puts on the HelmCharts it generates.
    public static let helmName = "helm.toolkit.fluxcd.io/name"
    public static let helmNamespace = "helm.toolkit.fluxcd.io/namespace"
    /// Controller sharding key (`--watch-label-selector=sharding.fluxcd.io/key=shard1`).
    public static let shardingKey = "sharding.fluxcd.io/key"
}
