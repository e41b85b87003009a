import GitOpsKit

/// notification-controller's own counters on `--metrics-addr` (besides the runtime's):
/// `notification_controller_events_total{result}` — `accepted`, `rate_limited`, `invalid`, `dropped` (queue full);
/// `notification_controller_alert_matches_total` — (event, Alert) pairs matched;
/// `notification_controller_deliveries_total{result}` — `delivered`, `failed` (including configuration errors).
public struct NotificationMetrics: Sendable {
    public typealias Increment = @Sendable () -> Void

    let accepted: Increment
    let rateLimited: Increment
    let invalid: Increment
    let dropped: Increment
    let matched: Increment
    let delivered: Increment
    let failed: Increment

    /// Counters in `metrics`' registry; nil: counting is a no-op (tests).
    public init(_ metrics: RuntimeMetrics?) {
        guard let metrics else {
            let none: Increment = {}
            accepted = none
            rateLimited = none
            invalid = none
            dropped = none
            matched = none
            delivered = none
            failed = none
            return
        }
        func events(_ result: String) -> Increment {
            metrics.makeCounter(name: "notification_controller_events", help: "Events received, by result",
                                labels: [("result", result)])
        }
        func deliveries(_ result: String) -> Increment {
            metrics.makeCounter(name: "notification_controller_deliveries", help: "Deliveries to providers, by result",
                                labels: [("result", result)])
        }
        accepted = events("accepted")
        rateLimited = events("rate_limited")
        invalid = events("invalid")
        dropped = events("dropped")
        matched = metrics.makeCounter(name: "notification_controller_alert_matches",
                                      help: "Alerts matched by received events", labels: [])
        delivered = deliveries("delivered")
        failed = deliveries("failed")
    }
}
