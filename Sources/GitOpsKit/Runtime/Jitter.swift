/// Random spread of requeue intervals so objects created together do not reconcile in lockstep forever.
///
/// Flux applies `--interval-jitter-percentage` (default 5): a requeue after `interval` happens after a random
/// duration in `[interval × (1 − p/100), interval × (1 + p/100)]` (`fluxcd/pkg runtime/jitter`).
public struct Jitter: Sendable, Hashable {
    /// The spread in percent, 0…100.
    public var percentage: Double

    public init(percentage: Double = 5) {
        self.percentage = min(max(percentage, 0), 100)
    }

    /// `duration` spread by up to ±`percentage` %.
    public func apply(to duration: Duration) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return apply(to: duration, using: &generator)
    }

    /// `duration` spread by up to ±`percentage` %, drawing from `generator` (tests pass a seeded one).
    public func apply<G: RandomNumberGenerator>(to duration: Duration, using generator: inout G) -> Duration {
        guard percentage > 0, duration > .zero else { return duration }
        let fraction = percentage / 100
        let factor = Double.random(in: (1 - fraction)...(1 + fraction), using: &generator)
        return duration * factor
    }

    /// The smallest and largest result of ``apply(to:)`` for `duration`.
    public func bounds(of duration: Duration) -> ClosedRange<Duration> {
        let fraction = percentage / 100
        return (duration * (1 - fraction))...(duration * (1 + fraction))
    }
}
