import ArgumentParser
import Foundation
import KubeEmulator
import Logging
import ServiceLifecycle
import Synchronization
import Testing
@testable import GitOpsKit

/// Forwards to a real client and lets a test count lists, end open watch streams, and hold new watches.
final class InstrumentedAPI: KubernetesAPI {
    let inner: any KubernetesAPI
    let lists = Locked(0)
    let watchVersions = Locked<[String?]>([])
    let held = Locked(false)
    let open = Locked<[Int: AsyncThrowingStream<WatchEvent, any Error>.Continuation]>([:])
    let nextID = Locked(0)

    init(_ inner: any KubernetesAPI) { self.inner = inner }

    func dropWatches() {
        let streams = open.withLock { open -> [AsyncThrowingStream<WatchEvent, any Error>.Continuation] in
            defer { open = [:] }
            return Array(open.values)
        }
        streams.forEach { $0.finish() }
    }

    func mapping(for kind: GroupVersionKind) async throws(KubeError) -> ResourceMapping { try await inner.mapping(for: kind) }
    func get(_ kind: GroupVersionKind, _ key: ObjectKey) async throws(KubeError) -> JSONValue { try await inner.get(kind, key) }
    func list(_ kind: GroupVersionKind, namespace: String?, options: ListOptions) async throws(KubeError) -> ObjectList {
        lists.withLock { $0 += 1 }
        return try await inner.list(kind, namespace: namespace, options: options)
    }
    func create(_ object: JSONValue, options: WriteOptions) async throws(KubeError) -> JSONValue { try await inner.create(object, options: options) }
    func update(_ object: JSONValue, options: WriteOptions) async throws(KubeError) -> JSONValue { try await inner.update(object, options: options) }
    func updateStatus(_ object: JSONValue, options: WriteOptions) async throws(KubeError) -> JSONValue { try await inner.updateStatus(object, options: options) }
    func patch(_ kind: GroupVersionKind, _ key: ObjectKey, patch: JSONValue, type: PatchType, subresource: String?,
               options: WriteOptions) async throws(KubeError) -> JSONValue
    {
        try await inner.patch(kind, key, patch: patch, type: type, subresource: subresource, options: options)
    }
    func delete(_ kind: GroupVersionKind, _ key: ObjectKey, options: DeleteOptions) async throws(KubeError) -> JSONValue? {
        try await inner.delete(kind, key, options: options)
    }
    func watch(_ kind: GroupVersionKind, namespace: String?, options: WatchOptions) async throws(KubeError)
        -> AsyncThrowingStream<WatchEvent, any Error>
    {
        while held.withLock({ $0 }) {
            try? await Task.sleep(for: .milliseconds(5))
            if Task.isCancelled { throw KubeError(code: .transport, message: "cancelled") }
        }
        watchVersions.withLock { $0.append(options.resourceVersion) }
        let upstream = try await inner.watch(kind, namespace: namespace, options: options)
        let (stream, continuation) = AsyncThrowingStream<WatchEvent, any Error>.makeStream()
        let id = nextID.withLock { $0 += 1; return $0 }
        open.withLock { $0[id] = continuation }
        let pump = Task {
            do {
                for try await event in upstream { continuation.yield(event) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in pump.cancel() }
        return stream
    }
}

/// Runs `body` against a fresh emulator with the Widget CRD installed, through the real HTTP client.
func withEmulator<T: Sendable>(watchHistoryLimit: Int = 10_000,
                               _ body: @Sendable (KubeClient) async throws -> T) async throws -> T
{
    let config = KubeEmulatorConfiguration(watchHistoryLimit: watchHistoryLimit)
    return try await KubeEmulator.withRunning(config, logger: Logger(label: "emulator")) { endpoint in
        let tls = HTTPClientConfiguration.TLS(certificateAuthority: endpoint.caCertificatePEM.map { .data(Array($0.utf8)) })
        let client = KubeClient(config: KubeConfig(server: endpoint.url, tls: tls, credentials: .token(endpoint.token)),
                                options: KubeClient.Options(qps: 5000, burst: 5000))
        _ = try await client.create(EmulatorFixture.widgetCRD, options: WriteOptions())
        let ready = await eventually {
            (try? await client.list(Fixture.widgetKind, namespace: nil, options: ListOptions())) != nil
        }
        #expect(ready, "the Widget CRD must become served")
        for namespace in ["ns0", "ns1", "ns2"] {
            _ = try await client.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(namespace)]],
                                        options: WriteOptions())
        }
        return try await body(client)
    }
}

enum EmulatorFixture {
    static let widgetCRD: JSONValue = [
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": ["name": "widgets.test.gitopskit.io"],
        "spec": [
            "group": "test.gitopskit.io", "scope": "Namespaced",
            "names": ["plural": "widgets", "singular": "widget", "kind": "Widget", "listKind": "WidgetList"],
            "versions": [[
                "name": "v1", "served": true, "storage": true, "subresources": ["status": [:]],
                "schema": ["openAPIV3Schema": ["type": "object", "x-kubernetes-preserve-unknown-fields": true]],
            ]],
        ],
    ]
}

struct RuntimeEmulatorTests {
    let logger = Logger(label: "test")

    /// Marks a Widget Ready for its generation through the status subresource.
    struct ReadyReconciler: Reconciler {
        let api: any KubernetesAPI
        let probe: ConcurrencyProbe
        let informer: Informer

        func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
            probe.enter(key)
            defer { probe.leave(key) }
            guard let object = informer.get(key) else { return .done }
            var status = object["status"] ?? [:]
            let generation = object[path: "metadata", "generation"]?.intValue ?? 0
            KStatus.markReady(message: "ok", generation: generation, in: &status)
            KStatus.setObservedGeneration(generation, in: &status)
            try await StatusWriter(api: api).write(status, for: object)
            return .done
        }
    }

    @Test func convergesTwoHundredObjectsWithFourWorkers() async throws {
        try await withEmulator { client in
            for index in 0..<200 {
                _ = try await client.create(Fixture.widget("w\(index)", namespace: "ns\(index % 3)"), options: WriteOptions())
            }
            let probe = ConcurrencyProbe()
            let manager = Manager(name: "test", api: client, configuration: ManagerConfiguration(concurrency: 4),
                                  logger: logger)
            let queue = manager.makeQueue()
            let informer = manager.informer(for: Fixture.widgetKind)
            informer.enqueue(into: queue, filter: .generationOrReconcileRequest)
            manager.addController(name: "widget", kind: "Widget",
                                  reconciler: ReadyReconciler(api: client, probe: probe, informer: informer), queue: queue)
            let run = Task { try await manager.run(handlingSignals: false) }
            let converged = await eventually(timeout: .seconds(60)) {
                let items = (try? await client.listAll(Fixture.widgetKind, namespace: nil).items) ?? []
                return items.count == 200 && items.allSatisfy {
                    KStatus.isTrue(KStatus.ready, in: $0["status"])
                        && $0[path: "status", "observedGeneration"] == $0[path: "metadata", "generation"]
                }
            }
            #expect(converged)
            #expect(probe.overlaps == 0, "a key is never reconciled twice at once")
            #expect(probe.maxConcurrency <= 4)
            await manager.shutDown()
            try await run.value
        }
    }

    @Test func watchResumesAcrossServerTimeoutsWithoutLoss() async throws {
        try await withEmulator { client in
            let api = InstrumentedAPI(client)
            let informer = Informer(api: api, kind: Fixture.widgetKind,
                                    configuration: WatcherConfiguration(timeoutSeconds: 1, initialBackoff: .milliseconds(20)),
                                    logger: logger)
            let run = Task { try await informer.run() }
            try await informer.waitForSync()
            for index in 0..<30 {
                _ = try await client.create(Fixture.widget("r\(index)", namespace: "ns0"), options: WriteOptions())
                if index % 10 == 9 { api.dropWatches() }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(await eventually { informer.count == 30 })
            #expect(api.lists.withLock { $0 } == 1, "resumed watches never re-list")
            #expect(api.watchVersions.withLock { $0.count } >= 4)
            run.cancel()
            _ = try? await run.value
        }
    }

    @Test func goneAfterFallingOutOfHistoryRelists() async throws {
        try await withEmulator(watchHistoryLimit: 5) { client in
            let api = InstrumentedAPI(client)
            let informer = Informer(api: api, kind: Fixture.widgetKind,
                                    configuration: WatcherConfiguration(initialBackoff: .milliseconds(20)), logger: logger)
            let restarts = Locked(0)
            informer.addHandler { _ in }
            let run = Task { try await informer.run() }
            try await informer.waitForSync()
            _ = try await client.create(Fixture.widget("first", namespace: "ns0"), options: WriteOptions())
            #expect(await eventually { informer.count == 1 })
            api.held.withLock { $0 = true }
            api.dropWatches()
            for index in 0..<20 {
                _ = try await client.create(Fixture.widget("g\(index)", namespace: "ns1"), options: WriteOptions())
            }
            _ = try await client.delete(Fixture.widgetKind, ObjectKey(namespace: "ns0", name: "first"), options: DeleteOptions())
            api.held.withLock { $0 = false }
            #expect(await eventually { informer.count == 20 && informer.get(ObjectKey(namespace: "ns0", name: "first")) == nil })
            #expect(api.lists.withLock { $0 } >= 2, "410 Gone must trigger a re-list")
            _ = restarts
            run.cancel()
            _ = try? await run.value
        }
    }

    @Test func failuresBackOffAndShutdownDrainsInFlightWork() async throws {
        try await withEmulator { client in
            _ = try await client.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "flux-system"]],
                                        options: WriteOptions())
            _ = try await client.create(Fixture.widget("flaky", namespace: "ns0"), options: WriteOptions())
            _ = try await client.create(Fixture.widget("slow", namespace: "ns1"), options: WriteOptions())
            let probe = ConcurrencyProbe()
            let slowStarted = AsyncGate()
            let election = LeaderElectionConfiguration(
                leaseName: "widget-leader-election", leaseNamespace: "flux-system", identity: "me",
                leaseDuration: .seconds(2), renewDeadline: .seconds(1), retryPeriod: .milliseconds(100))
            let manager = Manager(name: "test", api: client,
                                  configuration: ManagerConfiguration(
                                      leaderElection: election,
                                      retryBackoff: ExponentialBackoff(minimum: .milliseconds(20), maximum: .seconds(1))),
                                  logger: logger)
            let queue = manager.makeQueue()
            let informer = manager.informer(for: Fixture.widgetKind)
            informer.enqueue(into: queue, filter: .generationOrReconcileRequest)
            let reconciler = ClosureReconciler { key in
                probe.enter(key)
                defer { probe.leave(key) }
                if key.name == "flaky", probe.calls(key) <= 3 {
                    throw KubeError(code: .serverError, message: "injected")
                }
                if key.name == "slow" {
                    slowStarted.open()
                    try? await Task.sleep(for: .milliseconds(400))
                }
                guard let object = informer.get(key) else { return .done }
                var status: JSONValue = [:]
                KStatus.markReady(message: "done", generation: 1, in: &status)
                try await StatusWriter(api: client).write(status, for: object)
                return .done
            }
            manager.addController(name: "widget", kind: "Widget", reconciler: reconciler, queue: queue)
            let run = Task { try await manager.run(handlingSignals: false) }

            let flaky = ObjectKey(namespace: "ns0", name: "flaky")
            #expect(await eventually { probe.calls(flaky) >= 4 })
            let times = Array(probe.times(flaky).prefix(4))
            let gaps = zip(times.dropFirst(), times).map { $0 - $1 }
            #expect(gaps.count == 3 && gaps[0] >= .milliseconds(20) && gaps[1] >= .milliseconds(40) && gaps[2] >= .milliseconds(80))

            try await slowStarted.wait()
            await manager.shutDown()
            try await run.value
            let slow = try await client.get(Fixture.widgetKind, ObjectKey(namespace: "ns1", name: "slow"))
            #expect(KStatus.isTrue(KStatus.ready, in: slow["status"]), "the in-flight reconcile finished its write")
            let lease = try await client.get(LeaderElector.leaseKind, ObjectKey(namespace: "flux-system", name: "widget-leader-election"))
            #expect(lease[path: "spec", "holderIdentity"] == "", "the lease is released on shutdown")
        }
    }

    @Test func leaderElectionHandsOverOnTheEmulator() async throws {
        try await withEmulator { client in
            _ = try? await client.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "flux-system"]],
                                         options: WriteOptions())
            func config(_ identity: String) -> LeaderElectionConfiguration {
                LeaderElectionConfiguration(leaseName: "test-leader-election", leaseNamespace: "flux-system",
                                            identity: identity, leaseDuration: .seconds(2), renewDeadline: .seconds(1),
                                            retryPeriod: .milliseconds(100))
            }
            let first = LeaderElector(api: client, configuration: config("first"), logger: logger)
            let second = LeaderElector(api: client, configuration: config("second"), logger: logger)
            let firstGroup = ServiceGroup(configuration: ServiceGroupConfiguration(services: [first], logger: logger))
            let firstRun = Task { try await firstGroup.run() }
            try await first.waitForLeadership()
            let secondRun = Task { try await second.run() }
            try await Task.sleep(for: .milliseconds(500))
            #expect(second.isLeader == false)
            await firstGroup.triggerGracefulShutdown()
            try await firstRun.value
            try await second.waitForLeadership()
            let lease = try await client.get(LeaderElector.leaseKind, ObjectKey(namespace: "flux-system", name: "test-leader-election"))
            #expect(lease[path: "spec", "holderIdentity"] == "second")
            #expect(lease[path: "spec", "leaseTransitions"] == 1)
            secondRun.cancel()
            _ = try? await secondRun.value
        }
    }
}

struct RuntimeKubeClientFlagsTests {
    @Test func missingKubeconfigIsAConfigurationError() throws {
        let flags = try ControllerFlags.parse(["--kubeconfig=/nonexistent/kubeconfig"])
        #expect(throws: KubeError.self) { _ = try flags.makeKubeClient(logger: Logger(label: "test")) }
    }
}
