import Foundation
import GitOpsKit
@testable import KubeEmulator
import Testing

/// list (selectors, pagination) and watch (resume, 410 Gone, bookmarks, selector transitions).
@Suite struct WatchAndListTests {
    func emulator() async throws -> RunningEmulator { try await TestEmulators.plain.value }

    private func seed(_ client: TestHTTPClient, _ namespace: String) async throws {
        let items: [(String, JSONValue)] = [
            ("a", ["app": "web", "tier": "front"]), ("b", ["app": "web", "tier": "back"]),
            ("c", ["app": "db"]), ("d", ["legacy": "yes"]), ("e", ["app": "cache", "tier": "back"]),
        ]
        for (name, labels) in items {
            let response = try await client.post("/api/v1/namespaces/\(namespace)/configmaps",
                                                 APISemanticsTests.configMap(name, labels: labels))
            guard response.status == 201 else { throw TestFailure("seed \(name): \(response.body)") }
        }
    }

    private func names(_ response: TestResponse) -> [String] {
        (response.body["items"]?.arrayValue ?? []).compactMap { $0[path: "metadata", "name"]?.stringValue }
    }

    @Test(arguments: [
        ("app=web", ["a", "b"]), ("app==web", ["a", "b"]), ("app!=web", ["c", "d", "e"]),
        ("app in (web,db)", ["a", "b", "c"]), ("app notin (web,db)", ["d", "e"]), ("tier", ["a", "b", "e"]),
        ("!tier", ["c", "d"]), ("app=web,tier=back", ["b"]), ("", ["a", "b", "c", "d", "e"]),
    ])
    func labelSelectors(selector: String, expected: [String]) async throws {
        let client = try await emulator().client
        let namespace = try await TestEmulators.namespace(client, "labels")
        try await seed(client, namespace)
        let encoded = selector.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? selector
        let response = try await client.get("/api/v1/namespaces/\(namespace)/configmaps?labelSelector=\(encoded)")
        #expect(response.status == 200)
        #expect(names(response) == expected)
    }

    @Test func listShapeAndFieldSelectors() async throws {
        let client = try await emulator().client
        let namespace = try await TestEmulators.namespace(client, "fields")
        try await seed(client, namespace)
        let list = try await client.get("/api/v1/namespaces/\(namespace)/configmaps")
        #expect(list.body["kind"] == "ConfigMapList")
        #expect(list.body["apiVersion"] == "v1")
        #expect(list.body["items"]?[0]?["kind"] == nil)
        #expect(Int(list.resourceVersion) ?? 0 > 0)

        let byName = try await client.get("/api/v1/namespaces/\(namespace)/configmaps?fieldSelector=metadata.name%3Dc")
        #expect(names(byName) == ["c"])
        let notName = try await client.get("/api/v1/namespaces/\(namespace)/configmaps?fieldSelector=metadata.name!%3Dc")
        #expect(names(notName) == ["a", "b", "d", "e"])
        let allNamespaces = try await client.get("/api/v1/configmaps?fieldSelector=metadata.namespace%3D\(namespace)")
        #expect(names(allNamespaces) == ["a", "b", "c", "d", "e"])
        let unsupported = try await client.get("/api/v1/namespaces/\(namespace)/configmaps?fieldSelector=data.a%3D1")
        #expect(unsupported.status == 400)
        #expect(unsupported.body["message"] == "field label not supported: data.a")
        let badLabel = try await client.get("/api/v1/namespaces/\(namespace)/configmaps?labelSelector=a%20in%20b")
        #expect(badLabel.status == 400)
        #expect(badLabel.body["reason"] == "BadRequest")
    }

    @Test func paginationWithLimitAndContinue() async throws {
        let client = try await emulator().client
        let namespace = try await TestEmulators.namespace(client, "pages")
        try await seed(client, namespace)
        let base = "/api/v1/namespaces/\(namespace)/configmaps"
        let first = try await client.get("\(base)?limit=2")
        #expect(names(first) == ["a", "b"])
        #expect(first.body[path: "metadata", "remainingItemCount"] == 3)
        let token = try #require(first.body[path: "metadata", "continue"]?.stringValue)
        let second = try await client.get("\(base)?limit=2&continue=\(token)")
        #expect(names(second) == ["c", "d"])
        #expect(second.resourceVersion == first.resourceVersion)
        let last = try await client.get("\(base)?limit=2&continue=\(try #require(second.body[path: "metadata", "continue"]?.stringValue))")
        #expect(names(last) == ["e"])
        #expect(last.body[path: "metadata", "continue"] == nil)

        let filtered = try await client.get("\(base)?limit=1&labelSelector=tier")
        #expect(names(filtered) == ["a"])
        #expect(filtered.body[path: "metadata", "remainingItemCount"] == nil)
        #expect(filtered.body[path: "metadata", "continue"] != nil)

        let garbage = try await client.get("\(base)?limit=2&continue=not-a-token")
        #expect(garbage.status == 400)
    }

    @Test func watchSeesChangesAndResumesFromAResourceVersion() async throws {
        let client = try await emulator().client
        let namespace = try await TestEmulators.namespace(client, "watch")
        let base = "/api/v1/namespaces/\(namespace)/configmaps"
        let created = try await client.post(base, APISemanticsTests.configMap("w"))
        let watch = client.watch("\(base)?watch=true&resourceVersion=\(created.resourceVersion)")
        defer { watch.cancel() }
        var updated = created.body
        updated["data"] = ["a": "2"]
        _ = try await client.put("\(base)/w", updated)
        _ = try await client.delete("\(base)/w")
        let modified = await watch.next()
        #expect(modified?["type"] == "MODIFIED")
        #expect(modified?[path: "object", "data", "a"] == "2")
        #expect(modified?[path: "object", "kind"] == "ConfigMap")
        let deleted = await watch.next()
        #expect(deleted?["type"] == "DELETED")
        let modifiedVersion = Int(modified?[path: "object", "metadata", "resourceVersion"]?.stringValue ?? "") ?? 0
        let deletedVersion = Int(deleted?[path: "object", "metadata", "resourceVersion"]?.stringValue ?? "") ?? 0
        #expect(deletedVersion > modifiedVersion)

        let resumed = client.watch("\(base)?watch=true&resourceVersion=\(modifiedVersion)")
        defer { resumed.cancel() }
        let replay = await resumed.next()
        #expect(replay?["type"] == "DELETED")
        #expect(replay?[path: "object", "metadata", "name"] == "w")

        let fromNow = client.watch("\(base)?watch=true")
        defer { fromNow.cancel() }
        _ = try await client.post(base, APISemanticsTests.configMap("later"))
        let added = await fromNow.next()
        #expect(added?["type"] == "ADDED")
        #expect(added?[path: "object", "metadata", "name"] == "later")
    }

    @Test func watchWithoutAVersionStartsWithTheCurrentObjects() async throws {
        let client = try await emulator().client
        let namespace = try await TestEmulators.namespace(client, "initial")
        try await seed(client, namespace)
        let watch = client.watch("/api/v1/namespaces/\(namespace)/configmaps?watch=1&labelSelector=app%3Dweb")
        defer { watch.cancel() }
        let first = await watch.next()
        let second = await watch.next()
        #expect(first?["type"] == "ADDED" && second?["type"] == "ADDED")
        #expect([first, second].compactMap { $0?[path: "object", "metadata", "name"]?.stringValue } == ["a", "b"])
    }

    @Test func selectorWatchesSeeObjectsEnterAndLeave() async throws {
        let client = try await emulator().client
        let namespace = try await TestEmulators.namespace(client, "transitions")
        let base = "/api/v1/namespaces/\(namespace)/configmaps"
        _ = try await client.post(base, APISemanticsTests.configMap("x", labels: ["stage": "dev"]))
        let watch = client.watch("\(base)?watch=true&labelSelector=stage%3Dprod&resourceVersion=1")
        defer { watch.cancel() }
        _ = try await client.patch("\(base)/x", ["metadata": ["labels": ["stage": "prod"]]])
        _ = try await client.patch("\(base)/x", ["data": ["a": "9"]])
        _ = try await client.patch("\(base)/x", ["metadata": ["labels": ["stage": "dev"]]])
        let types = await [watch.next(), watch.next(), watch.next()].map { $0?["type"]?.stringValue ?? "none" }
        #expect(types == ["ADDED", "MODIFIED", "DELETED"])
    }

    @Test func bookmarksCarryProgress() async throws {
        let client = try await emulator().client
        let namespace = try await TestEmulators.namespace(client, "bookmarks")
        let base = "/api/v1/namespaces/\(namespace)/configmaps"
        let created = try await client.post(base, APISemanticsTests.configMap("b"))
        let watch = client.watch("\(base)?watch=true&allowWatchBookmarks=true&resourceVersion=\(created.resourceVersion)")
        defer { watch.cancel() }
        let bookmark = await watch.collect(until: { $0["type"] == "BOOKMARK" })?.last
        #expect(bookmark?[path: "object", "kind"] == "ConfigMap")
        let version = Int(bookmark?[path: "object", "metadata", "resourceVersion"]?.stringValue ?? "") ?? 0
        #expect(version >= Int(created.resourceVersion) ?? Int.max)
    }

    @Test func sendInitialEventsEndsWithAnAnnotatedBookmark() async throws {
        let client = try await emulator().client
        let namespace = try await TestEmulators.namespace(client, "initialevents")
        try await seed(client, namespace)
        let watch = client.watch("/api/v1/namespaces/\(namespace)/configmaps?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan")
        defer { watch.cancel() }
        let events = await watch.collect(until: { $0["type"] == "BOOKMARK" })
        #expect(events?.count == 6)
        #expect(events?.last?[path: "object", "metadata", "annotations", "k8s.io/initial-events-end"] == "true")
    }

    @Test func timeoutSecondsEndsTheWatch() async throws {
        let client = try await emulator().client
        let watch = client.watch("/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1&resourceVersion=\(Int32.max)")
        let start = ContinuousClock.now
        let event = await watch.next()
        #expect(event == nil)
        // The watch never ends by itself; `next()` gives up after 30 s.
        #expect(ContinuousClock.now - start < .seconds(20))
    }

    @Test func tooOldResourceVersionGetsGone() async throws {
        let configuration = KubeEmulatorConfiguration(tls: false, token: "gone", watchHistoryLimit: 5)
        try await KubeEmulator.withRunning(configuration, logger: TestEmulators.logger) { endpoint in
            let client = TestHTTPClient(baseURL: endpoint.url, token: endpoint.token)
            let first = try await client.post("/api/v1/namespaces/default/configmaps", APISemanticsTests.configMap("c0"))
            for i in 1...10 {
                _ = try await client.post("/api/v1/namespaces/default/configmaps", APISemanticsTests.configMap("c\(i)"))
            }
            let watch = client.watch("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=\(first.resourceVersion)")
            defer { watch.cancel() }
            let event = await watch.next()
            #expect(event?["type"] == "ERROR")
            #expect(event?[path: "object", "code"] == 410)
            #expect(event?[path: "object", "reason"] == "Expired")
            #expect(event?[path: "object", "message"]?.stringValue?.hasPrefix("too old resource version: \(first.resourceVersion) (") == true)
            #expect(await watch.next(timeout: .seconds(2)) == nil)
        }
    }

    @Test func tablesForKubectl() async throws {
        let client = try await emulator().client
        let namespace = try await TestEmulators.namespace(client, "tables")
        try await seed(client, namespace)
        let table = try await client.request("GET", "/api/v1/namespaces/\(namespace)/configmaps",
                                             accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json")
        #expect(table.body["kind"] == "Table")
        let columns = (table.body["columnDefinitions"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        #expect(columns == ["Name", "Data", "Age"])
        #expect(table.body["rows"]?[0]?["cells"]?[0] == "a")
        #expect(table.body["rows"]?[0]?["cells"]?[1] == 1)
        #expect(table.body["rows"]?[0]?[path: "object", "kind"] == "PartialObjectMetadata")
    }
}
