import FoundationEssentials
import GitOpsKit
import Logging

/// What the event server hands accepted events to.
public protocol EventHandler: Sendable {
    func handle(_ event: FluxEvent) async
}

/// Matches an accepted event against the cached Alerts that could select its object and sends it to each matched,
/// unsuspended Provider — concurrently, so one slow or failing provider never holds up the others.
///
/// A delivery that fails (retries exhausted, refused, or the Provider or its Secrets cannot be resolved) is logged
/// and recorded as a Kubernetes `Warning` Event `NotificationDispatchFailed` on the Alert, as Flux does. The Event
/// goes through the API only: notification-controller never posts Flux events to itself.
public struct EventDispatcher: EventHandler {
    /// The reason of the Kubernetes Event recorded on an Alert whose delivery failed (Flux's).
    public static let failureReason = "NotificationDispatchFailed"

    private let api: any KubernetesAPI
    private let catalog: NotificationCatalog
    private let sender: ProviderSender
    private let recorder: EventRecorder
    private let metrics: NotificationMetrics
    private let logger: Logger

    /// - Parameters:
    ///   - catalog: the cached Alerts and Providers.
    ///   - clients: the shared HTTP clients, one per Provider transport.
    ///   - policy: retries per provider; its `timeout` is replaced by each Provider's `spec.timeout`.
    public init(api: any KubernetesAPI, catalog: NotificationCatalog, clients: ProviderHTTPClients = ProviderHTTPClients(),
                policy: EventDeliveryPolicy = EventDeliveryPolicy(timeout: .seconds(15)),
                metrics: NotificationMetrics = NotificationMetrics(nil), logger: Logger) {
        self.api = api
        self.catalog = catalog
        self.sender = ProviderSender(clients: clients, policy: policy, logger: logger)
        self.recorder = EventRecorder(api: api, controller: "notification-controller", eventsAddress: nil, logger: logger)
        self.metrics = metrics
        self.logger = logger
    }

    public func handle(_ event: FluxEvent) async {
        if !catalog.hasSynced {
            do {
                try await catalog.waitForSync()
            } catch {
                return
            }
        }
        let object = event.involvedObject
        let candidates = catalog.alerts(namespace: object.namespace, kind: object.kind, name: object.name)
        if candidates.isEmpty { return }
        let matcher = AlertMatcher { [api] object in
            let kind = GroupVersionKind(apiVersion: object.apiVersion ?? "", kind: object.kind)
            let value = try? await api.get(kind, ObjectKey(namespace: object.namespace, name: object.name))
            return value?[path: "metadata", "labels"]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
        }
        let matched = await matcher.matches(event, compiled: candidates)
        if matched.isEmpty { return }
        await withTaskGroup(of: Void.self) { group in
            for (alert, alertEvent) in matched {
                metrics.matched()
                group.addTask { await send(alertEvent, for: alert.alert) }
            }
        }
    }

    /// Resolves the Alert's Provider and Secrets, then sends; a failure becomes a log line and a Kubernetes Event.
    private func send(_ event: FluxEvent, for alert: Alert) async {
        let namespace = alert.metadata.namespace ?? ""
        let providerName = alert.spec.providerRef.name
        var logger = logger
        logger[metadataKey: "alert"] = "\(namespace)/\(alert.metadata.name ?? "")"
        logger[metadataKey: "provider"] = "\(namespace)/\(providerName)"
        guard let provider = catalog.provider(ObjectKey(namespace: namespace, name: providerName)) else {
            await fail(event, alert: alert, "Provider \(namespace)/\(providerName) not found", logger: logger)
            return
        }
        if provider.isSuspended { return }
        // Flux sets commit statuses only for events that ask for it (`commit_status: update`).
        if Provider.ProviderType.commitStatusTypes.contains(provider.spec.type),
           event.metadata["commit_status"] != "update" || event.reason == "Progressing" {
            return
        }
        let client: ProviderClient
        switch await resolveClient(provider, namespace: namespace) {
        case .success(let resolved):
            client = resolved
        case .failure(let error):
            await fail(event, alert: alert, "provider \(namespace)/\(providerName): \(error.reason)", logger: logger)
            return
        }
        let outcome = await sender.send(event, with: client, logger: logger)
        let target = "provider \(namespace)/\(providerName) (\(client.type.rawValue), \(client.redactedAddress))"
        switch outcome {
        case .delivered:
            metrics.delivered()
        case .rejected(let status):
            await fail(event, alert: alert, "\(target) refused it with HTTP \(status)", logger: nil)
        case .failed(let attempts, let reason):
            await fail(event, alert: alert, "\(target): gave up after \(attempts) attempts, last error: \(client.masked(reason))",
                       logger: nil)
        case .invalid(let reason):
            await fail(event, alert: alert, "\(target): \(client.masked(reason))", logger: nil)
        }
    }

    /// Reads the Provider's Secrets and builds its client; a missing Secret or a bad setting is an error.
    private func resolveClient(_ provider: Provider, namespace: String) async -> Result<ProviderClient, ProviderError> {
        let name = provider.metadata.name ?? ""
        var secrets = ProviderSecrets()
        for (reference, field) in [(provider.spec.secretRef, "secretRef"), (provider.spec.proxySecretRef, "proxySecretRef"),
                                   (provider.spec.certSecretRef, "certSecretRef")] {
            guard let secretName = reference?.name else { continue }
            let data: [String: String]
            do {
                let secret = try await api.get(GroupVersionKind(group: "", version: "v1", kind: "Secret"),
                                               ObjectKey(namespace: namespace, name: secretName))
                data = Self.decodedData(of: secret)
            } catch {
                let reason = error.code == .notFound ? "\(field) Secret '\(secretName)' not found" : "unable to read \(field) Secret '\(secretName)': \(error)"
                return .failure(ProviderError(provider: name, reason: reason))
            }
            switch field {
            case "secretRef": secrets.secret = data
            case "proxySecretRef": secrets.proxySecret = data
            default: secrets.certSecret = data
            }
        }
        do {
            return .success(try ProviderClient(provider: provider, secrets: secrets))
        } catch {
            return .failure(error)
        }
    }

    /// Logs (unless the sender did) and records the Kubernetes Event of a failed delivery.
    private func fail(_ event: FluxEvent, alert: Alert, _ reason: String, logger: Logger?) async {
        metrics.failed()
        let object = event.involvedObject
        let message = "failed to send notification for \(object.kind)/\(object.namespace)/\(object.name): \(reason)"
        logger?.error("Unable to send event to provider", metadata: ["reason": "\(reason)"])
        guard let alertObject = try? JSONValue(encoding: alert) else { return }
        await recorder.record(alertObject, type: .warning, reason: Self.failureReason, message: message)
    }

    /// A Secret's `data` base64-decoded, merged over `stringData`.
    static func decodedData(of secret: JSONValue) -> [String: String] {
        var result = secret["stringData"]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
        for (key, value) in secret["data"]?.objectValue ?? [:] {
            if let text = value.stringValue, let bytes = Data(base64Encoded: text) {
                result[key] = String(decoding: bytes, as: UTF8.self)
            }
        }
        return result
    }
}
