import ArgumentParser
import CoreMetrics
import Foundation
import Logging
import Synchronization
import Testing
@testable import GitOpsKit

/// GET `url` with the project's HTTP client; returns the status and body text.
func httpGet(_ url: String) async throws -> (Int, String) {
    let response = try await HTTPClient().execute(HTTPClientRequest(method: .get, url: url, timeout: .seconds(10)))
    return (response.status, response.bodyText)
}

/// A KubernetesAPI whose lists wait for a gate (to hold informers unsynced).
final class GatedKube: KubernetesAPI {
    let inner = FakeKube()
    let gate = AsyncGate()

    func mapping(for kind: GroupVersionKind) async throws(KubeError) -> ResourceMapping { try await inner.mapping(for: kind) }
    func get(_ kind: GroupVersionKind, _ key: ObjectKey) async throws(KubeError) -> JSONValue { try await inner.get(kind, key) }
    func list(_ kind: GroupVersionKind, namespace: String?, options: ListOptions) async throws(KubeError) -> ObjectList {
        do { try await gate.wait() } catch { throw KubeError(code: .transport, message: "cancelled") }
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
        try await inner.watch(kind, namespace: namespace, options: options)
    }
}

struct RuntimeManagerTests {
    let logger = Logger(label: "test")

    @Test func servesMetricsAndProbes() async throws {
        let kube = GatedKube()
        kube.inner.seed([Fixture.widget("a")])
        let local = ListenAddress(host: "127.0.0.1", port: 0)
        let manager = Manager(name: "test", api: kube,
                              configuration: ManagerConfiguration(metricsAddress: local, healthAddress: local),
                              logger: logger)
        let queue = manager.makeQueue()
        manager.informer(for: Fixture.widgetKind).enqueue(into: queue)
        manager.addController(name: "widget", kind: "Widget",
                              reconciler: ClosureReconciler { _ in .requeue(after: .seconds(600)) }, queue: queue)
        manager.metrics.recordCondition(kind: "Widget", key: ObjectKey(namespace: "default", name: "a"),
                                        type: "Ready", status: "True")
        manager.metrics.recordSuspend(kind: "Widget", key: ObjectKey(namespace: "default", name: "a"), suspended: false)
        let run = Task { try await manager.run(handlingSignals: false) }
        let health = try #require(try await manager.healthPort())
        let metricsPort = try #require(try await manager.metricsPort())
        #expect(health != 0 && metricsPort != 0)

        var (status, body) = try await httpGet("http://127.0.0.1:\(health)/healthz")
        #expect(status == 200)
        (status, body) = try await httpGet("http://127.0.0.1:\(health)/readyz")
        #expect(status == 503)
        #expect(body.contains("caches not synced: Widget"))

        kube.gate.open()
        #expect(await eventually { manager.readiness() == nil })
        (status, _) = try await httpGet("http://127.0.0.1:\(health)/readyz")
        #expect(status == 200)

        #expect(await eventually { queue.parkedCount == 1 })
        (status, body) = try await httpGet("http://127.0.0.1:\(metricsPort)/metrics")
        #expect(status == 200)
        #expect(body.contains("# TYPE gotk_reconcile_duration_seconds histogram"))
        #expect(body.contains(#"gotk_reconcile_duration_seconds_bucket{kind="Widget",name="a",namespace="default",le="1800.0"} 1"#))
        #expect(body.contains(#"gotk_reconcile_condition{kind="Widget",name="a",namespace="default",type="Ready",status="True"} 1"#))
        #expect(body.contains(#"gotk_reconcile_condition{kind="Widget",name="a",namespace="default",type="Ready",status="False"} 0"#))
        #expect(body.contains(#"gotk_suspend_status{kind="Widget",name="a",namespace="default"} 0"#))
        #expect(body.contains(#"workqueue_depth{name="widget"} 0"#))
        #expect(body.contains(#"controller_runtime_reconcile_total{controller="widget",result="requeue_after"} 1"#))
        (status, _) = try await httpGet("http://127.0.0.1:\(metricsPort)/nope")
        #expect(status == 404)

        await manager.shutDown()
        try await run.value
    }

    @Test func objectMetricsFollowStatusAndDeletion() {
        let metrics = RuntimeMetrics()
        var object = Fixture.widget("w")
        object[path: "spec", "suspend"] = true
        var status: JSONValue = [:]
        KStatus.markStalled(reason: "InvalidPath", message: "x", generation: 1, in: &status)
        object["status"] = status
        metrics.recordObject(kind: "Widget", object)
        metrics.recordReconcileDuration(kind: "Widget", key: ObjectKey(namespace: "default", name: "w"), seconds: 0.5)
        var text = metrics.exposition()
        #expect(text.contains(#"gotk_reconcile_duration_seconds_count{kind="Widget",name="w",namespace="default"} 1"#))
        #expect(text.contains(#"gotk_reconcile_condition{kind="Widget",name="w",namespace="default",type="Stalled",status="True"} 1"#))
        #expect(text.contains(#"gotk_reconcile_condition{kind="Widget",name="w",namespace="default",type="Ready",status="False"} 1"#))
        #expect(text.contains(#"gotk_suspend_status{kind="Widget",name="w",namespace="default"} 1"#))
        metrics.recordDeletion(kind: "Widget", key: ObjectKey(namespace: "default", name: "w"))
        text = metrics.exposition()
        #expect(text.contains(#"gotk_reconcile_condition{kind="Widget",name="w",namespace="default",type="Ready",status="Deleted"} 1"#))
        #expect(text.contains(#"gotk_reconcile_condition{kind="Widget",name="w",namespace="default",type="Ready",status="False"} 0"#))
        #expect(!text.contains("gotk_suspend_status{"))
        #expect(!text.contains(#"gotk_reconcile_duration_seconds_count{kind="Widget",name="w""#))
    }

    @Test func swiftMetricsLandInTheSameRegistry() {
        let metrics = RuntimeMetrics()
        let counter = CoreMetrics.Counter(label: "gotk_token_cache_requests_total", dimensions: [("event", "miss")],
                                          factory: metrics.swiftMetricsFactory)
        counter.increment(by: 3)
        #expect(metrics.exposition().contains(#"gotk_token_cache_requests_total{event="miss"} 3"#))
    }

    @Test func reconcileDurationBucketsSpan10msTo1800s() {
        let buckets = RuntimeMetrics.reconcileDurationBuckets
        #expect(buckets.count == 10)
        #expect(buckets.first == 0.01)
        #expect(buckets.last == 1800)
        #expect(zip(buckets.dropFirst(), buckets).allSatisfy { $0 > $1 * 3.8 && $0 < $1 * 3.9 })
    }

    @Test func listenAddressesParseLikeGoFlags() {
        #expect(ListenAddress(":8080") == ListenAddress(host: "0.0.0.0", port: 8080))
        #expect(ListenAddress("127.0.0.1:0") == ListenAddress(host: "127.0.0.1", port: 0))
        #expect(ListenAddress("[::1]:9440") == ListenAddress(host: "::1", port: 9440))
        #expect(ListenAddress("[::1]:9440")?.description == "[::1]:9440")
        for bad in ["8080", ":http", "host:70000", "::1:80", ""] {
            #expect(ListenAddress(bad) == nil, "\(bad)")
        }
    }
}

struct RuntimeFlagsTests {
    @Test func defaultsMatchFlux() throws {
        let flags = try ControllerFlags.parse([])
        #expect(flags.metricsAddress == ":8080")
        #expect(flags.healthAddress == ":9440")
        #expect(flags.eventsAddress == "")
        #expect(flags.concurrency(default: 2) == 2)
        #expect(flags.enableLeaderElection == false)
        #expect(flags.leaderElectionReleaseOnCancel)
        #expect(flags.watchAllNamespaces)
        #expect(flags.retryBackoff == ExponentialBackoff(minimum: .milliseconds(750), maximum: .seconds(900)))
        #expect(flags.jitter.percentage == 5)
        #expect(flags.requeueDependency.duration == .seconds(30))
        #expect(flags.kubeAPIQPS == 50 && flags.kubeAPIBurst == 300)
        #expect(flags.logLevel == .info && flags.logEncoding == .json)
        let config = flags.managerConfiguration(controllerName: "kustomize-controller")
        #expect(config.metricsAddress == ListenAddress(host: "0.0.0.0", port: 8080))
        #expect(config.leaderElection == nil)
        #expect(config.watchNamespace == nil)
        #expect(flags.configsWatcherConfiguration.labelSelector == "reconcile.fluxcd.io/watch=Enabled")
        #expect(config.concurrency == 4)
    }

    @Test func parsesFluxManifestArguments() throws {
        let arguments = ControllerFlags.normalizeGoBooleanFlags([
            "--events-addr=http://notification-controller.flux-system.svc.cluster.local./",
            "--watch-all-namespaces=false", "--log-level=debug", "--log-encoding=console", "--enable-leader-election",
            "--leader-election-release-on-cancel=false", "--no-cross-namespace-refs=true", "--concurrent=8",
            "--min-retry-delay=1s", "--max-retry-delay=1h30m", "--watch-label-selector=sharding.fluxcd.io/key=shard1",
            "--leader-election-lease-duration=20s", "--leader-election-renew-deadline=15s",
        ])
        let flags = try ControllerFlags.parse(arguments)
        #expect(flags.watchAllNamespaces == false)
        #expect(flags.enableLeaderElection)
        #expect(flags.leaderElectionReleaseOnCancel == false)
        #expect(flags.noCrossNamespaceRefs)
        #expect(flags.logLevel == .debug && flags.logEncoding == .console)
        #expect(flags.maxRetryDelay.duration == .seconds(5400))
        let config = flags.managerConfiguration(controllerName: "kustomize-controller")
        #expect(config.concurrency == 8)
        #expect(config.eventsAddress == "http://notification-controller.flux-system.svc.cluster.local./")
        let recorder = Manager(name: "kustomize-controller", api: FakeKube(), configuration: config,
                               logger: Logger(label: "test")).makeEventRecorder()
        #expect(recorder.controller == "kustomize-controller")
        #expect(recorder.eventsAddress == config.eventsAddress)
        #expect(config.watcher.labelSelector == "sharding.fluxcd.io/key=shard1")
        #expect(config.retryBackoff.minimum == .seconds(1))
        let election = try #require(flags.leaderElection(controllerName: "kustomize-controller",
                                                         environment: ["RUNTIME_NAMESPACE": "gitops"]))
        #expect(election.leaseName == "kustomize-controller-leader-election")
        #expect(election.leaseNamespace == "gitops")
        #expect(election.leaseDuration == .seconds(20) && election.renewDeadline == .seconds(15))
        #expect(election.releaseOnCancel == false)
        #expect(flags.watchNamespace(environment: [:]) == "flux-system")
        #expect(ControllerFlags.normalizeGoBooleanFlags(["--no-cross-namespace-refs=false", "--other=false"]) == ["--other=false"])
        let disabled = try ControllerFlags.parse(["--metrics-addr=0", "--health-addr", "0"])
        #expect(disabled.managerConfiguration(controllerName: "x").metricsAddress == nil)
        #expect(disabled.managerConfiguration(controllerName: "x").healthAddress == nil)
    }

    @Test(arguments: [
        ["--concurrent=0"], ["--min-retry-delay=5x"], ["--max-retry-delay=1s", "--min-retry-delay=2s"],
        ["--interval-jitter-percentage=100"], ["--metrics-addr=8080"], ["--log-level=verbose"],
        ["--leader-election-renew-deadline=40s"], ["--events-addr=not a url"],
        ["--watch-label-selector=a in b"], ["--watch-configs-label-selector=x=y,"],
    ])
    func rejectsBadValues(arguments: [String]) {
        #expect(throws: (any Error).self) { try ControllerFlags.parse(arguments) }
    }

    @Test func goDurationsParse() {
        #expect(FlagDuration.parse("750ms") == .milliseconds(750))
        #expect(FlagDuration.parse("1h2m3.5s") == .milliseconds(3_723_500))
        #expect(FlagDuration.parse("0") == .zero)
        #expect(FlagDuration.parse("-1.5s") == .milliseconds(-1500))
        #expect(FlagDuration.parse("10us") == .microseconds(10))
        for bad in ["", "5", "1x", "h", "1.2.3s", "s1"] {
            #expect(FlagDuration.parse(bad) == nil, "\(bad)")
        }
    }
}

struct RuntimeLoggingTests {
    @Test func jsonHandlerWritesOneObjectPerLine() throws {
        let output = LogOutput.memory()
        var logger = Logger(label: "kustomize-controller") { label in
            ControllerLogHandler(label: label, level: .debug, output: output)
        }
        logger[metadataKey: "controller"] = "kustomization"
        logger.info("Reconciliation finished", metadata: ["name": "apps", "revision": ["a", "b"], "msg": "clash"])
        logger.trace("hidden")
        logger.warning("multi\nline")
        let lines = output.capturedLines
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { !$0.contains("\n") })
        let first = try JSONValue(json: lines[0])
        #expect(first["level"] == "info")
        #expect(first["logger"] == "kustomize-controller")
        #expect(first["msg"] == "Reconciliation finished")
        #expect(first["controller"] == "kustomization")
        #expect(first["name"] == "apps")
        #expect(first["revision"] == ["a", "b"])
        #expect(first["metadata"] == ["msg": "clash"], "metadata never overwrites the fixed fields")
        let ts = try #require(first["ts"]?.stringValue)
        #expect(RFC3339.parse(ts) != nil)
        #expect(ts.count == "2024-01-02T03:04:05.678Z".count)
        #expect(try JSONValue(json: lines[1])["level"] == "warn")
    }

    @Test func consoleHandlerIsTabSeparated() {
        let output = LogOutput.memory()
        let logger = Logger(label: "source-controller") { ControllerLogHandler(label: $0, encoding: .console, output: output) }
        logger.error("fetch failed", metadata: ["url": "https://x"])
        let fields = output.capturedLines.first?.split(separator: "\t").map(String.init) ?? []
        #expect(fields.count == 5)
        #expect(fields[1] == "ERROR" && fields[2] == "source-controller" && fields[3] == "fetch failed")
        #expect(fields[4] == #"{"url":"https://x"}"#)
    }

    @Test func levelsMapFromFlags() {
        #expect(RuntimeLogging.level(.trace) == .trace)
        #expect(RuntimeLogging.level(.error) == .error)
    }
}
