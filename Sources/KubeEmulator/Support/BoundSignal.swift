import Synchronization

/// A one-shot value that the server task resolves once it is bound (or failed).
final class BoundSignal: Sendable {
    private let state = Mutex<(Result<Int, any Error>?, [CheckedContinuation<Int, any Error>])>((nil, []))

    func resolve(_ result: Result<Int, any Error>) {
        let waiting: [CheckedContinuation<Int, any Error>] = state.withLock { state in
            guard state.0 == nil else { return [] }
            state.0 = result
            let waiting = state.1
            state.1 = []
            return waiting
        }
        for continuation in waiting { continuation.resume(with: result) }
    }

    func value() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<Int, any Error>? = state.withLock { state in
                if let result = state.0 { return result }
                state.1.append(continuation)
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
