/// Per-failure exponential backoff: `minimum × 2^failures`, capped at `maximum`.
///
/// The defaults are Flux's `--min-retry-delay=750ms` and `--max-retry-delay=15m`
/// (`fluxcd/pkg runtime/controller/rate_limiter.go`).
public struct ExponentialBackoff: Sendable, Hashable {
    public var minimum: Duration
    public var maximum: Duration

    public init(minimum: Duration = .milliseconds(750), maximum: Duration = .seconds(15 * 60)) {
        self.minimum = minimum
        self.maximum = max(minimum, maximum)
    }

    /// The delay before the next attempt after `failures` earlier failures (0 → `minimum`).
    public func delay(afterFailures failures: Int) -> Duration {
        guard failures > 0 else { return minimum }
        // 2^63 overflows; anything past 2^40 × 1ns is beyond every sane maximum already.
        let exponent = min(failures, 40)
        let scaled = minimum * (1 << exponent)
        return scaled > maximum || scaled < minimum ? maximum : scaled
    }
}
