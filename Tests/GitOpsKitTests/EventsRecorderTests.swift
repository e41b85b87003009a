import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization
import Testing
@testable import GitOpsKit

/// Runs a recording server for the duration of `body`.
func withRecordingServer<T: Sendable>(statuses: [Int], _ body: @Sendable (_ url: String, _ requests: @Sendable () -> [JSONValue]) async throws -> T) async throws -> T {
    let received = Locked<[[UInt8]]>([])
    let script = Locked(statuses)
    let router = Router()
    router.post("/") { request, _ -> Response in
        let buffer = try await request.body.collect(upTo: 1 << 22)
        received.withLock { $0.append(Array(buffer.readableBytesView)) }
        let status = script.withLock { script -> Int in
            script.count > 1 ? script.removeFirst() : (script.first ?? 202)
        }
        return Response(status: .init(code: status))
    }
    let bound = AsyncGate()
    let port = Locked(0)
    let app = Application(router: router, server: .shutdownSafeHTTP1(),
                          configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                          onServerRunning: { channel in
                              port.withLock { $0 = channel.localAddress?.port ?? 0 }
                              bound.open()
                          }, logger: Logger(label: "recorder"))
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await app.runService(gracefulShutdownSignals: []) }
        try await bound.wait()
        let url = "http://127.0.0.1:\(port.withLock { $0 })/"
        let result = try await body(url) {
            received.withLock { $0 }.compactMap { try? JSONValue(json: $0) }
        }
        group.cancelAll()
        return result
    }
}

struct EventsRecorderTests {
    let logger = Logger(label: "test")
    let fastRetries = EventDeliveryPolicy(timeout: .seconds(2), maxRetries: 2, minimumWait: .milliseconds(10),
                                          maximumWait: .milliseconds(20))

    static let kustomization: JSONValue = [
        "apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
        "metadata": [
            "name": "webapp", "namespace": "apps", "uid": "1234", "resourceVersion": "77",
            "annotations": ["event.toolkit.fluxcd.io/team": "payments", "other.io/x": "no"],
        ],
    ]

    @Test func postsTheFluxEventJSON() async throws {
        try await withRecordingServer(statuses: [202]) { url, requests in
            let kube = FakeKube()
            let recorder = EventRecorder(api: kube, controller: "kustomize-controller", instance: "pod-1",
                                         eventsAddress: url, policy: fastRetries, logger: logger)
            let long = String(repeating: "x", count: 40_000)
            await recorder.record(Self.kustomization, type: .warning, reason: "ReconciliationFailed", message: long,
                                  metadata: ["revision": "main@sha1:abc", "custom.io/key": "v"])
            let sent = requests()
            #expect(sent.count == 1)
            let event = try #require(sent.first)
            #expect(event["involvedObject"] == ["apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
                                                "name": "webapp", "namespace": "apps", "uid": "1234",
                                                "resourceVersion": "77"])
            #expect(event["severity"] == "error")
            #expect(event["reason"] == "ReconciliationFailed")
            #expect(event["message"]?.stringValue?.count == 39_000)
            #expect(event["reportingController"] == "kustomize-controller")
            #expect(event["reportingInstance"] == "pod-1")
            #expect(event["timestamp"]?.stringValue.flatMap(RFC3339.parse) != nil)
            #expect(event["metadata"] == ["kustomize.toolkit.fluxcd.io/revision": "main@sha1:abc",
                                          "custom.io/key": "v", "event.toolkit.fluxcd.io/team": "payments"])
            #expect(Set(event.objectValue?.keys.map { $0 } ?? []) == [
                "involvedObject", "severity", "timestamp", "message", "reason", "metadata",
                "reportingController", "reportingInstance",
            ])
        }
    }

    @Test(arguments: [([500, 503, 202], 3), ([400], 1), ([429], 1), ([404, 202], 1), ([500, 500, 500, 500], 3)])
    func retriesServerErrorsButNotClientErrors(statuses: [Int], expectedRequests: Int) async throws {
        try await withRecordingServer(statuses: statuses) { url, requests in
            let recorder = EventRecorder(api: FakeKube(), controller: "c", instance: "i", eventsAddress: url,
                                         policy: fastRetries, logger: logger)
            await recorder.record(Self.kustomization, type: .normal, reason: "ReconciliationSucceeded", message: "ok")
            #expect(requests().count == expectedRequests)
            #expect(requests().first?["severity"] == "info")
        }
    }

    @Test(arguments: [([503, 202], 2), ([400], 1)])
    func curlPosterDeliversWithTheSameRetryPolicy(statuses: [Int], expectedRequests: Int) async throws {
        try await withRecordingServer(statuses: statuses) { url, requests in
            let recorder = EventRecorder(api: FakeKube(), controller: "c", instance: "i", eventsAddress: url,
                                         poster: CurlEventPoster(), policy: fastRetries, logger: logger)
            await recorder.record(Self.kustomization, type: .normal, reason: "ReconciliationSucceeded", message: "ok")
            #expect(requests().count == expectedRequests)
            #expect(requests().first?["reason"] == "ReconciliationSucceeded")
        }
        await #expect(throws: EventPostError.self) {
            _ = try await CurlEventPoster().post(url: "http://127.0.0.1:1/", body: [], timeout: .seconds(2))
        }
    }

    @Test func retriesConnectionErrorsThenGivesUp() async throws {
        final class CountingPoster: EventPoster {
            let attempts = Mutex(0)
            func post(url: String, body: [UInt8], timeout: Duration) async throws -> Int {
                attempts.withLock { $0 += 1 }
                throw EventPostError(url: url, reason: "connection refused")
            }
        }
        let poster = CountingPoster()
        let recorder = EventRecorder(api: FakeKube(), controller: "c", instance: "i", eventsAddress: "http://127.0.0.1:1/",
                                     poster: poster, policy: fastRetries, logger: logger)
        await recorder.record(Self.kustomization, type: .normal, reason: "R", message: "m")
        #expect(poster.attempts.withLock { $0 } == 3, "1 attempt + 2 retries")
        // The real poster against a closed port or a malformed URL fails with an error, not a status.
        await #expect(throws: EventPostError.self) {
            _ = try await CurlEventPoster().post(url: "http://127.0.0.1:1/", body: [], timeout: .seconds(2))
        }
        await #expect(throws: EventPostError.self) {
            _ = try await CurlEventPoster().post(url: "not a url", body: [], timeout: .seconds(2))
        }
    }

    @Test func traceEventsStayInKubernetes() async throws {
        try await withRecordingServer(statuses: [202]) { url, requests in
            let kube = FakeKube()
            let recorder = EventRecorder(api: kube, controller: "c", instance: "i", eventsAddress: url,
                                         policy: fastRetries, logger: logger)
            await recorder.record(Self.kustomization, type: .trace, reason: "Progressing", message: "step")
            #expect(requests().isEmpty)
            let events = kube.objects(EventRecorder.eventKind)
            #expect(events.count == 1)
            #expect(events.first?["type"] == "Normal")
        }
    }

    @Test func kubernetesEventsAggregateRepeats() async throws {
        let kube = FakeKube()
        let recorder = EventRecorder(api: kube, controller: "kustomize-controller", instance: "pod-1",
                                     eventsAddress: nil, logger: logger)
        await recorder.record(Self.kustomization, type: .warning, reason: "BuildFailed", message: "bad yaml",
                              metadata: ["revision": "r1"])
        var newerVersion = Self.kustomization
        newerVersion[path: "metadata", "resourceVersion"] = "78"
        await recorder.record(newerVersion, type: .warning, reason: "BuildFailed", message: "bad yaml",
                              metadata: ["revision": "r1"])
        await recorder.record(Self.kustomization, type: .normal, reason: "ReconciliationSucceeded", message: "ok")
        let events = kube.objects(EventRecorder.eventKind)
        #expect(events.count == 2)
        let warning = try #require(events.first { $0["reason"] == "BuildFailed" })
        #expect(warning["count"] == 2)
        #expect(warning["type"] == "Warning")
        #expect(warning[path: "metadata", "namespace"] == "apps")
        #expect(warning[path: "source", "component"] == "kustomize-controller")
        #expect(warning["reportingComponent"] == "kustomize-controller")
        #expect(warning["reportingInstance"] == "pod-1")
        #expect(warning[path: "involvedObject", "kind"] == "Kustomization")
        #expect(warning[path: "metadata", "annotations", "kustomize.toolkit.fluxcd.io/revision"] == "r1")
        #expect(warning["firstTimestamp"] != nil && warning["lastTimestamp"] != nil)

        // An expired Event is recreated rather than lost.
        let name = try #require(warning[path: "metadata", "name"]?.stringValue)
        _ = try await kube.delete(EventRecorder.eventKind, ObjectKey(namespace: "apps", name: name), options: DeleteOptions())
        await recorder.record(Self.kustomization, type: .warning, reason: "BuildFailed", message: "bad yaml",
                              metadata: ["revision": "r1"])
        #expect(kube.objects(EventRecorder.eventKind).filter { $0["reason"] == "BuildFailed" }.map { $0["count"] } == [1])
    }

    @Test func objectsWithoutNamespaceAreNotPosted() {
        let clusterScoped: JSONValue = ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "x"]]
        #expect(EventRecorder.fluxEvent(object: clusterScoped, type: .normal, reason: "R", message: "m", metadata: [:],
                                        controller: "c", instance: "i") == nil)
        #expect(EventRecorder.fluxEvent(object: ["kind": "X"], type: .normal, reason: "R", message: "m", metadata: [:],
                                        controller: "c", instance: "i") == nil)
        #expect(EventDeliveryPolicy.shouldRetry(status: 503))
        #expect(EventDeliveryPolicy.shouldRetry(status: 501) == false)
        #expect(EventDeliveryPolicy.shouldRetry(status: 429) == false)
    }
}
