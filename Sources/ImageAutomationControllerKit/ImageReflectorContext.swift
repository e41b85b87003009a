import GitOpsKit
import Logging

/// What the ImageRepository and ImagePolicy reconcilers share: the API client, the event recorder, the status
/// writer, the tag store under `--storage-path`, the HTTP client for registries without their own TLS or proxy
/// settings, and the retry settings.
///
/// Built once by ``ImageAutomationSetup/registerReflector(on:storagePath:logger:)``; it holds references to shared
/// services, so copies are cheap.
public struct ImageReflectorContext: Sendable {
    /// The name events and field managers report.
    public var controllerName: String
    public var api: any KubernetesAPI
    public var events: EventRecorder
    public var statusWriter: StatusWriter
    public var tags: TagStore
    /// Registries without `certSecretRef` or `proxySecretRef` share this client (and its connections).
    public var http: HTTPClient
    /// How soon a policy whose repository has no tags yet looks again (Flux's `--requeue-dependency`, 30s; the
    /// repository's scan also triggers it through the watch).
    public var requeueDependency: Duration
    /// `?n=` of tag-list requests.
    public var registryPageSize: Int
    public var logger: Logger

    public init(controllerName: String = "image-automation-controller", api: any KubernetesAPI, events: EventRecorder,
                tags: TagStore, http: HTTPClient = HTTPClient(), requeueDependency: Duration = .seconds(30),
                registryPageSize: Int = RegistryClient.defaultPageSize, logger: Logger) {
        self.controllerName = controllerName
        self.api = api
        self.events = events
        self.statusWriter = StatusWriter(api: api, fieldManager: controllerName)
        self.tags = tags
        self.http = http
        self.requeueDependency = requeueDependency
        self.registryPageSize = registryPageSize
        self.logger = logger
    }
}

/// A reconcile failure of an image reflector kind, with the condition reason it is reported under.
struct ReflectorFailure: Error, CustomStringConvertible {
    var reason: ConditionReason
    var message: String

    var description: String { "\(reason.rawValue): \(message)" }
}

extension ConditionReason {
    /// ImagePolicy: the policy (range, order, regex) cannot be used as written.
    static let invalidPolicy: Self = "InvalidPolicy"
    /// A field this controller does not implement.
    static let unsupportedField: Self = "UnsupportedField"
    /// The spec fails validation.
    static let invalidSpec: Self = "InvalidSpec"
}
