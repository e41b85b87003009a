import NIOCore
import Synchronization

/// A deduplicating work queue of keys, as controllers use it: level-triggered work where only the latest "something
/// changed about X" matters.
///
/// Rules (those of client-go's workqueue):
/// - a key is at most once in the queue: adding a queued key again does nothing;
/// - a key is never handed to two workers at once: a key added while a worker holds it is queued again when that
///   worker calls ``done(_:)``;
/// - ``addAfter(_:delay:)`` and ``addRateLimited(_:)`` park the key until its time comes; one timer task serves all
///   parked keys (no thread or task per key);
/// - ``shutDown()`` makes ``get()`` return `nil` once the caller should stop; keys being processed finish normally.
///
/// Usage:
/// ```swift
/// while let key = await queue.get() {
///     defer { queue.done(key) }
///     do { try await work(key); queue.forget(key) } catch { queue.addRateLimited(key) }
/// }
/// ```
public final class WorkQueue<Key: Hashable & Sendable>: Sendable {
    /// A caller waiting in `get()`.
    private struct Waiter {
        var id: UInt64
        var continuation: CheckedContinuation<Key?, Never>
    }

    private struct State {
        var queue: CircularBuffer<Key> = CircularBuffer()
        /// Keys that need processing: queued, or re-added while being processed.
        var dirty: Set<Key> = []
        var processing: Set<Key> = []
        var waiters: CircularBuffer<Waiter> = CircularBuffer()
        var nextWaiterID: UInt64 = 0
        /// Parked keys and when they become due (the earliest request wins).
        var parked: [Key: ContinuousClock.Instant] = [:]
        var timerTask: Task<Void, Never>?
        var timerDeadline: ContinuousClock.Instant?
        var failures: [Key: Int] = [:]
        var shuttingDown = false
        var drainWaiters: [CheckedContinuation<Void, Never>] = []
        var totalAdds: Int = 0
    }

    private let state = Mutex(State())
    /// The per-key backoff that ``addRateLimited(_:)`` applies.
    public let rateLimiter: ExponentialBackoff

    /// - Parameter rateLimiter: backoff for ``addRateLimited(_:)`` (default 750 ms doubling up to 15 min, as Flux's
    ///   `--min-retry-delay`/`--max-retry-delay`).
    public init(rateLimiter: ExponentialBackoff = ExponentialBackoff()) {
        self.rateLimiter = rateLimiter
    }

    deinit {
        state.withLock { $0.timerTask?.cancel() }
    }

    // MARK: Adding

    /// Marks `key` as needing work. Does nothing when it is already queued or after ``shutDown()``.
    public func add(_ key: Key) {
        let resume = state.withLock { state in Self.add(key, to: &state) }
        resume?()
    }

    /// Adds `key` after `delay`; a non-positive delay adds it at once. If the key is already parked, the earlier
    /// time wins.
    public func addAfter(_ key: Key, delay: Duration) {
        if delay <= .zero {
            add(key)
            return
        }
        let deadline = ContinuousClock.now.advanced(by: delay)
        state.withLock { state in
            guard !state.shuttingDown else { return }
            if let existing = state.parked[key], existing <= deadline { return }
            state.parked[key] = deadline
            scheduleTimer(&state, deadline: deadline)
        }
    }

    /// Adds `key` after its next backoff delay (750 ms, 1.5 s, 3 s, … capped); each call counts as one more failure.
    /// - Returns: the delay applied.
    @discardableResult
    public func addRateLimited(_ key: Key) -> Duration {
        let delay = state.withLock { state -> Duration in
            let failures = state.failures[key, default: 0]
            state.failures[key] = failures + 1
            return rateLimiter.delay(afterFailures: failures)
        }
        addAfter(key, delay: delay)
        return delay
    }

    /// Clears the failure count of `key` (after a successful reconcile), so its next backoff starts again at the
    /// minimum. It does not remove a queued or parked key.
    public func forget(_ key: Key) {
        state.withLock { _ = $0.failures.removeValue(forKey: key) }
    }

    /// How many times `key` was added rate-limited since it was last forgotten.
    public func failures(of key: Key) -> Int {
        state.withLock { $0.failures[key, default: 0] }
    }

    // MARK: Processing

    /// The next key to process, waiting until one is available; `nil` once the queue is shut down (or the calling
    /// task is cancelled). The caller owns the key until it calls ``done(_:)``.
    public func get() async -> Key? {
        let id = state.withLock { state -> UInt64 in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Key?, Never>) in
                let immediate: Key?? = state.withLock { state in
                    if state.shuttingDown || Task.isCancelled { return .some(nil) }
                    if let key = state.queue.popFirst() {
                        state.processing.insert(key)
                        state.dirty.remove(key)
                        return .some(key)
                    }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return .none
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index)
            }
            waiter?.continuation.resume(returning: nil)
        }
    }

    /// Ends the processing of `key`; if it was added meanwhile it is queued again.
    public func done(_ key: Key) {
        let resumes = state.withLock { state -> [@Sendable () -> Void] in
            state.processing.remove(key)
            var resumes: [@Sendable () -> Void] = []
            if state.dirty.contains(key), !state.shuttingDown {
                if let waiter = state.waiters.popFirst() {
                    state.dirty.remove(key)
                    state.processing.insert(key)
                    resumes.append { waiter.continuation.resume(returning: key) }
                } else {
                    state.queue.append(key)
                }
            }
            if state.processing.isEmpty, state.shuttingDown {
                let drains = state.drainWaiters
                state.drainWaiters = []
                resumes.append { drains.forEach { $0.resume() } }
            }
            return resumes
        }
        resumes.forEach { $0() }
    }

    // MARK: Shutdown

    /// Stops handing out keys: waiting and later ``get()`` calls return `nil`; adds are ignored. Keys already
    /// handed out are still processed; ``drain()`` waits for them.
    public func shutDown() {
        let waiters = state.withLock { state -> [Waiter] in
            state.shuttingDown = true
            state.timerTask?.cancel()
            state.timerTask = nil
            state.timerDeadline = nil
            state.parked = [:]
            let waiters = Array(state.waiters)
            state.waiters = CircularBuffer()
            return waiters
        }
        waiters.forEach { $0.continuation.resume(returning: nil) }
    }

    /// Waits until no key is being processed (after ``shutDown()``: until in-flight work has finished).
    public func drain() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLock { state -> Bool in
                if state.processing.isEmpty { return true }
                state.drainWaiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    public var isShuttingDown: Bool { state.withLock { $0.shuttingDown } }

    // MARK: Introspection

    /// Keys waiting to be handed out (the `workqueue_depth` metric).
    public var depth: Int { state.withLock { $0.queue.count } }
    /// Keys parked by ``addAfter(_:delay:)``/``addRateLimited(_:)``.
    public var parkedCount: Int { state.withLock { $0.parked.count } }
    /// Keys currently handed out to workers.
    public var processingCount: Int { state.withLock { $0.processing.count } }
    /// How many adds were accepted into the queue (not deduplicated away); for metrics and tests.
    public var acceptedAdds: Int { state.withLock { $0.totalAdds } }

    // MARK: Internals

    /// Adds under the lock; returns a continuation resume to run after unlocking.
    private static func add(_ key: Key, to state: inout State) -> (@Sendable () -> Void)? {
        guard !state.shuttingDown, !state.dirty.contains(key) else { return nil }
        state.totalAdds += 1
        if state.processing.contains(key) {
            state.dirty.insert(key)
            return nil
        }
        if let waiter = state.waiters.popFirst() {
            state.processing.insert(key)
            return { waiter.continuation.resume(returning: key) }
        }
        state.dirty.insert(key)
        state.queue.append(key)
        return nil
    }

    /// (Re)starts the single timer task when `deadline` is earlier than the one it sleeps for.
    private func scheduleTimer(_ state: inout State, deadline: ContinuousClock.Instant) {
        if let current = state.timerDeadline, current <= deadline, state.timerTask != nil { return }
        state.timerTask?.cancel()
        state.timerDeadline = deadline
        state.timerTask = Task { [weak self] in
            do {
                try await Task.sleep(until: deadline, clock: .continuous)
            } catch {
                return
            }
            self?.fireDueKeys()
        }
    }

    /// Moves every parked key that is due into the queue and re-arms the timer for the next one.
    private func fireDueKeys() {
        let resumes = state.withLock { state -> [@Sendable () -> Void] in
            state.timerTask = nil
            state.timerDeadline = nil
            guard !state.shuttingDown else { return [] }
            let now = ContinuousClock.now
            var resumes: [@Sendable () -> Void] = []
            var next: ContinuousClock.Instant?
            var dueKeys: [(key: Key, due: ContinuousClock.Instant)] = []
            for (key, due) in state.parked {
                if due <= now {
                    dueKeys.append((key, due))
                } else if next.map({ due < $0 }) ?? true {
                    next = due
                }
            }
            // Keys that fell due together are queued in the order they were due.
            for (key, _) in dueKeys.sorted(by: { $0.due < $1.due }) {
                state.parked[key] = nil
                if let resume = Self.add(key, to: &state) { resumes.append(resume) }
            }
            if let next { scheduleTimer(&state, deadline: next) }
            return resumes
        }
        resumes.forEach { $0() }
    }
}
