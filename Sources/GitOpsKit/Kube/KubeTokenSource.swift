import FoundationEssentials
import Synchronization

/// A bearer token read from a file and re-read once a minute, so rotated service-account tokens are picked up.
final class KubeTokenSource: Sendable {
    private struct Cached {
        var token: String
        var readAt: ContinuousClock.Instant
    }

    let path: String
    let refreshInterval: Duration
    private let cached = Mutex<Cached?>(nil)

    init(path: String, refreshInterval: Duration = .seconds(60)) {
        self.path = path
        self.refreshInterval = refreshInterval
    }

    /// The current token; a failed re-read keeps using the last good one.
    func token(now: ContinuousClock.Instant = .now) throws(KubeError) -> String {
        if let current = cached.withLock({ $0 }), now - current.readAt < refreshInterval {
            return current.token
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            if let current = cached.withLock({ $0 }) { return current.token }
            throw .configuration("cannot read the bearer token file \(path)")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingWhitespace()
        guard !token.isEmpty else {
            if let current = cached.withLock({ $0 }) { return current.token }
            throw .configuration("the bearer token file \(path) is empty")
        }
        cached.withLock { $0 = Cached(token: token, readAt: now) }
        return token
    }
}
