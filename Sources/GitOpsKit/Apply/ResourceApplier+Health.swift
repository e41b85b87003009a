extension ResourceApplier {
    /// The result of waiting for objects to become healthy.
    public enum HealthOutcome: Sendable, Hashable {
        /// One object that is not current, and why.
        public struct Unhealthy: Sendable, Hashable {
            public var identity: ResourceIdentity
            public var health: ResourceHealth
        }

        case healthy
        /// `timeout` passed with these objects not current.
        case timedOut([Unhealthy])
        /// An object failed (kstatus `Failed`, e.g. a Deployment past its progress deadline): no point waiting.
        case failed([Unhealthy])

        /// Flux's wording: `timeout waiting for: [Deployment/apps/web status: 'InProgress']`.
        public func message(after elapsed: Duration) -> String {
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let tenths = Int((seconds * 10).rounded())
            let after = "health check failed after \(tenths / 10).\(tenths % 10)s"
            switch self {
            case .healthy: return ""
            case .timedOut(let pending):
                return "\(after): timeout waiting for: [\(Self.list(pending))]"
            case .failed(let failed):
                return "\(after): failed early due to stalled resources: [\(Self.list(failed))]"
            }
        }

        private static func list(_ items: [Unhealthy]) -> String {
            items.map { "\($0.identity.subject) status: '\($0.health.status.rawValue)'" }.joined(separator: ", ")
        }
    }

    /// Polls the objects until all are current, one fails, or `timeout` passes. A missing object is in progress.
    /// The first polls come quickly (100 ms, doubling up to `pollInterval`): most objects are ready within moments
    /// of being applied, and a fixed interval would add it to every reconcile that waits.
    public func waitForHealth(_ identities: [ResourceIdentity], timeout: Duration,
                              pollInterval: Duration = .seconds(1)) async -> HealthOutcome
    {
        let deadline = ContinuousClock.now + timeout
        var interval = min(pollInterval, .milliseconds(100))
        var pending = identities
        while true {
            var notReady: [HealthOutcome.Unhealthy] = []
            var failed: [HealthOutcome.Unhealthy] = []
            for identity in pending {
                let health: ResourceHealth
                do {
                    if let live = try await api.getIfPresent(identity.kind, identity.key) {
                        health = ResourceHealth.evaluate(live)
                    } else {
                        health = ResourceHealth(.inProgress, "not found")
                    }
                } catch {
                    health = ResourceHealth(.inProgress, error.serverMessage)
                }
                switch health.status {
                case .current: continue
                case .inProgress: notReady.append(HealthOutcome.Unhealthy(identity: identity, health: health))
                case .failed: failed.append(HealthOutcome.Unhealthy(identity: identity, health: health))
                }
            }
            if !failed.isEmpty { return .failed(failed) }
            if notReady.isEmpty { return .healthy }
            pending = notReady.map(\.identity)
            if ContinuousClock.now >= deadline || Task.isCancelled { return .timedOut(notReady) }
            try? await Task.sleep(for: min(interval, max(.milliseconds(10), deadline - ContinuousClock.now)))
            interval = min(interval * 2, pollInterval)
        }
    }
}
