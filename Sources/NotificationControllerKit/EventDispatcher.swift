import FoundationEssentials
import GitOpsKit
import Logging

/// What the event server hands accepted events to.
public protocol EventHandler: Sendable {
    func handle(_ event: FluxEvent) async
}

/// Matches an accepted event against every Alert and sends it to each matched, unsuspended Provider — concurrently,
/// so one slow or failing provider never holds up the others.
public struct EventDispatcher: EventHandler {
    private let api: any KubernetesAPI
    private let sender: ProviderSender
    private let logger: Logger

    /// - Parameter policy: retries per provider; its `timeout` is replaced by each Provider's `spec.timeout`.
    public init(api: any KubernetesAPI, client: HTTPClient = HTTPClient(),
                policy: EventDeliveryPolicy = EventDeliveryPolicy(timeout: .seconds(15)), logger: Logger) {
        self.api = api
        self.sender = ProviderSender(client: client, policy: policy, logger: logger)
        self.logger = logger
    }

    public func handle(_ event: FluxEvent) async {
        let alerts: [Alert]
        do {
            alerts = try await api.listAll(Alert.kind, namespace: nil).items.compactMap { try? $0.decode(as: Alert.self) }
        } catch {
            logger.error("Unable to list Alerts", metadata: ["error": "\(error)"])
            return
        }
        let matcher = AlertMatcher { [api] object in
            let kind = GroupVersionKind(apiVersion: object.apiVersion ?? "", kind: object.kind)
            let value = try? await api.get(kind, ObjectKey(namespace: object.namespace, name: object.name))
            return value?[path: "metadata", "labels"]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
        }
        let matched = await matcher.matches(event, alerts: alerts)
        await withTaskGroup(of: Void.self) { group in
            for (alert, alertEvent) in matched {
                group.addTask { await send(alertEvent, for: alert) }
            }
        }
    }

    /// Resolves the Alert's Provider and Secret, then sends.
    private func send(_ event: FluxEvent, for alert: Alert) async {
        let namespace = alert.metadata.namespace ?? ""
        let providerName = alert.spec.providerRef.name
        var logger = logger
        logger[metadataKey: "alert"] = "\(namespace)/\(alert.metadata.name ?? "")"
        logger[metadataKey: "provider"] = "\(namespace)/\(providerName)"
        do {
            let provider = try await api.get(Provider.kind, ObjectKey(namespace: namespace, name: providerName))
                .decode(as: Provider.self)
            if provider.isSuspended { return }
            // Flux sets commit statuses only for events that ask for it (`commit_status: update`).
            if Provider.ProviderType.commitStatusTypes.contains(provider.spec.type),
               event.metadata["commit_status"] != "update" || event.reason == "Progressing" {
                return
            }
            var secretData: [String: String]?
            if let secretName = provider.spec.secretRef?.name {
                let secret = try await api.get(GroupVersionKind(group: "", version: "v1", kind: "Secret"),
                                               ObjectKey(namespace: namespace, name: secretName))
                secretData = Self.decodedData(of: secret)
            }
            let client = try ProviderClient(provider: provider, secretData: secretData)
            await sender.send(event, with: client, logger: logger)
        } catch {
            logger.error("Unable to send event to provider", metadata: ["error": "\(error)"])
        }
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

/// Sends one event to one provider with retries: connection errors and 5xx (except 501) are retried with
/// exponential backoff, any other status ends the attempt (a 4xx will not improve).
public struct ProviderSender: Sendable {
    /// How one delivery ended.
    public enum Outcome: Sendable, Hashable {
        case delivered(status: Int)
        /// Refused with a status that retrying will not change.
        case rejected(status: Int)
        /// Retries exhausted; `reason` is the last error or status.
        case failed(attempts: Int, reason: String)
        /// The provider could not format the event.
        case invalid(reason: String)
    }

    private let client: HTTPClient
    private let policy: EventDeliveryPolicy
    private let logger: Logger

    public init(client: HTTPClient = HTTPClient(), policy: EventDeliveryPolicy, logger: Logger) {
        self.client = client
        self.policy = policy
        self.logger = logger
    }

    @discardableResult
    public func send(_ event: FluxEvent, with provider: ProviderClient, logger: Logger? = nil) async -> Outcome {
        let logger = logger ?? self.logger
        let request: HTTPClientRequest
        do {
            request = try provider.request(for: event)
        } catch {
            logger.error("Unable to format event for provider", metadata: ["error": "\(error)"])
            return .invalid(reason: error.description)
        }
        let backoff = ExponentialBackoff(minimum: policy.minimumWait, maximum: policy.maximumWait)
        var attempt = 0
        while true {
            let reason: String
            do {
                let response = try await client.execute(request)
                if provider.isDelivered(response) { return .delivered(status: response.status) }
                guard EventDeliveryPolicy.shouldRetry(status: response.status) else {
                    logger.error("Provider refused the event", metadata: [
                        "url": "\(request.url)", "status": "\(response.status)",
                        "body": "\(response.bodyText.prefix(512))",
                    ])
                    return .rejected(status: response.status)
                }
                reason = "status \(response.status)"
            } catch {
                reason = "\(error)"
            }
            attempt += 1
            if attempt > policy.maxRetries || Task.isCancelled {
                logger.error("Unable to send event to provider, giving up", metadata: [
                    "url": "\(request.url)", "attempts": "\(attempt)", "reason": "\(reason)",
                ])
                return .failed(attempts: attempt, reason: reason)
            }
            try? await Task.sleep(for: backoff.delay(afterFailures: attempt - 1))
        }
    }
}
