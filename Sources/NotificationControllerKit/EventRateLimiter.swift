import Synchronization

/// Flux's `--rate-limit-interval`: an event identical to one accepted less than `interval` ago (same object,
/// severity, message and metadata — so a new revision is a new event) is refused with 429.
public final class EventRateLimiter: Sendable {
    struct Key: Hashable {
        var kind: String
        var namespace: String
        var name: String
        var severity: FluxEvent.Severity
        var message: String
        var metadata: [String: String]

        init(_ event: FluxEvent) {
            kind = event.involvedObject.kind
            namespace = event.involvedObject.namespace
            name = event.involvedObject.name
            severity = event.severity
            message = event.message
            metadata = event.metadata
        }
    }

    public static let defaultInterval = Duration.seconds(300)
    /// Expired entries are swept after this many admissions, keeping memory bounded by the event rate.
    private static let sweepEvery = 1024

    public let interval: Duration
    private let clock = ContinuousClock()
    private let state = Mutex<(accepted: [Key: ContinuousClock.Instant], admissions: Int)>(([:], 0))

    public init(interval: Duration = EventRateLimiter.defaultInterval) {
        self.interval = interval
    }

    /// Whether `event` may pass now; if so it starts a new interval.
    public func admit(_ event: FluxEvent) -> Bool {
        guard interval > .zero else { return true }
        let key = Key(event)
        let now = clock.now
        return state.withLock { state in
            if let last = state.accepted[key], now < last.advanced(by: interval) { return false }
            state.accepted[key] = now
            state.admissions += 1
            if state.admissions % Self.sweepEvery == 0 {
                let interval = interval
                state.accepted = state.accepted.filter { now < $0.value.advanced(by: interval) }
            }
            return true
        }
    }
}
