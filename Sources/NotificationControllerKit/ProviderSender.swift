import GitOpsKit
import Logging

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

    private let clients: ProviderHTTPClients
    private let policy: EventDeliveryPolicy
    private let logger: Logger

    /// Every provider through `client` unless it has its own TLS or proxy settings.
    public init(client: HTTPClient = HTTPClient(), policy: EventDeliveryPolicy, logger: Logger) {
        self.init(clients: ProviderHTTPClients(default: client), policy: policy, logger: logger)
    }

    public init(clients: ProviderHTTPClients, policy: EventDeliveryPolicy, logger: Logger) {
        self.clients = clients
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
            logger.error("Unable to format event for provider", metadata: ["error": "\(provider.masked(error.description))"])
            return .invalid(reason: error.description)
        }
        let client = clients.client(for: provider.transport.httpConfiguration)
        let backoff = ExponentialBackoff(minimum: policy.minimumWait, maximum: policy.maximumWait)
        var attempt = 0
        while true {
            let reason: String
            do {
                let response = try await client.execute(request)
                if provider.isDelivered(response) { return .delivered(status: response.status) }
                guard EventDeliveryPolicy.shouldRetry(status: response.status) else {
                    logger.error("Provider refused the event", metadata: [
                        "address": "\(provider.redactedAddress)", "status": "\(response.status)",
                        "body": "\(provider.masked(String(response.bodyText.prefix(512))))",
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
                    "address": "\(provider.redactedAddress)", "attempts": "\(attempt)", "reason": "\(provider.masked(reason))",
                ])
                return .failed(attempts: attempt, reason: reason)
            }
            try? await Task.sleep(for: backoff.delay(afterFailures: attempt - 1))
        }
    }
}
