import GitOpsKit
import Synchronization

/// Flux's `--rate-limit-interval`: an event identical to one accepted less than `interval` ago (same object,
/// severity, message and metadata — so a new revision is a new event) is refused with 429.
///
/// Remembering distinct events for the interval is inherent (Flux does too), so each costs as little as it can:
/// a 64-bit fingerprint of those fields (SHA-256 prefix; a false match among the 1.5 million events of 5 minutes at
/// 5,000/s has odds of about 1 in 10^13) and a 4-byte time, ≈ 16 bytes with the table's slack. The full keys
/// (messages up to 39 kB) would dominate memory. The table is split into shards by fingerprint, so growing it
/// copies one small shard at a time rather than doubling one large table (whose old and new storage both live
/// during the copy), and concurrent posts rarely wait on the same lock.
public final class EventRateLimiter: Sendable {
    static func fingerprint(_ event: FluxEvent) -> UInt64 {
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
        return Digest.compute(.sha256, bytes)[0..<8].reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// Time is cut into interval-long generations, numbered from `origin`. A shard keeps the events it accepted in
    /// the current generation and the one before, as milliseconds since that generation's start; anything older is
    /// at least an interval old and dropped whole when the shard next rotates — no sweep over entries.
    private struct Generation {
        var number: Int64
        var accepted: [UInt64: UInt32] = [:]
    }

    private struct Shard {
        var current: Generation
        var previous: Generation?

        mutating func rotate(to number: Int64) {
            guard current.number < number else { return }
            previous = current.number == number - 1 ? current : nil
            current = Generation(number: number)
        }
    }

    private final class LockedShard: Sendable {
        let state = Mutex(Shard(current: Generation(number: 0)))
    }

    public static let defaultInterval = Duration.seconds(300)
    /// Offsets are stored in milliseconds as `UInt32`; longer intervals are clamped to what fits (49 days).
    private static let longestInterval = Duration.milliseconds(Int64(UInt32.max))
    private static let shardCount = 16

    public let interval: Duration
    private let clock = ContinuousClock()
    private let origin: ContinuousClock.Instant
    private let shards: [LockedShard]

    public init(interval: Duration = EventRateLimiter.defaultInterval) {
        self.interval = min(interval, Self.longestInterval)
        origin = clock.now
        shards = (0..<Self.shardCount).map { _ in LockedShard() }
    }

    /// Whether `event` may pass now; if so it starts a new interval.
    public func admit(_ event: FluxEvent) -> Bool {
        guard interval > .zero else { return true }
        let key = Self.fingerprint(event)
        let now = clock.now - origin
        let number = Int64(now / interval)
        let generationStart = interval * number
        let milliseconds = Duration.milliseconds(1)
        return shards[Int(key % UInt64(Self.shardCount))].state.withLock { shard in
            shard.rotate(to: number)
            // Accepted in this generation: less than an interval ago. In the previous one, at
            // `generationStart - interval + offset`: refused while that is less than an interval ago.
            if shard.current.accepted[key] != nil { return false }
            if let offset = shard.previous?.accepted[key], now < generationStart + milliseconds * Int(offset) {
                return false
            }
            shard.current.accepted[key] = UInt32(clamping: Int64((now - generationStart) / milliseconds))
            return true
        }
    }

    /// Remembered events (for tests and memory accounting); generations that have expired by now are dropped first.
    public var count: Int {
        guard interval > .zero else { return 0 }
        let number = Int64((clock.now - origin) / interval)
        return shards.reduce(0) { total, shard in
            total + shard.state.withLock { shard in
                shard.rotate(to: number)
                return shard.current.accepted.count + (shard.previous?.accepted.count ?? 0)
            }
        }
    }
}
