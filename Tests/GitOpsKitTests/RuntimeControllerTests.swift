import Logging
import ServiceLifecycle
import Synchronization
import Testing
@testable import GitOpsKit

/// Tracks reconcile concurrency per key and overall.
final class ConcurrencyProbe: Sendable {
    private struct State {
        var active: [ObjectKey: Int] = [:]
        var total = 0
        var maxTotal = 0
        var overlaps = 0
        var calls: [ObjectKey: Int] = [:]
        var times: [ObjectKey: [ContinuousClock.Instant]] = [:]
    }

    private let state = Mutex(State())

    func enter(_ key: ObjectKey) {
        state.withLock { state in
            state.active[key, default: 0] += 1
            if state.active[key, default: 0] > 1 { state.overlaps += 1 }
            state.total += 1
            state.maxTotal = max(state.maxTotal, state.total)
            state.calls[key, default: 0] += 1
            state.times[key, default: []].append(.now)
        }
    }

    func leave(_ key: ObjectKey) {
        state.withLock { state in
            state.active[key, default: 0] -= 1
            state.total -= 1
        }
    }

    var overlaps: Int { state.withLock { $0.overlaps } }
    var maxConcurrency: Int { state.withLock { $0.maxTotal } }
    func calls(_ key: ObjectKey) -> Int { state.withLock { $0.calls[key, default: 0] } }
    func times(_ key: ObjectKey) -> [ContinuousClock.Instant] { state.withLock { $0.times[key, default: []] } }
}

struct RuntimeControllerTests {
    let logger = Logger(label: "test")

    /// A reconciler that marks each Widget Ready with its generation, the way a real one writes status.
    struct ReadyReconciler: Reconciler {
        let api: FakeKube
        let probe: ConcurrencyProbe

        func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
            probe.enter(key)
            defer { probe.leave(key) }
            try await Task.sleep(for: .microseconds(300))
            guard let object = try await api.getIfPresent(Fixture.widgetKind, key) else { return .done }
            var status = object["status"] ?? [:]
            let generation = object[path: "metadata", "generation"]?.intValue ?? 0
            KStatus.markReady(message: "ok", generation: generation, in: &status)
            KStatus.setObservedGeneration(generation, in: &status)
            try await StatusWriter(api: api).write(status, for: object)
            return .done
        }
    }

    @Test func convergesManyObjectsWithBoundedConcurrencyAndNoOverlap() async throws {
        let kube = FakeKube()
        kube.seed((0..<200).map { Fixture.widget("w\($0)", namespace: "ns\($0 % 3)") })
        let probe = ConcurrencyProbe()
        let manager = Manager(name: "test-controller", api: kube,
                              configuration: ManagerConfiguration(concurrency: 4), logger: logger)
        let queue = manager.makeQueue()
        manager.informer(for: Fixture.widgetKind).enqueue(into: queue, filter: .generationOrReconcileRequest)
        manager.addController(name: "widget", kind: "Widget", reconciler: ReadyReconciler(api: kube, probe: probe),
                              queue: queue)
        let run = Task { try await manager.run(handlingSignals: false) }
        let converged = await eventually(timeout: .seconds(30)) {
            kube.objects(Fixture.widgetKind).allSatisfy { KStatus.isTrue(KStatus.ready, in: $0["status"]) }
        }
        #expect(converged)
        // Spec changes while running are picked up again (level-triggered), never concurrently per key.
        for index in 0..<20 {
            var object = try await kube.get(Fixture.widgetKind, ObjectKey(namespace: "ns\(index % 3)", name: "w\(index)"))
            object[path: "spec", "size"] = 2
            _ = try await kube.update(object, options: WriteOptions())
        }
        #expect(await eventually(timeout: .seconds(30)) {
            kube.objects(Fixture.widgetKind).allSatisfy { $0[path: "status", "observedGeneration"]?.intValue == $0[path: "metadata", "generation"]?.intValue }
        })
        #expect(probe.overlaps == 0)
        #expect(probe.maxConcurrency <= 4)
        #expect(probe.maxConcurrency >= 2, "workers should actually run in parallel")
        #expect(queue.depth == 0)
        await manager.shutDown()
        try await run.value
        let exposition = manager.metrics.exposition()
        #expect(exposition.contains(#"controller_runtime_reconcile_total{controller="widget",result="success"}"#))
        #expect(exposition.contains(#"gotk_reconcile_duration_seconds_bucket{kind="Widget",name="w0",namespace="ns0",le="0.01"}"#))
    }

    @Test func failuresBackOffExponentiallyThenRecover() async throws {
        let probe = ConcurrencyProbe()
        let key = ObjectKey(namespace: "default", name: "flaky")
        let reconciler = ClosureReconciler { key in
            probe.enter(key)
            defer { probe.leave(key) }
            if probe.calls(key) <= 4 { throw KubeError(code: .serverError, message: "boom") }
            return .done
        }
        let queue = WorkQueue<ObjectKey>(rateLimiter: ExponentialBackoff(minimum: .milliseconds(20), maximum: .milliseconds(100)))
        let metrics = RuntimeMetrics()
        let controller = Controller(name: "flaky", kind: "Widget", reconciler: reconciler, queue: queue, concurrency: 2,
                                    metrics: metrics, logger: logger)
        let run = Task { try await controller.run() }
        queue.add(key)
        #expect(await eventually { probe.calls(key) == 5 && queue.processingCount == 0 })
        let times = probe.times(key)
        let gaps = zip(times.dropFirst(), times).map { $0 - $1 }
        #expect(gaps.count == 4)
        #expect(gaps[0] >= .milliseconds(20))
        #expect(gaps[1] >= .milliseconds(40))
        #expect(gaps[2] >= .milliseconds(80))
        #expect(gaps[3] >= .milliseconds(100), "capped at the maximum (exact values: RuntimeWorkQueueTests)")
        #expect(queue.failures(of: key) == 0, "success forgets the failures")
        #expect(metrics.exposition().contains(#"controller_runtime_reconcile_total{controller="flaky",result="error"} 4"#))
        controller.shutDown()
        try await run.value
    }

    @Test func requeueAfterComesBackAfterTheJitteredInterval() async throws {
        let probe = ConcurrencyProbe()
        let key = ObjectKey(namespace: nil, name: "periodic")
        let reconciler = ClosureReconciler { key in
            probe.enter(key)
            defer { probe.leave(key) }
            return .requeue(after: .milliseconds(100))
        }
        let queue = WorkQueue<ObjectKey>()
        let controller = Controller(name: "periodic", kind: "Widget", reconciler: reconciler, queue: queue,
                                    concurrency: 1, jitter: Jitter(percentage: 10), logger: logger)
        let run = Task { try await controller.run() }
        queue.add(key)
        #expect(await eventually { probe.calls(key) >= 3 })
        controller.shutDown()
        try await run.value
        let times = probe.times(key)
        for (later, earlier) in zip(times.dropFirst(), times) {
            #expect(later - earlier >= .milliseconds(90))
        }
    }

    @Test func gracefulShutdownFinishesInFlightReconciles() async throws {
        let started = AsyncGate()
        let finished = Locked<[String]>([])
        let queue = WorkQueue<ObjectKey>()
        let reconciler = ClosureReconciler { key in
            started.open()
            // Still working when the shutdown arrives, and for a while after it.
            _ = await eventually { queue.isShuttingDown }
            try? await Task.sleep(for: .milliseconds(200))
            finished.withLock { $0.append(key.name) }
            return .done
        }
        let controller = Controller(name: "slow", kind: "Widget", reconciler: reconciler, queue: queue, concurrency: 1,
                                    logger: logger)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [controller], logger: logger))
        let run = Task { try await group.run() }
        queue.add(ObjectKey(namespace: "default", name: "in-flight"))
        queue.add(ObjectKey(namespace: "default", name: "never-started"))
        try await started.wait()
        let shutdownStart = ContinuousClock.now
        await group.triggerGracefulShutdown()
        try await run.value
        #expect(finished.withLock { $0 } == ["in-flight"], "the in-flight reconcile completes; queued work is not started")
        #expect(ContinuousClock.now - shutdownStart >= .milliseconds(150), "shutdown waited for the in-flight reconcile")
    }

    @Test func reconcilesRunWithAPerReconcileLogger() async throws {
        let output = LogOutput.memory()
        let root = Logger(label: "kustomize-controller") { ControllerLogHandler(label: $0, output: output) }
        let key = ObjectKey(namespace: "apps", name: "web")
        let controller = Controller(
            name: "kustomization", kind: "Kustomization",
            reconciler: ClosureReconciler { _ in
                Logger.current.info("Reconciliation finished")
                return .done
            },
            queue: WorkQueue(), logger: root)
        let run = Task { try await controller.run() }
        controller.queue.add(key)
        controller.queue.add(ObjectKey(namespace: "apps", name: "api"))
        func finished() throws -> [JSONValue] {
            try output.capturedLines.map { try JSONValue(json: $0) }.filter { $0["msg"] == "Reconciliation finished" }
        }
        #expect(try await eventually { try finished().count == 2 })
        controller.shutDown()
        try await run.value
        let lines = try finished()
        let web = try #require(lines.first { $0["name"] == "web" })
        #expect(web["namespace"] == "apps")
        #expect(web["controller"] == "kustomization")
        #expect(web["controllerKind"] == "Kustomization")
        #expect(web["msg"] == "Reconciliation finished")
        #expect(Set(lines.compactMap { $0["reconcileID"]?.stringValue }).count == 2, "one id per reconcile")
    }

    @Test func shutdownTimeoutCancelsAStuckReconcile() async throws {
        let kube = FakeKube()
        kube.seed([Fixture.widget("stuck")])
        let started = AsyncGate()
        let cancelled = Locked(false)
        let manager = Manager(name: "test", api: kube,
                              configuration: ManagerConfiguration(gracefulShutdownTimeout: .milliseconds(200)), logger: logger)
        let queue = manager.makeQueue()
        manager.informer(for: Fixture.widgetKind).enqueue(into: queue)
        manager.addController(name: "widget", kind: "Widget", reconciler: ClosureReconciler { _ in
            started.open()
            do {
                try await Task.sleep(for: .seconds(3600))
            } catch {
                cancelled.withLock { $0 = true }
            }
            return .done
        }, queue: queue)
        let run = Task { try await manager.run(handlingSignals: false) }
        try await started.wait()
        let begin = ContinuousClock.now
        await manager.shutDown()
        _ = await run.result
        #expect(ContinuousClock.now - begin < .seconds(30), "the reconcile sleeps an hour unless cancelled")
        #expect(cancelled.withLock { $0 }, "the stuck reconcile was cancelled after the timeout")
    }

    @Test func controllerWaitsForItsStartGates() async throws {
        let gate = AsyncGate()
        let probe = ConcurrencyProbe()
        let key = ObjectKey(namespace: nil, name: "gated")
        let controller = Controller(
            name: "gated", kind: "Widget",
            reconciler: ClosureReconciler { key in probe.enter(key); probe.leave(key); return .done },
            queue: WorkQueue(), startGates: [{ try await gate.wait() }], logger: logger)
        let run = Task { try await controller.run() }
        controller.queue.add(key)
        try await Task.sleep(for: .milliseconds(50))
        #expect(probe.calls(key) == 0)
        gate.open()
        #expect(await eventually { probe.calls(key) == 1 })
        controller.shutDown()
        try await run.value
    }
}
