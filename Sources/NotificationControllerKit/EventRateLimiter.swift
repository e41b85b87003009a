import GitOpsKit
import Synchronization

/// Flux's `--rate-limit-interval`: an event identical to one accepted less than `interval` ago (same object,
/// severity, message and metadata — so a new revision is a new event) is refused with 429.
///
/// Remembering distinct events for the interval is inherent (Flux does too), so each costs as little as it can:
/// a 64-bit fingerprint of those fields (SHA-256 prefix; a false match among the 1.5 million events of 5 minutes at
/// 5,000/s has odds of about 1 in 10^13) and a 2-byte time, ≈ 16 bytes with the table's slack. The full keys
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
    /// the current generation and the one before, as ticks since that generation's start; anything older is at
    /// least an interval old and dropped whole when the shard next rotates — no sweep over entries.
    private struct Generation {
        var number: Int64
        var accepted: [UInt64: UInt16] = [:]
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
    private static let shardCount = 16

    public let interval: Duration
    /// The unit of the stored times: 1 ms, or interval / 65,535 for intervals over 65 s (4.6 ms for 5 minutes), so
    /// a time fits 2 bytes. An identical event may thus pass up to one tick before the interval has fully passed.
    private let tick: Duration
    private let clock = ContinuousClock()
    private let origin: ContinuousClock.Instant
    private let shards: [LockedShard]

    public init(interval: Duration = EventRateLimiter.defaultInterval) {
        self.interval = interval
        tick = max(.milliseconds(1), interval / Int(UInt16.max))
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
        let tick = tick
        return shards[Int(key % UInt64(Self.shardCount))].state.withLock { shard in
            shard.rotate(to: number)
            // Accepted in this generation: less than an interval ago. In the previous one, at
            // `generationStart - interval + offset`: refused while that is less than an interval ago.
            if shard.current.accepted[key] != nil { return false }
            if let offset = shard.previous?.accepted[key], now < generationStart + tick * Int(offset) {
                return false
            }
            shard.current.accepted[key] = UInt16(clamping: Int64((now - generationStart) / tick))
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
