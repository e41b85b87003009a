import Synchronization
import Testing
@testable import GitOpsKit

struct RuntimeWorkQueueTests {
    @Test func deduplicatesQueuedKeys() async {
        let queue = WorkQueue<String>()
        queue.add("a")
        queue.add("a")
        queue.add("b")
        queue.add("a")
        #expect(queue.depth == 2)
        #expect(await queue.get() == "a")
        #expect(await queue.get() == "b")
        #expect(queue.depth == 0)
        #expect(queue.acceptedAdds == 2)
    }

    @Test func keyAddedWhileProcessingIsRequeuedOnlyWhenDone() async {
        let queue = WorkQueue<String>()
        queue.add("a")
        let key = await queue.get()
        #expect(key == "a")
        queue.add("a")
        queue.add("a")
        #expect(queue.depth == 0, "a key being processed must not be handed out again")
        queue.done("a")
        #expect(queue.depth == 1)
        #expect(await queue.get() == "a")
        queue.done("a")
        #expect(queue.depth == 0)
    }

    @Test func waitingGetReceivesLaterAdd() async {
        let queue = WorkQueue<Int>()
        async let got = queue.get()
        try? await Task.sleep(for: .milliseconds(20))
        queue.add(7)
        #expect(await got == 7)
        #expect(queue.processingCount == 1)
    }

    @Test func neverProcessesAKeyConcurrently() async {
        let queue = WorkQueue<Int>()
        let active = Locked<[Int: Int]>([:])
        let violations = Locked(0)
        let processed = Locked(0)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    while let key = await queue.get() {
                        let overlap = active.withLock { active -> Bool in
                            active[key, default: 0] += 1
                            return active[key, default: 0] > 1
                        }
                        if overlap { violations.withLock { $0 += 1 } }
                        await Task.yield()
                        try? await Task.sleep(for: .microseconds(200))
                        active.withLock { $0[key, default: 0] -= 1 }
                        processed.withLock { $0 += 1 }
                        queue.done(key)
                    }
                }
            }
            group.addTask {
                for round in 0..<400 {
                    queue.add(round % 5)
                    if round % 20 == 0 { await Task.yield() }
                }
                _ = await eventually { queue.depth == 0 && queue.processingCount == 0 }
                queue.shutDown()
            }
        }
        #expect(violations.withLock { $0 } == 0)
        #expect(processed.withLock { $0 } >= 5)
    }

    @Test func backoffGrowsAndIsCapped() {
        let backoff = ExponentialBackoff(minimum: .milliseconds(750), maximum: .seconds(900))
        #expect(backoff.delay(afterFailures: 0) == .milliseconds(750))
        #expect(backoff.delay(afterFailures: 1) == .milliseconds(1500))
        #expect(backoff.delay(afterFailures: 2) == .milliseconds(3000))
        #expect(backoff.delay(afterFailures: 10) == .milliseconds(768_000))
        #expect(backoff.delay(afterFailures: 11) == .seconds(900))
        #expect(backoff.delay(afterFailures: 1000) == .seconds(900))
        #expect(backoff.delay(afterFailures: .max) == .seconds(900))
    }

    @Test func rateLimitedAddsBackOffPerKeyUntilForgotten() {
        let queue = WorkQueue<String>(rateLimiter: ExponentialBackoff(minimum: .seconds(1), maximum: .seconds(5)))
        #expect(queue.addRateLimited("a") == .seconds(1))
        #expect(queue.addRateLimited("a") == .seconds(2))
        #expect(queue.addRateLimited("b") == .seconds(1), "backoff is per key")
        #expect(queue.addRateLimited("a") == .seconds(4))
        #expect(queue.addRateLimited("a") == .seconds(5))
        #expect(queue.failures(of: "a") == 4)
        queue.forget("a")
        #expect(queue.failures(of: "a") == 0)
        #expect(queue.addRateLimited("a") == .seconds(1))
        queue.shutDown()
    }

    @Test func addAfterDelaysTheKey() async {
        let queue = WorkQueue<String>()
        let start = ContinuousClock.now
        queue.addAfter("late", delay: .milliseconds(150))
        queue.addAfter("early", delay: .milliseconds(50))
        #expect(queue.depth == 0)
        #expect(queue.parkedCount == 2)
        #expect(await queue.get() == "early")
        #expect(await queue.get() == "late")
        #expect(ContinuousClock.now - start >= .milliseconds(150))
        #expect(queue.parkedCount == 0)
    }

    @Test func earlierAddAfterWinsAndImmediateAddDoesNotWait() async {
        let queue = WorkQueue<String>()
        queue.addAfter("k", delay: .seconds(60))
        queue.addAfter("k", delay: .milliseconds(30))
        let start = ContinuousClock.now
        #expect(await queue.get() == "k")
        // Generous: the 60 s deadline is the failure; a loaded machine can delay a 30 ms timer by seconds.
        #expect(ContinuousClock.now - start < .seconds(30))
        queue.addAfter("now", delay: .zero)
        #expect(queue.depth == 1)
        queue.shutDown()
    }

    @Test func shutDownReleasesWaitersAndDrainsInFlight() async {
        let queue = WorkQueue<String>()
        queue.add("busy")
        #expect(await queue.get() == "busy")
        async let waiting = queue.get()
        try? await Task.sleep(for: .milliseconds(20))
        queue.shutDown()
        #expect(await waiting == nil)
        #expect(await queue.get() == nil)
        queue.add("ignored")
        #expect(queue.depth == 0)
        let drained = Locked(false)
        async let drain: Void = { await queue.drain(); drained.withLock { $0 = true } }()
        try? await Task.sleep(for: .milliseconds(30))
        #expect(drained.withLock { $0 } == false, "drain must wait for the in-flight key")
        queue.done("busy")
        await drain
        #expect(drained.withLock { $0 })
    }

    @Test func cancelledGetReturnsNil() async {
        let queue = WorkQueue<String>()
        let task = Task { await queue.get() }
        try? await Task.sleep(for: .milliseconds(20))
        task.cancel()
        #expect(await task.value == nil)
        queue.add("x")
        #expect(queue.depth == 1, "a cancelled waiter must not swallow later keys")
    }

    @Test func jitterStaysWithinBounds() {
        let jitter = Jitter(percentage: 5)
        let interval = Duration.seconds(60)
        var seen: Set<Int64> = []
        for _ in 0..<2000 {
            let value = jitter.apply(to: interval)
            #expect(value >= .seconds(57) && value <= .seconds(63))
            seen.insert(value.components.seconds)
        }
        #expect(seen.count > 3, "jitter must actually spread values")
        #expect(Jitter(percentage: 0).apply(to: interval) == interval)
        #expect(jitter.bounds(of: interval) == .seconds(57)...(.seconds(63)))
        #expect(Jitter(percentage: 250).percentage == 100)
    }
}
