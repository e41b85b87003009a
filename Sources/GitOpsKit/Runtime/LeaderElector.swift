import FoundationEssentials
import Logging
import ServiceLifecycle
import Synchronization

/// Leader election with a Lease, client-go style: acquire when the lease is free or expired, renew every retry
/// period, give up after the renew deadline, release on graceful shutdown.
///
/// Expiry is judged by when *we observed* the lease last change (local monotonic clock), never by comparing the
/// holder's `renewTime` with our wall clock, so clock skew between nodes does not matter. Every write is an update
/// conditional on the Lease's resourceVersion: two candidates can never both win.
///
/// Losing the lease makes ``run()`` throw, which ends the process's `ServiceGroup` (controllers must not keep
/// reconciling once another replica may have started).
public final class LeaderElector: Service {
    public static let leaseKind = GroupVersionKind(group: "coordination.k8s.io", version: "v1", kind: "Lease")

    private struct Observation {
        var record: JSONValue?
        var observedAt: ContinuousClock.Instant?
    }

    public let configuration: LeaderElectionConfiguration
    private let api: any KubernetesAPI
    private let logger: Logger
    private let leadership = AsyncGate()
    private let observation = Mutex(Observation())
    private let leading = Mutex(false)

    public init(api: any KubernetesAPI, configuration: LeaderElectionConfiguration, logger: Logger) {
        self.api = api
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "lease"] = "\(configuration.leaseNamespace)/\(configuration.leaseName)"
        self.logger = logger
    }

    /// True while this process holds the lease.
    public var isLeader: Bool { leading.withLock { $0 } }

    /// Returns once this process leads (throws `CancellationError` when cancelled first).
    public func waitForLeadership() async throws {
        try await leadership.wait()
    }

    public func run() async throws {
        let lost: LeaderElectionError? = await cancelWhenGracefulShutdown {
            await self.acquireAndRenew()
        }
        if let lost {
            leading.withLock { $0 = false }
            logger.error("Leader election lost", metadata: ["reason": "\(lost)"])
            throw lost
        }
        if isLeader, configuration.releaseOnCancel {
            await release()
        }
        leading.withLock { $0 = false }
    }

    /// Acquires, then renews until cancelled (nil) or until renewing failed past the deadline (an error).
    private func acquireAndRenew() async -> LeaderElectionError? {
        logger.info("Attempting to acquire leader lease", metadata: ["identity": "\(configuration.identity)"])
        while !Task.isCancelled {
            if await tryAcquireOrRenew() { break }
            try? await Task.sleep(for: Jitter(percentage: 20).apply(to: configuration.retryPeriod))
        }
        if Task.isCancelled { return nil }
        leading.withLock { $0 = true }
        leadership.open()
        logger.info("Successfully acquired lease", metadata: ["identity": "\(configuration.identity)"])

        let clock = ContinuousClock()
        var lastRenewal = clock.now
        while !Task.isCancelled {
            try? await Task.sleep(for: configuration.retryPeriod)
            if Task.isCancelled { return nil }
            if await tryAcquireOrRenew() {
                lastRenewal = clock.now
            } else if clock.now - lastRenewal >= configuration.renewDeadline {
                return LeaderElectionError(description:
                    "could not renew lease \(configuration.leaseNamespace)/\(configuration.leaseName) within \(configuration.renewDeadline)")
            } else if !isStillOurs() {
                return LeaderElectionError(description:
                    "lease \(configuration.leaseNamespace)/\(configuration.leaseName) was taken by another holder")
            }
        }
        return nil
    }

    /// One attempt to take or renew the lease; false when another holder has it or the write lost a race.
    func tryAcquireOrRenew() async -> Bool {
        let key = ObjectKey(namespace: configuration.leaseNamespace, name: configuration.leaseName)
        let now = Date()
        let lease: JSONValue
        do {
            guard let existing = try await api.getIfPresent(Self.leaseKind, key) else {
                return await create(at: now)
            }
            lease = existing
        } catch {
            logger.warning("Error retrieving lease", metadata: ["error": "\(error)"])
            return false
        }

        let spec = lease["spec"] ?? [:]
        let holder = spec["holderIdentity"]?.stringValue ?? ""
        let observedAt = observe(spec)
        if !holder.isEmpty, holder != configuration.identity {
            let seconds = spec["leaseDurationSeconds"]?.intValue ?? Int64(configuration.leaseDuration.components.seconds)
            if ContinuousClock.now - observedAt < .seconds(seconds) {
                return false
            }
            logger.info("Lease expired, taking over", metadata: ["previousHolder": "\(holder)"])
        }

        var updated = lease
        let ours = holder == configuration.identity
        let transitions = spec["leaseTransitions"]?.intValue ?? 0
        updated["spec"] = .object([
            "holderIdentity": .string(configuration.identity),
            "leaseDurationSeconds": .int(Int64(configuration.leaseDuration.components.seconds)),
            "acquireTime": ours ? (spec["acquireTime"] ?? .string(RFC3339.micro(now))) : .string(RFC3339.micro(now)),
            "renewTime": .string(RFC3339.micro(now)),
            "leaseTransitions": .int(ours ? transitions : transitions + 1),
        ])
        do {
            let written = try await api.update(updated, options: WriteOptions())
            _ = observe(written["spec"] ?? [:])
            return true
        } catch {
            if error.code != .conflict {
                logger.warning("Error updating lease", metadata: ["error": "\(error)"])
            }
            return false
        }
    }

    private func create(at now: Date) async -> Bool {
        let lease: JSONValue = [
            "apiVersion": "coordination.k8s.io/v1",
            "kind": "Lease",
            "metadata": ["name": .string(configuration.leaseName), "namespace": .string(configuration.leaseNamespace)],
            "spec": [
                "holderIdentity": .string(configuration.identity),
                "leaseDurationSeconds": .int(Int64(configuration.leaseDuration.components.seconds)),
                "acquireTime": .string(RFC3339.micro(now)),
                "renewTime": .string(RFC3339.micro(now)),
                "leaseTransitions": 0,
            ],
        ]
        do {
            let written = try await api.create(lease, options: WriteOptions())
            _ = observe(written["spec"] ?? [:])
            return true
        } catch {
            if error.code != .alreadyExists {
                logger.warning("Error creating lease", metadata: ["error": "\(error)"])
            }
            return false
        }
    }

    /// Records the lease spec; returns when we first saw it in this exact state.
    private func observe(_ spec: JSONValue) -> ContinuousClock.Instant {
        observation.withLock { observation in
            if observation.record != spec || observation.observedAt == nil {
                observation.record = spec
                observation.observedAt = .now
            }
            return observation.observedAt ?? .now
        }
    }

    private func isStillOurs() -> Bool {
        observation.withLock { $0.record?["holderIdentity"]?.stringValue == configuration.identity }
    }

    /// Clears the holder so a successor can take over without waiting for expiry. A conflict means a renewal we
    /// cancelled on shutdown still landed after our read: read again and retry (a few times at most).
    func release() async {
        let key = ObjectKey(namespace: configuration.leaseNamespace, name: configuration.leaseName)
        for attempt in 1...3 {
            do {
                guard var lease = try await api.getIfPresent(Self.leaseKind, key),
                      lease[path: "spec", "holderIdentity"]?.stringValue == configuration.identity
                else { return }
                let now = RFC3339.micro(Date())
                lease[path: "spec", "holderIdentity"] = ""
                lease[path: "spec", "leaseDurationSeconds"] = 1
                lease[path: "spec", "renewTime"] = .string(now)
                lease[path: "spec", "acquireTime"] = .string(now)
                _ = try await api.update(lease, options: WriteOptions())
                logger.info("Released leader lease")
                return
            } catch {
                if error.code == .conflict, attempt < 3 { continue }
                logger.warning("Could not release leader lease", metadata: ["error": "\(error)"])
                return
            }
        }
    }
}
