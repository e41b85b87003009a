import Synchronization

/// Client-side request rate limit (client-go's `QPS`/`Burst`): a token bucket that holds up to `burst` tokens and
/// refills at `qps` per second. Callers beyond the budget wait their turn (first come, first served); watches are
/// exempt because they are long-lived.
final class KubeRateLimiter: Sendable {
    private struct State {
        var tokens: Double
        var last: ContinuousClock.Instant
    }

    let qps: Double
    let burst: Double
    private let state: Mutex<State>

    /// `qps <= 0` disables the limit.
    init(qps: Double, burst: Int) {
        self.qps = qps
        self.burst = Double(max(1, burst))
        self.state = Mutex(State(tokens: Double(max(1, burst)), last: .now))
    }

    /// How long the caller must wait for its token, reserving it.
    func reserve(now: ContinuousClock.Instant = .now) -> Duration {
        guard qps > 0 else { return .zero }
        return state.withLock { state in
            let elapsed = now - state.last
            state.last = now
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            state.tokens = min(burst, state.tokens + max(0, seconds) * qps)
            state.tokens -= 1
            if state.tokens >= 0 { return .zero }
            return .nanoseconds(Int64((-state.tokens / qps) * 1e9))
        }
    }

    /// Waits for a token.
    func acquire(request: @autoclosure () -> String) async throws(KubeError) {
        let wait = reserve()
        guard wait > .zero else { return }
        do {
            try await Task.sleep(for: wait)
        } catch {
            throw KubeError(code: .transport, message: "\(request()): cancelled while waiting for the client rate limit")
        }
    }
}
