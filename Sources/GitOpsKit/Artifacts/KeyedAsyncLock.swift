import Synchronization

/// Mutual exclusion per string key for async code: at most one holder per key, waiters resumed in arrival order.
/// Suspends instead of blocking a thread, so a long artifact write never stalls the cooperative pool.
final class KeyedAsyncLock: Sendable {
    /// Present key = held; its array = waiters in arrival order.
    private let state = Mutex<[String: [CheckedContinuation<Void, Never>]]>([:])

    /// Runs `body` while holding the lock for `key`.
    func withLock<T>(_ key: String, _ body: () async throws -> T) async rethrows -> T {
        await lock(key)
        defer { unlock(key) }
        return try await body()
    }

    func lock(_ key: String) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let acquired = state.withLock { holders -> Bool in
                if holders[key] == nil {
                    holders[key] = []
                    return true
                }
                holders[key, default: []].append(continuation)
                return false
            }
            if acquired { continuation.resume() }
        }
    }

    func unlock(_ key: String) {
        let next = state.withLock { holders -> CheckedContinuation<Void, Never>? in
            guard var waiters = holders[key] else { return nil }
            if waiters.isEmpty {
                holders[key] = nil
                return nil
            }
            let first = waiters.removeFirst()
            holders[key] = waiters
            return first
        }
        next?.resume()
    }

    /// Whether `key` is held right now (for tests and diagnostics).
    func isLocked(_ key: String) -> Bool {
        state.withLock { $0[key] != nil }
    }
}
