import Testing

@testable import GitOpsKit

struct KubeRateLimiterTests {
    @Test func allowsABurstThenTheSustainedRate() {
        let limiter = KubeRateLimiter(qps: 10, burst: 3)
        let start = ContinuousClock.now
        #expect(limiter.reserve(now: start) == .zero)
        #expect(limiter.reserve(now: start) == .zero)
        #expect(limiter.reserve(now: start) == .zero)
        // The bucket is empty: the 4th waits 100 ms, the 5th 200 ms.
        #expect(abs((limiter.reserve(now: start) - .milliseconds(100)) / .milliseconds(1)) < 1)
        #expect(abs((limiter.reserve(now: start) - .milliseconds(200)) / .milliseconds(1)) < 1)
        // A second later the debt is paid and 3 tokens are back... but no more than the burst.
        let later = start + .seconds(10)
        #expect(limiter.reserve(now: later) == .zero)
        #expect(limiter.reserve(now: later) == .zero)
        #expect(limiter.reserve(now: later) == .zero)
        #expect(limiter.reserve(now: later) > .zero)
    }

    @Test func aZeroRateDisablesTheLimit() {
        let limiter = KubeRateLimiter(qps: 0, burst: 1)
        for _ in 0..<100 { #expect(limiter.reserve() == .zero) }
    }
}
