import Foundation
import Hummingbird
import NIOCore
import Synchronization
import Testing

@testable import GitOpsKit

struct KubeClientTests {
    static let settings: JSONValue = [
        "metadata": ["name": "settings", "namespace": "apps", "resourceVersion": "7"], "data": ["a": "1"],
    ]

    @Test func mapsKindsThroughDiscoveryAndCachesThem() async throws {
        try await withFakeKube { client, fake in
            let configMap = try await client.mapping(for: configMapKind)
            #expect(configMap.resource == GroupVersionResource(group: "", version: "v1", resource: "configmaps"))
            #expect(configMap.namespaced)
            #expect(try await client.mapping(for: namespaceKind).namespaced == false)
            let deployment = try await client.mapping(for: deploymentKind)
            #expect(deployment.resource.description == "apps/v1/deployments")
            // Each group version was fetched once; subresources are not kinds.
            #expect(fake.recorded(path: "/api/v1").count == 1)
            #expect(fake.recorded(path: "/apis/apps/v1").count == 1)
            #expect(try await client.mapping(for: GroupVersionKind(apiVersion: "apps/v1", kind: "Deployment")).resource.resource == "deployments")
            #expect(fake.recorded(path: "/apis/apps/v1").count == 1)
        }
    }

    @Test func refreshesDiscoveryOnceForAnUnknownKind() async throws {
        try await withFakeKube { client, fake in
            _ = try await client.mapping(for: configMapKind)
            let missing = await #expect(throws: KubeError.self) { try await client.mapping(for: gitRepositoryKind) }
            #expect(missing?.code == .unknownKind)
            #expect(missing?.message.contains("source.toolkit.fluxcd.io/v1") == true)
            let unknownInServedGroup = await #expect(throws: KubeError.self) {
                try await client.mapping(for: GroupVersionKind(apiVersion: "v1", kind: "Pod"))
            }
            #expect(unknownInServedGroup?.code == .unknownKind)
            #expect(fake.recorded(path: "/api/v1").count == 2, "an unknown kind refreshes its cached group version once")
            #expect(fake.recorded(path: "/apis/source.toolkit.fluxcd.io/v1").count == 1)
            // The CRD gets established: the next lookup refreshes and finds it.
            fake.servesCRD.store(true, ordering: .relaxed)
            let mapping = try await client.mapping(for: gitRepositoryKind)
            #expect(mapping.resource.resource == "gitrepositories")
        }
    }

    @Test func concurrentLookupsShareOneDiscoveryRequest() async throws {
        try await withFakeKube { client, fake in
            try await withThrowingTaskGroup(of: ResourceMapping.self) { group in
                for _ in 0..<20 { group.addTask { try await client.mapping(for: configMapKind) } }
                for try await mapping in group { #expect(mapping.resource.resource == "configmaps") }
            }
            #expect(fake.recorded(path: "/api/v1").count == 1)
        }
    }

    @Test func discoversEveryResource() async throws {
        try await withFakeKube { client, fake in
            fake.servesCRD.store(true, ordering: .relaxed)
            let all = try await client.discoverResources()
            #expect(Set(all.map(\.kind.kind)) == ["ConfigMap", "Namespace", "Deployment", "GitRepository"])
            let before = fake.recorded.count
            _ = try await client.mapping(for: gitRepositoryKind)
            #expect(fake.recorded.count == before, "full discovery fills the mapping cache")
        }
    }

    @Test func getsAndListsWithQueryParameters() async throws {
        let route: FakeKubeServer.Route = { request in
            switch request.path {
            case "/api/v1/namespaces/apps/configmaps/settings":
                return FakeKubeServer.json(Self.settings.merging(["apiVersion": "v1", "kind": "ConfigMap"]))
            case "/api/v1/namespaces/apps/configmaps":
                return FakeKubeServer.json(["kind": "ConfigMapList", "apiVersion": "v1",
                                            "metadata": ["resourceVersion": "42", "continue": "next-page"],
                                            "items": [Self.settings]])
            case "/apis/apps/v1/deployments":
                return FakeKubeServer.json(["kind": "DeploymentList", "metadata": ["resourceVersion": "43"], "items": []])
            default:
                return nil
            }
        }
        try await withFakeKube(route: route) { client, fake in
            let object = try await client.get(configMapKind, ObjectKey(namespace: "apps", name: "settings"))
            #expect(object[path: "data", "a"] == "1")
            #expect(fake.recorded(path: "/api/v1/namespaces/apps/configmaps/settings").first?.authorization == "Bearer t0ken")

            let page = try await client.list(configMapKind, namespace: "apps", options: ListOptions(
                labelSelector: "app=web,tier!=db", fieldSelector: "metadata.name=settings", limit: 10,
                continueToken: "abc", resourceVersion: "0"))
            #expect(page.resourceVersion == "42")
            #expect(page.continueToken == "next-page")
            #expect(page.items.count == 1)
            // Items of a list carry no apiVersion/kind on the wire; the client fills them in.
            #expect(page.items.first.flatMap { GroupVersionKind(of: $0) } == configMapKind)
            let query = try #require(fake.recorded(path: "/api/v1/namespaces/apps/configmaps").first).queryItems
            #expect(query == ["labelSelector": "app=web,tier!=db", "fieldSelector": "metadata.name=settings", "limit": "10",
                              "continue": "abc", "resourceVersion": "0"])

            let all = try await client.list(deploymentKind, namespace: nil, options: ListOptions())
            #expect(all.items.isEmpty)
            #expect(all.continueToken == nil)
            #expect(fake.recorded(path: "/apis/apps/v1/deployments").first?.query == "")
        }
    }

    @Test func writesWithTheRightVerbsPathsAndOptions() async throws {
        let route: FakeKubeServer.Route = { request in
            guard request.path.hasPrefix("/api/v1/namespaces/apps/configmaps") || request.path.hasPrefix("/api/v1/namespaces/x") else {
                return nil
            }
            if request.method == "DELETE" {
                return request.path.hasSuffix("/gone")
                    ? FakeKubeServer.json(["kind": "Status", "apiVersion": "v1", "status": "Success"])
                    : FakeKubeServer.json(Self.settings.merging(["metadata": ["name": "settings", "namespace": "apps", "deletionTimestamp": "now"]]))
            }
            return FakeKubeServer.json(request.body ?? [:])
        }
        try await withFakeKube(route: route) { client, fake in
            var object = Self.settings
            object["apiVersion"] = "v1"
            object["kind"] = "ConfigMap"

            _ = try await client.create(object, options: WriteOptions(dryRun: true, fieldManager: "gok"))
            _ = try await client.update(object, options: WriteOptions())
            _ = try await client.updateStatus(object, options: WriteOptions(fieldManager: "gok"))
            _ = try await client.patch(configMapKind, ObjectKey(namespace: "apps", name: "settings"), patch: ["data": ["b": "2"]],
                                       type: .merge, subresource: nil, options: WriteOptions())
            let applied = try await client.apply(object, fieldManager: "kustomize-controller", force: true, dryRun: true)
            #expect(applied[path: "data", "a"] == "1")
            _ = try await client.patch(configMapKind, ObjectKey(namespace: "apps", name: "settings"), patch: ["status": ["ok": true]],
                                       type: .apply(fieldManager: "status-writer", force: false), subresource: "status",
                                       options: WriteOptions())
            let deleted = try await client.delete(configMapKind, ObjectKey(namespace: "apps", name: "settings"), options: DeleteOptions(
                propagationPolicy: .foreground, dryRun: true, preconditionUID: "uid-1", gracePeriodSeconds: 0))
            #expect(deleted?[path: "metadata", "deletionTimestamp"] == "now")
            #expect(try await client.delete(configMapKind, ObjectKey(namespace: "apps", name: "gone"), options: DeleteOptions()) == nil)

            let seen = fake.recorded.filter { $0.path.hasPrefix("/api/v1/namespaces") }
            let summary = seen.map { "\($0.method) \($0.path)?\($0.query) \($0.contentType ?? "-")" }
            #expect(summary == [
                "POST /api/v1/namespaces/apps/configmaps?dryRun=All&fieldManager=gok application/json",
                "PUT /api/v1/namespaces/apps/configmaps/settings? application/json",
                "PUT /api/v1/namespaces/apps/configmaps/settings/status?fieldManager=gok application/json",
                "PATCH /api/v1/namespaces/apps/configmaps/settings? application/merge-patch+json",
                "PATCH /api/v1/namespaces/apps/configmaps/settings?dryRun=All&fieldManager=kustomize-controller&force=true application/apply-patch+yaml",
                "PATCH /api/v1/namespaces/apps/configmaps/settings/status?fieldManager=status-writer application/apply-patch+yaml",
                "DELETE /api/v1/namespaces/apps/configmaps/settings?dryRun=All&propagationPolicy=Foreground&gracePeriodSeconds=0 application/json",
                "DELETE /api/v1/namespaces/apps/configmaps/gone? application/json",
            ])
            #expect(seen[0].body == object)
            #expect(seen[3].body == ["data": ["b": "2"]])
            #expect(seen[6].body == ["kind": "DeleteOptions", "apiVersion": "v1", "propagationPolicy": "Foreground",
                                     "dryRun": ["All"], "preconditions": ["uid": "uid-1"], "gracePeriodSeconds": 0])
        }
    }

    @Test func refusesObjectsItCannotAddress() async throws {
        try await withFakeKube { client, _ in
            let noKind = await #expect(throws: KubeError.self) {
                try await client.create(["metadata": ["name": "x"]], options: WriteOptions())
            }
            #expect(noKind?.code == .invalid)
            let noNamespace = await #expect(throws: KubeError.self) {
                try await client.get(configMapKind, ObjectKey(namespace: nil, name: "x"))
            }
            #expect(noNamespace?.code == .invalid)
            #expect(noNamespace?.message.contains("namespace") == true)
            let noName = await #expect(throws: KubeError.self) {
                try await client.update(["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["namespace": "a"]], options: WriteOptions())
            }
            #expect(noName?.code == .invalid)
        }
    }

    @Test(arguments: [
        (404, "NotFound", KubeError.Code.notFound), (409, "AlreadyExists", .alreadyExists), (409, "Conflict", .conflict),
        (422, "Invalid", .invalid), (410, "Gone", .gone), (410, "Expired", .gone), (401, "Unauthorized", .unauthorized),
        (403, "Forbidden", .forbidden), (400, "BadRequest", .badRequest), (429, "TooManyRequests", .tooManyRequests),
        (504, "Timeout", .timeout), (500, "InternalError", .serverError), (415, "UnsupportedMediaType", .unsupportedMediaType),
        (413, "RequestEntityTooLarge", .requestEntityTooLarge), (405, "MethodNotAllowed", .methodNotAllowed),
    ])
    func decodesStatusErrors(code: Int, reason: String, expected: KubeError.Code) async throws {
        let causes: [JSONValue] = code == 422
            ? [["field": "spec.replicas", "reason": "FieldValueInvalid", "message": "must be non-negative"]] : []
        let route: FakeKubeServer.Route = { request in
            request.path.hasPrefix("/api/v1/namespaces/") ? FakeKubeServer.status(code, reason: reason, message: "because \(reason)", causes: causes) : nil
        }
        var options = KubeClient.Options()
        options.maximumRetriesOnTooManyRequests = 0
        try await withFakeKube(options: options, route: route) { client, _ in
            let error = await #expect(throws: KubeError.self) {
                try await client.get(configMapKind, ObjectKey(namespace: "apps", name: "settings"))
            }
            #expect(error?.code == expected)
            #expect(error?.httpStatus == code)
            #expect(error?.reason == reason)
            #expect(error?.message == "GET /api/v1/namespaces/apps/configmaps/settings: because \(reason)")
            if code == 422 {
                #expect(error?.causes == [KubeError.Cause(field: "spec.replicas", reason: "FieldValueInvalid", message: "must be non-negative")])
            }
        }
    }

    @Test func decodesErrorsWithoutAStatusBody() async throws {
        let route: FakeKubeServer.Route = { request in
            switch request.path {
            case "/api/v1/namespaces/a/configmaps/plain": return .text("upstream connect error", status: .badGateway)
            case "/api/v1/namespaces/a/configmaps/html": return .text("<html>ok</html>")
            default: return nil
            }
        }
        try await withFakeKube(route: route) { client, _ in
            let gateway = await #expect(throws: KubeError.self) { try await client.get(configMapKind, ObjectKey(namespace: "a", name: "plain")) }
            #expect(gateway?.code == .serverError)
            #expect(gateway?.message.contains("upstream connect error") == true)
            let html = await #expect(throws: KubeError.self) { try await client.get(configMapKind, ObjectKey(namespace: "a", name: "html")) }
            #expect(html?.code == .badResponse)
        }
    }

    @Test func retriesTooManyRequestsAfterTheServersDelay() async throws {
        let attempts = LockedValue<Int>(0)
        let route: FakeKubeServer.Route = { request in
            guard request.path == "/api/v1/namespaces/apps/configmaps/settings" else { return nil }
            if attempts.withLock({ $0 += 1; return $0 }) == 1 {
                var response = FakeKubeServer.status(429, reason: "TooManyRequests", message: "slow down")
                response.headers[.retryAfter] = "1"
                return response
            }
            return FakeKubeServer.json(Self.settings)
        }
        try await withFakeKube(route: route) { client, _ in
            let started = ContinuousClock.now
            let object = try await client.get(configMapKind, ObjectKey(namespace: "apps", name: "settings"))
            #expect(object[path: "metadata", "name"] == "settings")
            #expect(attempts.value == 2)
            #expect(ContinuousClock.now - started >= .milliseconds(900))
        }
    }

    @Test func rejectsOversizedResponses() async throws {
        let route: FakeKubeServer.Route = { request in
            guard request.path == "/api/v1/namespaces/apps/configmaps" else { return nil }
            let padding = String(repeating: "x", count: 2 << 20)
            return FakeKubeServer.json(["kind": "ConfigMapList", "metadata": ["resourceVersion": "1"],
                                        "items": [["metadata": ["name": .string(padding)]]]])
        }
        var options = KubeClient.Options()
        options.maximumResponseSize = 1 << 20
        try await withFakeKube(options: options, route: route) { client, _ in
            let error = await #expect(throws: KubeError.self) {
                try await client.list(configMapKind, namespace: "apps", options: ListOptions())
            }
            #expect(error?.code == .badResponse)
            #expect(error?.message.contains("tooLarge") == true)
        }
    }

    @Test func sendsTheTokenFromATokenFile() async throws {
        let path = NSTemporaryDirectory() + "gok-sa-token-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "projected-token\n".write(toFile: path, atomically: true, encoding: .utf8)
        try await withFakeKube(config: { KubeConfig(server: "http://127.0.0.1:\($0)", credentials: .tokenFile(path)) }) { client, fake in
            _ = try await client.mapping(for: configMapKind)
            #expect(fake.recorded(path: "/api/v1").first?.authorization == "Bearer projected-token")
        }
        let unreadable = KubeClient(config: KubeConfig(server: "http://127.0.0.1:1", credentials: .tokenFile(path + ".missing")))
        let error = await #expect(throws: KubeError.self) { try await unreadable.serverVersion() }
        #expect(error?.code == .configuration)
    }

    @Test func reportsAnUnreachableServerAsTransport() async throws {
        let port = try closedLoopbackPort()
        let client = KubeClient(config: KubeConfig(server: "http://127.0.0.1:\(port)"))
        let error = await #expect(throws: KubeError.self) { try await client.serverVersion() }
        #expect(error?.code == .transport)
        #expect(error?.message.contains("connectFailed") == true)
    }
}

extension JSONValue {
    /// Shallow merge of object members (test helper).
    func merging(_ other: JSONValue) -> JSONValue {
        guard case .object(var members) = self, case .object(let extra) = other else { return self }
        for (key, value) in extra { members[key] = value }
        return .object(members)
    }
}
