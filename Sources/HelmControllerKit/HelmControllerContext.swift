import FoundationEssentials
import GitOpsKit
import Logging

/// What the HelmRelease reconciler shares with the rest of the process: the API client, events, the chart fetcher,
/// and the timing settings from the flags.
public struct HelmControllerContext: Sendable {
    /// The field manager and event source (`helm-controller`).
    public var controllerName: String
    public var api: any KubernetesAPI
    public var events: EventRecorder
    public var fetcher: ArtifactFetcher
    public var statusWriter: StatusWriter
    /// `--requeue-dependency`: how soon to look again when the chart has no artifact or a dependency is not ready.
    public var requeueDependency: Duration
    /// How often waits poll the released objects and hooks.
    public var pollInterval: Duration
    /// Where chart archives are downloaded, one file per reconcile.
    public var workRoot: String
    /// Loaded charts by artifact digest, shared by all reconciles.
    public var charts = LoadedChartCache()
    public var logger: Logger

    public init(controllerName: String = "helm-controller", api: any KubernetesAPI, events: EventRecorder,
                fetcher: ArtifactFetcher? = nil, requeueDependency: Duration = .seconds(5),
                pollInterval: Duration = .seconds(1), workRoot: String? = nil, logger: Logger)
    {
        self.controllerName = controllerName
        self.api = api
        self.events = events
        let hostOverride = ProcessInfo.processInfo.environment["SOURCE_CONTROLLER_LOCALHOST"].flatMap { $0.isEmpty ? nil : $0 }
        self.fetcher = fetcher ?? ArtifactFetcher(client: HTTPClient(), hostOverride: hostOverride)
        self.statusWriter = StatusWriter(api: api, fieldManager: "gotk-\(controllerName)")
        self.requeueDependency = requeueDependency
        self.pollInterval = pollInterval
        self.workRoot = workRoot ?? FileManager.default.temporaryDirectory.path
        self.logger = logger
    }
}

extension ConditionReason {
    /// Values or other inputs of the release could not be prepared (Flux's `InitFailed`).
    static let initFailed: Self = "InitFailed"
    /// The release storage could not be read (Flux's `GetLastReleaseFailed`).
    static let getLastReleaseFailed: Self = "GetLastReleaseFailed"
    static let unsupportedField: Self = "UnsupportedField"
    static let invalidSpec: Self = "InvalidSpec"
}
