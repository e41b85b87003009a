import GitOpsKit
import Logging

/// What every source-controller reconciler shares: the API client, the artifact storage (and the address it is
/// advertised at), the event recorder, an HTTP client, the status writer and the storage settings from the flags.
///
/// One value is built in ``SourceControllerSetup/register(on:options:requeueDependency:logger:hostname:)`` and handed to each reconciler's
/// `init`; it holds references to shared services, so copying it is cheap.
///
/// Usage (a reconciler):
/// ```swift
/// struct HelmRepositoryReconciler: Reconciler {
///     let context: SourceControllerContext
///     func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
///         let object = try await context.api.get(HelmRepository.kind, key)
///         try await context.waitUntilServing()          // artifact URLs are right from here on
///         let url = context.storage.url(for: path)
///         …
///         try context.garbageCollect(artifactObject, current: path)
///     }
/// }
/// ```
public struct SourceControllerContext: Sendable {
    /// The name events and field managers report (`source-controller`).
    public var controllerName: String
    public var api: any KubernetesAPI
    /// Artifacts under `--storage-path`, advertised at `--storage-adv-addr`.
    public var storage: ArtifactStorage
    /// Kubernetes Events plus POSTs to `--events-addr`.
    public var events: EventRecorder
    /// For HelmRepository indexes and charts.
    public var http: HTTPClient
    /// Writes `status` through the status subresource, only when it changed.
    public var statusWriter: StatusWriter
    /// `--artifact-retention-records` and `--artifact-retention-ttl`.
    public var retention: ArtifactRetention
    /// `--requeue-dependency`: how soon to look again at an object waiting for another (e.g. a HelmChart whose
    /// source has no artifact yet).
    public var requeueDependency: Duration
    public var logger: Logger
    private let serving: @Sendable () async throws -> Void

    /// - Parameter waitUntilServing: returns once the artifact server listens and ``storage`` advertises its real
    ///   address (a server bound to port 0 learns its port only then); the default returns at once.
    public init(controllerName: String = "source-controller", api: any KubernetesAPI, storage: ArtifactStorage,
                events: EventRecorder, http: HTTPClient = HTTPClient(), retention: ArtifactRetention = ArtifactRetention(),
                requeueDependency: Duration = .seconds(30), logger: Logger,
                waitUntilServing: @escaping @Sendable () async throws -> Void = {})
    {
        self.controllerName = controllerName
        self.api = api
        self.storage = storage
        self.events = events
        self.http = http
        self.statusWriter = StatusWriter(api: api, fieldManager: controllerName)
        self.retention = retention
        self.requeueDependency = requeueDependency
        self.logger = logger
        self.serving = waitUntilServing
    }

    /// Returns once artifact URLs built from ``storage`` are the ones consumers can download from.
    public func waitUntilServing() async throws {
        try await serving()
    }

    /// Deletes old artifact files of `object`, keeping `current` and the newest ones per ``retention``.
    @discardableResult
    public func garbageCollect(_ object: ArtifactObject, current: String?) throws -> [String] {
        try storage.garbageCollect(object, keep: retention.records, ttl: retention.ttl, current: current)
    }
}

/// How many artifact files a source keeps, and for how long (Flux's storage GC).
public struct ArtifactRetention: Sendable, Hashable {
    /// `--artifact-retention-records` (default 2): files kept per object, the current one included.
    public var records: Int
    /// `--artifact-retention-ttl` (default 60s): older files beyond the current one are deleted.
    public var ttl: Duration

    public init(records: Int = 2, ttl: Duration = .seconds(60)) {
        self.records = max(1, records)
        self.ttl = ttl
    }
}
