// The per-action settings of a HelmRelease: install, upgrade, test, rollback, uninstall.

extension HelmRelease {
    public struct Install: Codable, Hashable, Sendable {
        /// Default `spec.timeout`.
        public var timeout: String?
        public var strategy: ActionStrategy?
        public var remediation: InstallRemediation?
        public var disableTakeOwnership: Bool?
        public var disableWait: Bool?
        public var disableWaitForJobs: Bool?
        public var disableHooks: Bool?
        public var disableOpenAPIValidation: Bool?
        public var disableSchemaValidation: Bool?
        public var replace: Bool?
        /// Deprecated: use `crds: Skip`.
        public var skipCRDs: Bool?
        /// Default `Create`.
        public var crds: CRDsPolicy?
        public var createNamespace: Bool?
        /// Default true (Helm 4 defaults).
        public var serverSideApply: Bool?

        public init(timeout: String? = nil, strategy: ActionStrategy? = nil, remediation: InstallRemediation? = nil,
                    disableTakeOwnership: Bool? = nil, disableWait: Bool? = nil, disableWaitForJobs: Bool? = nil,
                    disableHooks: Bool? = nil, disableOpenAPIValidation: Bool? = nil,
                    disableSchemaValidation: Bool? = nil, replace: Bool? = nil, skipCRDs: Bool? = nil,
                    crds: CRDsPolicy? = nil, createNamespace: Bool? = nil, serverSideApply: Bool? = nil) {
            self.timeout = timeout
            self.strategy = strategy
            self.remediation = remediation
            self.disableTakeOwnership = disableTakeOwnership
            self.disableWait = disableWait
            self.disableWaitForJobs = disableWaitForJobs
            self.disableHooks = disableHooks
            self.disableOpenAPIValidation = disableOpenAPIValidation
            self.disableSchemaValidation = disableSchemaValidation
            self.replace = replace
            self.skipCRDs = skipCRDs
            self.crds = crds
            self.createNamespace = createNamespace
            self.serverSideApply = serverSideApply
        }
    }

    /// What to do when an install or upgrade fails.
    public struct ActionStrategy: Codable, Hashable, Sendable {
        /// `RemediateOnFailure` or `RetryOnFailure`.
        public var name: ActionStrategyName
        /// Only with `RetryOnFailure`; default `5m`.
        public var retryInterval: String?

        public init(name: ActionStrategyName, retryInterval: String? = nil) {
            self.name = name
            self.retryInterval = retryInterval
        }
    }

    public struct InstallRemediation: Codable, Hashable, Sendable {
        /// Failed installs retried (uninstalling in between); negative: forever. Default 0.
        public var retries: Int?
        public var ignoreTestFailures: Bool?
        /// Default false.
        public var remediateLastFailure: Bool?

        public init(retries: Int? = nil, ignoreTestFailures: Bool? = nil, remediateLastFailure: Bool? = nil) {
            self.retries = retries
            self.ignoreTestFailures = ignoreTestFailures
            self.remediateLastFailure = remediateLastFailure
        }
    }

    public struct Upgrade: Codable, Hashable, Sendable {
        public var timeout: String?
        public var strategy: ActionStrategy?
        public var remediation: UpgradeRemediation?
        public var disableTakeOwnership: Bool?
        public var disableWait: Bool?
        public var disableWaitForJobs: Bool?
        public var disableHooks: Bool?
        public var disableOpenAPIValidation: Bool?
        public var disableSchemaValidation: Bool?
        public var force: Bool?
        public var preserveValues: Bool?
        public var cleanupOnFail: Bool?
        /// Default `Skip`.
        public var crds: CRDsPolicy?
        /// Default `auto`.
        public var serverSideApply: ServerSideApplyMode?
        /// Default `Reinstall`.
        public var chartNameChangeStrategy: ChartNameChangeStrategy?

        public init(timeout: String? = nil, strategy: ActionStrategy? = nil, remediation: UpgradeRemediation? = nil,
                    disableTakeOwnership: Bool? = nil, disableWait: Bool? = nil, disableWaitForJobs: Bool? = nil,
                    disableHooks: Bool? = nil, disableOpenAPIValidation: Bool? = nil,
                    disableSchemaValidation: Bool? = nil, force: Bool? = nil, preserveValues: Bool? = nil,
                    cleanupOnFail: Bool? = nil, crds: CRDsPolicy? = nil, serverSideApply: ServerSideApplyMode? = nil,
                    chartNameChangeStrategy: ChartNameChangeStrategy? = nil) {
            self.timeout = timeout
            self.strategy = strategy
            self.remediation = remediation
            self.disableTakeOwnership = disableTakeOwnership
            self.disableWait = disableWait
            self.disableWaitForJobs = disableWaitForJobs
            self.disableHooks = disableHooks
            self.disableOpenAPIValidation = disableOpenAPIValidation
            self.disableSchemaValidation = disableSchemaValidation
            self.force = force
            self.preserveValues = preserveValues
            self.cleanupOnFail = cleanupOnFail
            self.crds = crds
            self.serverSideApply = serverSideApply
            self.chartNameChangeStrategy = chartNameChangeStrategy
        }
    }

    public struct UpgradeRemediation: Codable, Hashable, Sendable {
        /// Failed upgrades remediated and retried; negative: forever. Default 0.
        public var retries: Int?
        public var ignoreTestFailures: Bool?
        /// Default: true when `retries` > 0.
        public var remediateLastFailure: Bool?
        /// `rollback` (default) or `uninstall`.
        public var strategy: RemediationStrategy?

        public init(retries: Int? = nil, ignoreTestFailures: Bool? = nil, remediateLastFailure: Bool? = nil,
                    strategy: RemediationStrategy? = nil) {
            self.retries = retries
            self.ignoreTestFailures = ignoreTestFailures
            self.remediateLastFailure = remediateLastFailure
            self.strategy = strategy
        }

        /// `remediateLastFailure`, defaulting to `retries > 0`.
        public var mustRemediateLastFailure: Bool { remediateLastFailure ?? ((retries ?? 0) > 0) }
    }

    public struct Test: Codable, Hashable, Sendable {
        /// Run `helm test` after install and upgrade.
        public var enable: Bool?
        public var timeout: String?
        public var ignoreFailures: Bool?
        public var filters: [TestFilter]?

        public init(enable: Bool? = nil, timeout: String? = nil, ignoreFailures: Bool? = nil,
                    filters: [TestFilter]? = nil) {
            self.enable = enable
            self.timeout = timeout
            self.ignoreFailures = ignoreFailures
            self.filters = filters
        }
    }

    public struct TestFilter: Codable, Hashable, Sendable {
        /// A test hook name, 1–253 characters.
        public var name: String
        /// Skip this test instead of running only the listed ones.
        public var exclude: Bool?

        public init(name: String, exclude: Bool? = nil) {
            self.name = name
            self.exclude = exclude
        }
    }

    public struct Rollback: Codable, Hashable, Sendable {
        public var timeout: String?
        public var disableWait: Bool?
        public var disableWaitForJobs: Bool?
        public var disableHooks: Bool?
        /// No-op with Helm 4.
        public var recreate: Bool?
        public var force: Bool?
        public var cleanupOnFail: Bool?
        public var serverSideApply: ServerSideApplyMode?

        public init(timeout: String? = nil, disableWait: Bool? = nil, disableWaitForJobs: Bool? = nil,
                    disableHooks: Bool? = nil, recreate: Bool? = nil, force: Bool? = nil, cleanupOnFail: Bool? = nil,
                    serverSideApply: ServerSideApplyMode? = nil) {
            self.timeout = timeout
            self.disableWait = disableWait
            self.disableWaitForJobs = disableWaitForJobs
            self.disableHooks = disableHooks
            self.recreate = recreate
            self.force = force
            self.cleanupOnFail = cleanupOnFail
            self.serverSideApply = serverSideApply
        }
    }

    public struct Uninstall: Codable, Hashable, Sendable {
        public var timeout: String?
        public var disableHooks: Bool?
        public var keepHistory: Bool?
        public var disableWait: Bool?
        /// `background` (default), `foreground` or `orphan`.
        public var deletionPropagation: DeletionPropagation?

        public init(timeout: String? = nil, disableHooks: Bool? = nil, keepHistory: Bool? = nil,
                    disableWait: Bool? = nil, deletionPropagation: DeletionPropagation? = nil) {
            self.timeout = timeout
            self.disableHooks = disableHooks
            self.keepHistory = keepHistory
            self.disableWait = disableWait
            self.deletionPropagation = deletionPropagation
        }
    }
}

// MARK: - Enums

extension HelmRelease {
    public struct ActionStrategyName: FluxEnum {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static let remediateOnFailure: Self = "RemediateOnFailure"
        public static let retryOnFailure: Self = "RetryOnFailure"
        public static var allowedValues: [Self] { [.remediateOnFailure, .retryOnFailure] }
    }

    public struct RemediationStrategy: FluxEnum {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static let rollback: Self = "rollback"
        public static let uninstall: Self = "uninstall"
        public static var allowedValues: [Self] { [.rollback, .uninstall] }
    }

    /// How CRDs in the chart's `crds/` directory are handled.
    public struct CRDsPolicy: FluxEnum {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static let skip: Self = "Skip"
        public static let create: Self = "Create"
        public static let createReplace: Self = "CreateReplace"
        public static var allowedValues: [Self] { [.skip, .create, .createReplace] }
    }

    public struct ServerSideApplyMode: FluxEnum {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static let enabled: Self = "enabled"
        public static let disabled: Self = "disabled"
        /// Reuse the method the previous release used.
        public static let auto: Self = "auto"
        public static var allowedValues: [Self] { [.enabled, .disabled, .auto] }
    }

    public struct ChartNameChangeStrategy: FluxEnum {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static let inPlaceUpdate: Self = "InPlaceUpdate"
        public static let reinstall: Self = "Reinstall"
        public static var allowedValues: [Self] { [.inPlaceUpdate, .reinstall] }
    }

    public struct DeletionPropagation: FluxEnum {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static let background: Self = "background"
        public static let foreground: Self = "foreground"
        public static let orphan: Self = "orphan"
        public static var allowedValues: [Self] { [.background, .foreground, .orphan] }
    }

    public struct DriftDetectionMode: FluxEnum {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        /// Detect and correct drift.
        public static let enabled: Self = "enabled"
        /// Detect and report drift only.
        public static let warn: Self = "warn"
        public static let disabled: Self = "disabled"
        public static var allowedValues: [Self] { [.enabled, .warn, .disabled] }
    }

    public struct PostRenderStrategy: FluxEnum {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        /// Post-render the manifest only, not hooks.
        public static let noHooks: Self = "nohooks"
        /// Post-render manifest and hooks together.
        public static let combined: Self = "combined"
        /// Post-render manifest and hooks separately.
        public static let separate: Self = "separate"
        public static var allowedValues: [Self] { [.noHooks, .combined, .separate] }
    }

    public struct WaitStrategyName: FluxEnum {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static let poller: Self = "poller"
        public static let legacy: Self = "legacy"
        public static var allowedValues: [Self] { [.poller, .legacy] }
    }

    /// The Helm action a snapshot or status records.
    public struct ReleaseAction: FluxEnum {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static let install: Self = "install"
        public static let upgrade: Self = "upgrade"
        public static let rollback: Self = "rollback"
        public static let uninstall: Self = "uninstall"
        public static let uninstallRemediation: Self = "uninstall-remediation"
        public static var allowedValues: [Self] { [.install, .upgrade, .rollback, .uninstall, .uninstallRemediation] }
    }
}
