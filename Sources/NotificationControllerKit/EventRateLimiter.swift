import GitOpsKit
import Synchronization

/// Flux's `--rate-limit-interval`: an event identical to one accepted less than `interval` ago (same object,
/// severity, message and metadata — so a new revision is a new event) is refused with 429.
///
/// Each accepted event is remembered by a 128-bit digest of those fields rather than the fields themselves, with a
/// 4-byte time: at thousands of distinct events per second over a 5-minute interval the full keys (messages up to
/// 39 kB) would dominate memory. Remembering distinct events for the interval is inherent (Flux does too): at a
/// sustained 5,000 distinct events/s that is about 1.5 million entries, ≈ 40 MB.
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

    /// Accepted events of one interval-long period: digest → milliseconds since `start` (4 bytes instead of a
    /// 16-byte instant per entry).
    private struct Generation {
        var start: ContinuousClock.Instant
        var accepted: [Key: UInt32] = [:]

        func lastAccepted(_ key: Key) -> ContinuousClock.Instant? {
            accepted[key].map { start.advanced(by: .milliseconds(Int64($0))) }
        }
    }

    public static let defaultInterval = Duration.seconds(300)
    /// Offsets are stored in milliseconds as `UInt32`; longer intervals are clamped to what fits (49 days).
    private static let longestInterval = Duration.milliseconds(Int64(UInt32.max))

    public let interval: Duration
    private let clock = ContinuousClock()
    /// Two generations: an event is looked up in both, recorded in the current one; when the current one is an
    /// interval old it becomes the previous one and the previous one is dropped whole. Expiry is thus O(1) per
    /// event (no sweep over all entries), and memory holds at most two intervals of distinct events.
    private let state: Mutex<(current: Generation, previous: Generation?)>

    public init(interval: Duration = EventRateLimiter.defaultInterval) {
        self.interval = min(interval, Self.longestInterval)
        state = Mutex((Generation(start: ContinuousClock().now), nil))
    }

    /// Whether `event` may pass now; if so it starts a new interval.
    public func admit(_ event: FluxEvent) -> Bool {
        guard interval > .zero else { return true }
        let key = Key(event)
        let now = clock.now
        let interval = interval
        return state.withLock { state in
            if now >= state.current.start.advanced(by: interval) {
                // Entries of the outgoing current generation may still be within an interval; older ones cannot.
                let recent = now < state.current.start.advanced(by: interval * 2)
                state.previous = recent ? state.current : nil
                state.current = Generation(start: now)
            }
            if let last = state.current.lastAccepted(key) ?? state.previous?.lastAccepted(key),
               now < last.advanced(by: interval) {
                return false
            }
            let offset = (now - state.current.start) / .milliseconds(1)
            state.current.accepted[key] = UInt32(clamping: Int64(offset))
            return true
        }
    }

    /// Remembered events (for tests and memory accounting).
    public var count: Int { state.withLock { $0.current.accepted.count + ($0.previous?.accepted.count ?? 0) } }
}
