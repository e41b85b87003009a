import FoundationEssentials
import GitOpsKit
import Logging

/// What the Kustomization reconciler shares with the rest of the process: the API client, the event recorder,
/// the artifact fetcher, the applier and the timing settings from the flags.
public struct KustomizeControllerContext: Sendable {
    /// The field manager and event source (`kustomize-controller`).
    public var controllerName: String
    public var api: any KubernetesAPI
    public var events: EventRecorder
    public var fetcher: ArtifactFetcher
    public var statusWriter: StatusWriter
    /// `--requeue-dependency`: how soon to look again when the source has no artifact or a dependency is not ready.
    public var requeueDependency: Duration
    /// How often health checks poll the applied objects (Flux: 5s).
    public var healthPollInterval: Duration
    /// Where artifacts are unpacked, one scratch directory per reconcile.
    public var workRoot: String
    /// `--default-service-account`: the account Kustomizations without `spec.serviceAccountName` act as (nil: the
    /// controller's own identity).
    public var defaultServiceAccount: String?
    /// `--override-manager`: further field managers whose fields the applier takes over (as it does `kubectl`'s).
    public var overrideManagers: [String]
    public var logger: Logger

    public init(controllerName: String = "kustomize-controller", api: any KubernetesAPI, events: EventRecorder,
                fetcher: ArtifactFetcher? = nil, requeueDependency: Duration = .seconds(30),
                healthPollInterval: Duration = .seconds(2), workRoot: String? = nil,
                defaultServiceAccount: String? = nil, overrideManagers: [String] = [], logger: Logger)
    {
        self.controllerName = controllerName
        self.api = api
        self.events = events
        let hostOverride = ProcessInfo.processInfo.environment["SOURCE_CONTROLLER_LOCALHOST"].flatMap { $0.isEmpty ? nil : $0 }
        self.fetcher = fetcher ?? ArtifactFetcher(client: HTTPClient(), hostOverride: hostOverride)
        self.statusWriter = StatusWriter(api: api, fieldManager: "gotk-\(controllerName)")
        self.requeueDependency = requeueDependency
        self.healthPollInterval = healthPollInterval
        self.workRoot = workRoot ?? FileManager.default.temporaryDirectory.path
        self.defaultServiceAccount = defaultServiceAccount.flatMap { $0.isEmpty ? nil : $0 }
        self.overrideManagers = overrideManagers
        self.logger = logger
    }
}
