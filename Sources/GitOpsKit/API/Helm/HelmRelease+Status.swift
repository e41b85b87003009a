// The status of a HelmRelease and its release history.

extension HelmRelease {
    public struct Status: FluxStatus {
        public var observedGeneration: Int64?
        public var observedPostRenderersDigest: String?
        public var observedCommonMetadataDigest: String?
        public var lastAttemptedGeneration: Int64?
        public var conditions: [Condition]?
        /// `<namespace>/<name>` of the generated HelmChart.
        public var helmChart: String?
        public var storageNamespace: String?
        /// Release snapshots, newest (highest version) first.
        public var history: [Snapshot]?
        public var inventory: ResourceInventory?
        /// `install` or `upgrade`.
        public var lastAttemptedReleaseAction: ReleaseAction?
        public var lastAttemptedReleaseActionDuration: FluxDuration?
        /// Failed reconciliations since the last success.
        public var failures: Int64?
        public var installFailures: Int64?
        public var upgradeFailures: Int64?
        /// Chart version (OCI: plus `+` and the first 12 hex digits of the digest).
        public var lastAttemptedRevision: String?
        public var lastAttemptedRevisionDigest: String?
        /// Deprecated: use `lastAttemptedConfigDigest`.
        public var lastAttemptedValuesChecksum: String?
        /// Deprecated: use `history`.
        public var lastReleaseRevision: Int?
        public var lastAttemptedConfigDigest: String?
        public var lastHandledResetAt: String?
        public var lastHandledReconcileAt: String?
        public var lastHandledForceAt: String?

        public init() {}

        /// The generated HelmChart's namespace and name, parsed from `helmChart`.
        public var helmChartKey: ObjectKey? {
            guard let helmChart, let slash = helmChart.firstIndex(of: "/") else { return nil }
            return ObjectKey(namespace: String(helmChart[..<slash]),
                             name: String(helmChart[helmChart.index(after: slash)...]))
        }

        /// The newest snapshot (highest version).
        public var latestSnapshot: Snapshot? { history?.max { $0.version < $1.version } }
    }

    /// One Helm release revision as helm-controller observed it (`v2.Snapshot`).
    public struct Snapshot: Codable, Hashable, Sendable {
        /// The snapshot format, `v2`.
        public var apiVersion: String?
        /// Digest of the release object in storage.
        public var digest: String
        /// Release name.
        public var name: String
        /// Release namespace.
        public var namespace: String
        /// Release revision.
        public var version: Int
        /// Helm status: `deployed`, `superseded`, `failed`, `pending-install`, …
        public var status: String
        public var action: ReleaseAction?
        public var chartName: String
        public var chartVersion: String
        public var appVersion: String?
        /// Digest of the values the release was made with.
        public var configDigest: String
        public var firstDeployed: KubeTime
        public var lastDeployed: KubeTime
        public var deleted: KubeTime?
        /// Test hooks by name; an empty map means tested with no hooks.
        public var testHooks: [String: TestHookStatus]?
        /// Digest of the OCI chart artifact.
        public var ociDigest: String?

        public init(apiVersion: String? = "v2", digest: String, name: String, namespace: String, version: Int,
                    status: String, action: ReleaseAction? = nil, chartName: String, chartVersion: String,
                    appVersion: String? = nil, configDigest: String, firstDeployed: KubeTime, lastDeployed: KubeTime,
                    deleted: KubeTime? = nil, testHooks: [String: TestHookStatus]? = nil, ociDigest: String? = nil) {
            self.apiVersion = apiVersion
            self.digest = digest
            self.name = name
            self.namespace = namespace
            self.version = version
            self.status = status
            self.action = action
            self.chartName = chartName
            self.chartVersion = chartVersion
            self.appVersion = appVersion
            self.configDigest = configDigest
            self.firstDeployed = firstDeployed
            self.lastDeployed = lastDeployed
            self.deleted = deleted
            self.testHooks = testHooks
            self.ociDigest = ociDigest
        }

        /// `namespace/name.vN`.
        public var fullReleaseName: String { "\(namespace)/\(name).v\(version)" }

        /// `chartName@chartVersion`.
        public var versionedChartName: String { "\(chartName)@\(chartVersion)" }
    }

    public struct TestHookStatus: Codable, Hashable, Sendable {
        public var lastStarted: KubeTime?
        public var lastCompleted: KubeTime?
        /// `Succeeded`, `Failed`, `Running`, …
        public var phase: String?

        public init(lastStarted: KubeTime? = nil, lastCompleted: KubeTime? = nil, phase: String? = nil) {
            self.lastStarted = lastStarted
            self.lastCompleted = lastCompleted
            self.phase = phase
        }
    }
}
