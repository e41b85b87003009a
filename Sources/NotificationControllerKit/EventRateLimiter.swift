import GitOpsKit
import Synchronization

/// Flux's `--rate-limit-interval`: an event identical to one accepted less than `interval` ago (same object,
/// severity, message and metadata — so a new revision is a new event) is refused with 429.
///
/// Each accepted event is remembered by a 128-bit digest of those fields rather than the fields themselves: at
/// thousands of distinct events per second over a 5-minute interval the full keys (messages up to 39 kB) would
/// dominate memory, while 16 bytes plus an instant stay small.
public final class EventRateLimiter: Sendable {
    struct Key: Hashable {
        var high: UInt64
        var low: UInt64

        init(_ event: FluxEvent) {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(128 + event.message.utf8.count)
            func append(_ text: String) {
                bytes.append(contentsOf: text.utf8)
                bytes.append(0)
            }
            append(event.involvedObject.kind)
            append(event.involvedObject.namespace)
            append(event.involvedObject.name)
            append(event.severity.rawValue)
            append(event.message)
            for (key, value) in event.metadata.sorted(by: { $0.key < $1.key }) {
                append(key)
                append(value)
            }
            let digest = Digest.compute(.sha256, bytes)
            high = digest[0..<8].reduce(0) { $0 << 8 | UInt64($1) }
            low = digest[8..<16].reduce(0) { $0 << 8 | UInt64($1) }
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

    /// Remembered events (for tests and memory accounting).
    public var count: Int { state.withLock { $0.accepted.count } }
}
