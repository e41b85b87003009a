import Foundation
import Hummingbird
import NIOCore
import Synchronization
import Testing

@testable import GitOpsKit

struct KubeWatchTests {
    static func event(_ type: String, _ name: String, rv: String) -> String {
        let object: JSONValue = ["metadata": ["name": .string(name), "namespace": "apps", "resourceVersion": .string(rv)]]
        return (["type": .string(type), "object": object] as JSONValue).jsonString() + "\n"
    }

    @Test func decodesEventsSplitAcrossChunksAndEndsOnGone() async throws {
        let text = Self.event("ADDED", "a", rv: "11") + Self.event("MODIFIED", "a", rv: "12")
            + (["type": "BOOKMARK", "object": ["kind": "ConfigMap", "metadata": ["resourceVersion": "13"]]] as JSONValue).jsonString() + "\n"
            + Self.event("DELETED", "a", rv: "14")
            + (["type": "ERROR", "object": ["kind": "Status", "code": 410, "reason": "Expired", "message": "too old resource version: 10 (14)"]] as JSONValue).jsonString() + "\n"
        let bytes = Array(text.utf8)
        let pieces = stride(from: 0, to: bytes.count, by: 37).map { Array(bytes[$0..<min($0 + 37, bytes.count)]) }
        let route: FakeKubeServer.Route = { request in
            request.path == "/api/v1/namespaces/apps/configmaps" && request.queryItems["watch"] == "1"
                ? .chunks(pieces, pause: .milliseconds(2)) : nil
        }
        try await withFakeKube(route: route) { client, fake in
            let stream = try await client.watch(configMapKind, namespace: "apps", options: WatchOptions(
                resourceVersion: "10", labelSelector: "app=web", allowWatchBookmarks: true, timeoutSeconds: 240))
            var events: [WatchEvent] = []
            let error = await #expect(throws: KubeError.self) {
                for try await event in stream { events.append(event) }
            }
            #expect(error?.code == .gone)
            #expect(error?.message.contains("too old resource version") == true)
            guard events.count == 4 else {
                Issue.record("events: \(events)")
                return
            }
            guard case .added(let added) = events[0], case .modified(let modified) = events[1],
                  case .bookmark(let bookmark) = events[2], case .deleted(let deleted) = events[3] else {
                Issue.record("wrong event order: \(events)")
                return
            }
            #expect(added[path: "metadata", "resourceVersion"] == "11")
            #expect(GroupVersionKind(of: added) == configMapKind)
            #expect(modified[path: "metadata", "resourceVersion"] == "12")
            #expect(bookmark == "13")
            #expect(deleted[path: "metadata", "resourceVersion"] == "14")
            let query = try #require(fake.recorded(path: "/api/v1/namespaces/apps/configmaps").first).queryItems
            #expect(query == ["watch": "1", "resourceVersion": "10", "labelSelector": "app=web", "allowWatchBookmarks": "true",
                              "timeoutSeconds": "240"])
        }
    }

    @Test func endsCleanlyWhenTheServerClosesTheWatch() async throws {
        let route: FakeKubeServer.Route = { request in
            request.queryItems["watch"] == "1" ? .chunks([Array(Self.event("ADDED", "n", rv: "5").utf8)]) : nil
        }
        try await withFakeKube(route: route) { client, _ in
            var events = 0
            for try await _ in try await client.watch(namespaceKind, namespace: nil, options: WatchOptions()) { events += 1 }
            #expect(events == 1)
        }
    }

    @Test func failsOnRefusedAndMalformedWatches() async throws {
        let route: FakeKubeServer.Route = { request in
            guard request.queryItems["watch"] == "1" else { return nil }
            if request.path == "/apis/apps/v1/deployments" {
                return FakeKubeServer.status(403, reason: "Forbidden", message: "deployments is forbidden")
            }
            return .chunks([Array(Self.event("ADDED", "ok", rv: "1").utf8), Array("{not json\n".utf8)])
        }
        try await withFakeKube(route: route) { client, _ in
            let refused = await #expect(throws: KubeError.self) {
                try await client.watch(deploymentKind, namespace: nil, options: WatchOptions())
            }
            #expect(refused?.code == .forbidden)
            var events = 0
            let malformed = await #expect(throws: KubeError.self) {
                for try await _ in try await client.watch(configMapKind, namespace: "apps", options: WatchOptions()) { events += 1 }
            }
            #expect(events == 1)
            #expect(malformed?.code == .badResponse)
        }
    }

    @Test func watchesAreExemptFromTheRateLimit() async throws {
        let route: FakeKubeServer.Route = { request in
            if request.queryItems["watch"] == "1" { return .chunks([Array(Self.event("ADDED", "n", rv: "5").utf8)]) }
            if request.path == "/api/v1/namespaces" { return FakeKubeServer.json(["metadata": ["resourceVersion": "5"], "items": []]) }
            return nil
        }
        // One token, refilled every 20 s: discovery takes it, a list would wait; a watch must not.
        try await withFakeKube(options: KubeClient.Options(qps: 0.05, burst: 1), route: route) { client, _ in
            _ = try await client.mapping(for: namespaceKind)
            let started = ContinuousClock.now
            var events = 0
            for try await _ in try await client.watch(namespaceKind, namespace: nil, options: WatchOptions()) { events += 1 }
            #expect(events == 1)
            #expect(ContinuousClock.now - started < .seconds(2))
            let listing = Task { try await client.list(namespaceKind, namespace: nil, options: ListOptions()) }
            try await Task.sleep(for: .milliseconds(300))
            listing.cancel()
            let result = await listing.result
            guard case .failure(let error) = result else {
                Issue.record("a list ran although the rate limit had no token left")
                return
            }
            #expect((error as? KubeError)?.code == .transport)
        }
    }
}
