import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing
@testable import GitOpsKit

struct RuntimeLeaderElectionTests {
    let logger = Logger(label: "test")
    let leaseKey = ObjectKey(namespace: "flux-system", name: "test-leader-election")

    func configuration(_ identity: String, release: Bool = true, leaseDuration: Duration = .seconds(1)) -> LeaderElectionConfiguration {
        LeaderElectionConfiguration(leaseName: "test-leader-election", leaseNamespace: "flux-system", identity: identity,
                                    leaseDuration: leaseDuration, renewDeadline: .milliseconds(800),
                                    retryPeriod: .milliseconds(50), releaseOnCancel: release)
    }

    func lease(_ kube: FakeKube) async throws -> JSONValue {
        try await kube.get(LeaderElector.leaseKind, leaseKey)
    }

    @Test func oneLeaderAtATimeAndHandOverOnRelease() async throws {
        let kube = FakeKube()
        // A long lease, so taking over quickly can only come from the release.
        let first = LeaderElector(api: kube, configuration: configuration("first", leaseDuration: .seconds(10)), logger: logger)
        let second = LeaderElector(api: kube, configuration: configuration("second", leaseDuration: .seconds(10)), logger: logger)
        let firstGroup = ServiceGroup(configuration: ServiceGroupConfiguration(services: [first], logger: logger))
        let firstRun = Task { try await firstGroup.run() }
        try await first.waitForLeadership()
        let secondRun = Task { try await second.run() }
        defer { secondRun.cancel() }
        try await Task.sleep(for: .milliseconds(300))
        #expect(first.isLeader)
        #expect(second.isLeader == false, "the lease is held and renewed: no second leader")
        var spec = try await lease(kube)["spec"]
        #expect(spec?["holderIdentity"] == "first")
        #expect(spec?["leaseDurationSeconds"] == 10)
        #expect(spec?["leaseTransitions"] == 0)
        #expect(spec?["renewTime"]?.stringValue.flatMap(RFC3339.parse) != nil)

        let handover = ContinuousClock.now
        await firstGroup.triggerGracefulShutdown()
        try await firstRun.value
        #expect(first.isLeader == false)
        try await second.waitForLeadership()
        #expect(ContinuousClock.now - handover < .seconds(5), "a released lease is taken without waiting for expiry")
        spec = try await lease(kube)["spec"]
        #expect(spec?["holderIdentity"] == "second")
        #expect(spec?["leaseTransitions"] == 1)
    }

    @Test func aCrashedLeaderIsReplacedAfterTheLeaseExpires() async throws {
        let kube = FakeKube()
        let first = LeaderElector(api: kube, configuration: configuration("first", release: false), logger: logger)
        let firstRun = Task { try await first.run() }
        try await first.waitForLeadership()
        firstRun.cancel()  // no release: as if the process died
        _ = try? await firstRun.value
        #expect(try await lease(kube)[path: "spec", "holderIdentity"] == "first")

        let second = LeaderElector(api: kube, configuration: configuration("second"), logger: logger)
        let start = ContinuousClock.now
        let secondRun = Task { try await second.run() }
        defer { secondRun.cancel() }
        try await second.waitForLeadership()
        #expect(ContinuousClock.now - start >= .milliseconds(900), "must wait out the lease duration")
        #expect(try await lease(kube)[path: "spec", "holderIdentity"] == "second")
    }

    @Test func concurrentCandidatesNeverBothWin() async throws {
        for round in 0..<10 {
            let kube = FakeKube()
            let candidates = (0..<4).map {
                LeaderElector(api: kube, configuration: configuration("c\($0)-\(round)"), logger: logger)
            }
            let wins = await withTaskGroup(of: Bool.self) { group in
                for candidate in candidates { group.addTask { await candidate.tryAcquireOrRenew() } }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(wins == 1)
        }
    }

    @Test func losingTheLeaseStopsTheElector() async throws {
        let kube = FakeKube()
        let elector = LeaderElector(api: kube, configuration: configuration("only"), logger: logger)
        let run = Task { try await elector.run() }
        try await elector.waitForLeadership()
        kube.state.withLock { $0.failUpdates = true }
        let result = await run.result
        #expect(throws: LeaderElectionError.self) { try result.get() }
        #expect(elector.isLeader == false)
    }

    @Test func managerRunsControllersOnlyWhileLeading() async throws {
        let kube = FakeKube()
        kube.seed([Fixture.widget("a")])
        // Someone else holds a fresh lease.
        _ = try await kube.create([
            "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
            "metadata": ["name": "test-leader-election", "namespace": "flux-system"],
            "spec": ["holderIdentity": "other", "leaseDurationSeconds": 2,
                     "renewTime": .string(RFC3339.micro(.now)), "leaseTransitions": 3],
        ], options: WriteOptions())
        let probe = ConcurrencyProbe()
        let manager = Manager(name: "test", api: kube,
                              configuration: ManagerConfiguration(leaderElection: configuration("me")), logger: logger)
        let queue = manager.makeQueue()
        manager.informer(for: Fixture.widgetKind).enqueue(into: queue)
        manager.addController(name: "widget", kind: "Widget",
                              reconciler: ClosureReconciler { probe.enter($0); probe.leave($0); return .done }, queue: queue)
        let leaderOnlyStarted = AsyncGate()
        manager.addService(LeaderOnlyProbe(started: leaderOnlyStarted), leaderOnly: true)
        let run = Task { try await manager.run(handlingSignals: false) }
        #expect(await eventually { manager.readiness() == nil }, "caches sync on followers too")
        try await Task.sleep(for: .milliseconds(300))
        let key = ObjectKey(namespace: "default", name: "a")
        #expect(probe.calls(key) == 0, "a follower must not reconcile")
        #expect(leaderOnlyStarted.isOpen == false, "leader-only services (artifact server) wait for leadership")
        #expect(manager.leaderElector?.isLeader == false)
        #expect(await eventually { probe.calls(key) == 1 })
        #expect(leaderOnlyStarted.isOpen)
        #expect(try await lease(kube)[path: "spec", "leaseTransitions"] == 4)
        await manager.shutDown()
        try await run.value
        #expect(try await lease(kube)[path: "spec", "holderIdentity"] == "", "released on shutdown")
    }
}

/// A service that records that it started and runs until shutdown.
struct LeaderOnlyProbe: Service {
    let started: AsyncGate

    func run() async throws {
        started.open()
        try? await gracefulShutdown()
    }
}
