import ArgumentParser
import Foundation
import GitOpsKit
import Hummingbird
import Logging
import Synchronization

/// `gok-bench notification-events`: the `notification-controller` binary next to this one, against a
/// `kube-emulator` process holding 500 Alerts and their Providers, takes a stream of distinct Flux events (so the
/// rate limiter admits them all) for a fixed window. Most events match no Alert; those that do are delivered to a
/// local recording sink. Prints events accepted per second, matches, deliveries, 429/5xx answers and the
/// controller's peak RSS (budget: 5,000 events/s on 2 cores, RSS ≤ 30 MiB).
struct NotificationEventsBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notification-events",
        abstract: "500 Alerts, distinct events posted for a fixed window: accepted events/s (≥ 5,000), deliveries, notification-controller peak RSS (≤ 30 MiB).")

    @Option(help: "Alerts to create: all but one per namespace select one Kustomization by name, the rest select every Kustomization's error events matching a regex.")
    var alerts = 500

    @Option(help: "Namespaces the Alerts and events are spread over (each has 5 Providers).")
    var namespaces = 10

    @Option(help: "Distinct objects the events are about (object k is matched by a named Alert when k < alerts - namespaces).")
    var objects = 10_000

    @Option(help: "Every n-th event is an error (matched by the namespace's wildcard Alert).")
    var errorEvery = 50

    @Option(help: "Seconds of load.")
    var seconds = 10

    @Option(help: "Concurrent requests of the load generator.")
    var concurrency = 32

    @Option(help: "Events per second to post (0: as fast as the controller accepts them). The memory budget is for 5,000/s: the rate limiter remembers every distinct event, so RSS grows with the number posted.")
    var rate = 0

    @Option(help: "Directory of the CRD manifests.")
    var crdDirectory = "config/crd/bases"

    @Option(help: "Write notification-controller's log to this file.")
    var controllerLog: String?

    func run() async throws {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let binary = directory.appendingPathComponent("notification-controller").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw BenchmarkError("\(binary) not found next to gok-bench: swift build first")
        }
        guard alerts > namespaces, namespaces > 0 else { throw BenchmarkError("--alerts must exceed --namespaces") }
        let emulator = try EmulatorProcess()
        defer { emulator.stop() }
        let client = try emulator.client()
        try await client.installCRDs(from: crdDirectory, groups: ["notification.toolkit.fluxcd.io"], fieldManager: "gok-bench")

        let sink = try await DeliverySink.start()
        defer { sink.stop() }
        try await createObjects(client, sinkURL: "http://127.0.0.1:\(sink.port)/hook")

        let eventsPort = try KustomizeControllerFleetBenchmark.freePort()
        let metricsPort = try KustomizeControllerFleetBenchmark.freePort()
        let receiverPort = try KustomizeControllerFleetBenchmark.freePort()
        let controller = try KustomizeControllerFleetBenchmark.start(binary, [
            "--kubeconfig", emulator.kubeconfigPath, "--events-addr", "127.0.0.1:\(eventsPort)",
            "--receiverAddr", "127.0.0.1:\(receiverPort)", "--metrics-addr", "127.0.0.1:\(metricsPort)",
            "--health-addr", "0", "--log-level", controllerLog == nil ? "error" : "info",
        ], log: controllerLog)
        defer { KustomizeControllerFleetBenchmark.stop(controller) }
        let pid = controller.processIdentifier

        let http = HTTPClient(configuration: HTTPClientConfiguration(proxy: .none, requestTimeout: .seconds(10)))
        let url = "http://127.0.0.1:\(eventsPort)/"
        // Warm up until an event is delivered: the server listens and the Alert and Provider caches are synced.
        let warmUpStart = ContinuousClock.now
        var probe = 0
        while sink.count == 0 {
            guard controller.isRunning else { throw BenchmarkError("notification-controller exited (\(controller.terminationStatus))") }
            if ContinuousClock.now - warmUpStart > .seconds(60) { throw BenchmarkError("no delivery within 60 s of start") }
            _ = try? await http.execute(HTTPClientRequest(method: .post, url: url, headers: ["Content-Type": "application/json"],
                                                          body: Self.eventBody(sequence: -1 - probe, object: 0, error: false,
                                                                               namespaces: namespaces)))
            probe += 1
            try await Task.sleep(for: .milliseconds(100))
        }
        try await Task.sleep(for: .milliseconds(500))
        let (idle, idleAnonymous) = (ProcessMemory.currentRSSMiB(pid: pid), ProcessMemory.anonymousRSSMiB(pid: pid))
        let baseline = try await Self.counters(metricsPort: metricsPort)
        let sinkBaseline = sink.count
        let cpuStart = SourceGitFleetBenchmark.cpuSeconds(pid: pid)

        let tally = LoadTally()
        let deadline = ContinuousClock.now + .seconds(seconds)
        let start = ContinuousClock.now
        let (objects, errorEvery, namespaceCount, concurrency) = (objects, errorEvery, namespaces, concurrency)
        let spacing: Duration? = self.rate > 0 ? .seconds(1) / self.rate : nil
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    var sequence = worker
                    while ContinuousClock.now < deadline {
                        if let spacing {  // paced: event n is due at start + n × spacing
                            try? await Task.sleep(until: start + spacing * sequence, clock: .continuous)
                        }
                        let object = Int(UInt64(sequence).multipliedFullWidth(by: 0x9E37_79B9_7F4A_7C15).low % UInt64(objects))
                        let body = Self.eventBody(sequence: sequence, object: object, error: sequence % errorEvery == 0,
                                                  namespaces: namespaceCount)
                        let request = HTTPClientRequest(method: .post, url: url, headers: ["Content-Type": "application/json"],
                                                        body: body)
                        do {
                            tally.count(status: try await http.execute(request).status)
                        } catch {
                            tally.count(status: 0)
                        }
                        sequence += concurrency
                    }
                }
            }
        }
        let elapsed = (ContinuousClock.now - start).seconds
        let cpu = SourceGitFleetBenchmark.cpuSeconds(pid: pid) - cpuStart
        // Let deliveries in flight finish.
        var after = try await Self.counters(metricsPort: metricsPort)
        for _ in 0..<150 where after.delivered + after.failed - baseline.delivered - baseline.failed < after.matched - baseline.matched {
            try await Task.sleep(for: .milliseconds(100))
            after = try await Self.counters(metricsPort: metricsPort)
        }
        let peak = ProcessMemory.peakRSSMiB(pid: pid)
        let current = ProcessMemory.currentRSSMiB(pid: pid)
        let (anonymous, file) = (ProcessMemory.anonymousRSSMiB(pid: pid), ProcessMemory.fileRSSMiB(pid: pid))
        let counts = tally.snapshot()
        let accepted = counts[202, default: 0]
        let acceptedRate = Double(accepted) / elapsed
        let others = counts.filter { ![202, 429, 0].contains($0.key) && $0.key < 500 }.values.reduce(0, +)
        let serverErrors = counts.filter { $0.key >= 500 }.values.reduce(0, +)
        print("notification-events: \(alerts) Alerts (\(alerts - namespaces) by name, \(namespaces) wildcard error Alerts with a regex), \(namespaces * 5) Providers, \(objects) objects, \(concurrency) concurrent posts for \(seconds) s\(rate > 0 ? ", paced at \(rate) events/s" : "")")
        if rate > 0 {
            print(String(format: "  accepted: %d events in %.1f s = %.0f events/s (paced at %d/s: %@)", accepted, elapsed, acceptedRate,
                         rate, acceptedRate >= Double(rate) * 0.98 ? "kept up" : "FELL BEHIND"))
        } else {
            print(String(format: "  accepted: %d events in %.1f s = %.0f events/s (budget ≥ 5,000: %@)", accepted, elapsed, acceptedRate,
                         acceptedRate >= 5000 ? "within budget" : "UNDER BUDGET"))
        }
        print("  refused: 429 \(counts[429, default: 0]), 5xx \(serverErrors), other 4xx \(others), connection errors \(counts[0, default: 0])")
        print("  matched (event, Alert) pairs: \(after.matched - baseline.matched); delivered: \(after.delivered - baseline.delivered) (sink received \(sink.count - sinkBaseline)); failed: \(after.failed - baseline.failed)")
        print(String(format: "  notification-controller CPU %.2f s over the window (%.0f µs per accepted event); RSS now %.1f MiB (anonymous %.1f, file %.1f), peak %.1f MiB (budget ≤ 30 MiB: %@)",
                     cpu, cpu * 1_000_000 / Double(max(accepted, 1)), current, anonymous, file, peak,
                     peak <= 30 ? "within budget" : "OVER BUDGET"))
        print(String(format: "  before the window (caches synced, one delivery made): RSS %.1f MiB, anonymous %.1f MiB", idle, idleAnonymous))
    }

    /// Alerts, Providers and namespaces, created concurrently.
    func createObjects(_ client: KubeClient, sinkURL: String) async throws {
        for index in 0..<namespaces {
            _ = try await client.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string("bench-\(index)")]],
                                        options: WriteOptions())
        }
        let (providers, namespaceCount) = (namespaces * 5, namespaces)
        _ = try await measureConcurrently(count: providers, concurrency: 8) { index in
            let namespaces = namespaceCount
            _ = try await client.create([
                "apiVersion": "notification.toolkit.fluxcd.io/v1beta3", "kind": "Provider",
                "metadata": ["name": .string("sink-\(index / namespaces)"), "namespace": .string("bench-\(index % namespaces)")],
                "spec": ["type": "generic", "address": .string(sinkURL)],
            ], options: WriteOptions())
        }
        let named = alerts - namespaceCount
        _ = try await measureConcurrently(count: alerts, concurrency: 8) { index in
            let spec: JSONValue
            let namespace: String
            if index < named {
                namespace = "bench-\(index % namespaceCount)"
                spec = ["providerRef": ["name": .string("sink-\(index % 5)")],
                        "eventSources": [["kind": "Kustomization", "name": .string("app-\(index)")]]]
            } else {
                namespace = "bench-\(index - named)"
                spec = ["providerRef": ["name": "sink-0"], "eventSeverity": "error",
                        "eventSources": [["kind": "Kustomization", "name": "*"]],
                        "inclusionList": ["^Health check failed"], "exclusionList": ["timeout waiting for .* to be deleted$"]]
            }
            _ = try await client.create([
                "apiVersion": "notification.toolkit.fluxcd.io/v1beta3", "kind": "Alert",
                "metadata": ["name": .string("alert-\(index)"), "namespace": .string(namespace)], "spec": spec,
            ], options: WriteOptions())
        }
    }

    /// A distinct event (message and revision carry the sequence number) about object `object`.
    static func eventBody(sequence: Int, object: Int, error: Bool, namespaces: Int) -> [UInt8] {
        let revision = "main@sha1:" + String(UInt64(bitPattern: Int64(sequence)), radix: 16)
        let message = error ? "Health check failed after 30s: app-\(object) revision \(revision)"
            : "Applied revision: \(revision)"
        let json = """
            {"involvedObject":{"kind":"Kustomization","namespace":"bench-\(object % namespaces)","name":"app-\(object)",\
            "apiVersion":"kustomize.toolkit.fluxcd.io/v1"},"severity":"\(error ? "error" : "info")",\
            "timestamp":"2026-01-01T00:00:00Z","message":"\(message)","reason":"\(error ? "HealthCheckFailed" : "ReconciliationSucceeded")",\
            "metadata":{"kustomize.toolkit.fluxcd.io/revision":"\(revision)"},"reportingController":"kustomize-controller",\
            "reportingInstance":"gok-bench"}
            """
        return Array(json.utf8)
    }

    struct Counters {
        var matched = 0
        var delivered = 0
        var failed = 0
    }

    /// notification-controller's match and delivery counters.
    static func counters(metricsPort: Int) async throws -> Counters {
        let response = try await HTTPClient().execute(HTTPClientRequest(url: "http://127.0.0.1:\(metricsPort)/metrics"))
        var counters = Counters()
        for line in String(decoding: response.body, as: UTF8.self).split(separator: "\n") where !line.hasPrefix("#") {
            let value = line.split(separator: " ").last.flatMap { Double($0) }.map { Int($0) } ?? 0
            if line.hasPrefix("notification_controller_alert_matches_total") { counters.matched += value }
            if line.hasPrefix("notification_controller_deliveries_total{result=\"delivered\"}") { counters.delivered += value }
            if line.hasPrefix("notification_controller_deliveries_total{result=\"failed\"}") { counters.failed += value }
        }
        return counters
    }
}

/// Response statuses of the load generator (0: no response).
final class LoadTally: Sendable {
    private let counts = Mutex<[Int: Int]>([:])

    func count(status: Int) { counts.withLock { $0[status, default: 0] += 1 } }
    func snapshot() -> [Int: Int] { counts.withLock { $0 } }
}

/// The provider endpoint: answers 200 to every POST and counts them.
final class DeliverySink: Sendable {
    private let received = Atomic<Int>(0)
    private let task = Mutex<Task<Void, any Error>?>(nil)
    private let portValue = Mutex(0)

    var count: Int { received.load(ordering: .relaxed) }
    var port: Int { portValue.withLock { $0 } }

    static func start() async throws -> DeliverySink {
        let sink = DeliverySink()
        let server = RuntimeHTTPServer(name: "sink", address: ListenAddress(host: "127.0.0.1", port: 0),
                                       logger: Logger(label: "sink", factory: { _ in SwiftLogNoOpLogHandler() })) { router in
            router.post("**") { request, _ -> HTTPResponse.Status in
                _ = try await request.body.collect(upTo: 1 << 20)
                sink.received.add(1, ordering: .relaxed)
                return .ok
            }
        }
        sink.task.withLock { $0 = Task { try await server.run() } }
        let port = try await server.boundPort()
        sink.portValue.withLock { $0 = port }
        return sink
    }

    func stop() { task.withLock { $0?.cancel() } }
}
