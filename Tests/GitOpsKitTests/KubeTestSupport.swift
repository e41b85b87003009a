import Foundation
import Hummingbird
import NIOCore
import NIOSSL
import Synchronization

@testable import GitOpsKit

/// One request as the fake API server saw it.
struct RecordedRequest: Sendable {
    var method: String
    var path: String
    var query: String
    var contentType: String?
    var authorization: String?
    var body: JSONValue?

    /// Query parameters in order, percent-decoded.
    var queryItems: [String: String] {
        var items: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
            items[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return items
    }
}

/// A canned Kubernetes API: discovery for ConfigMap, Namespace, Deployment (and GitRepository once `servesCRD` is
/// set), plus whatever the test's `route` answers. Records every request.
final class FakeKubeServer: Sendable {
    typealias Route = @Sendable (RecordedRequest) async throws -> Response?

    let requests = Mutex<[RecordedRequest]>([])
    let servesCRD = Atomic<Bool>(false)
    let route: Route

    init(route: @escaping Route) { self.route = route }

    var recorded: [RecordedRequest] { requests.withLock { $0 } }
    func recorded(path: String) -> [RecordedRequest] { recorded.filter { $0.path == path } }

    var handler: TestHandler {
        { [self] request, _ in
            var request = request
            let body = try await request.collectBody(upTo: 16 << 20)
            let recorded = RecordedRequest(
                method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "",
                contentType: request.headers[.contentType], authorization: request.headers[.authorization],
                body: body.readableBytes > 0 ? try? JSONValue(json: Array(buffer: body)) : nil)
            requests.withLock { $0.append(recorded) }
            if let answer = try await route(recorded) { return answer }
            return discovery(recorded.path) ?? Self.status(404, reason: "NotFound", message: "the server could not find the requested resource")
        }
    }

    private func discovery(_ path: String) -> Response? {
        func resource(_ name: String, _ kind: String, namespaced: Bool) -> JSONValue {
            ["name": .string(name), "kind": .string(kind), "namespaced": .bool(namespaced), "verbs": ["get", "list", "watch"]]
        }
        switch path {
        case "/api":
            return Self.json(["kind": "APIVersions", "versions": ["v1"]])
        case "/apis":
            var groups: [JSONValue] = [["name": "apps", "versions": [["groupVersion": "apps/v1", "version": "v1"]]]]
            if servesCRD.load(ordering: .relaxed) {
                groups.append(["name": "source.toolkit.fluxcd.io", "versions": [["groupVersion": "source.toolkit.fluxcd.io/v1", "version": "v1"]]])
            }
            return Self.json(["kind": "APIGroupList", "groups": .array(groups)])
        case "/api/v1":
            return Self.json(["kind": "APIResourceList", "groupVersion": "v1", "resources": [
                resource("configmaps", "ConfigMap", namespaced: true), resource("namespaces", "Namespace", namespaced: false),
                resource("namespaces/status", "Namespace", namespaced: false),
            ]])
        case "/apis/apps/v1":
            return Self.json(["kind": "APIResourceList", "groupVersion": "apps/v1", "resources": [
                resource("deployments", "Deployment", namespaced: true), resource("deployments/scale", "Scale", namespaced: true),
            ]])
        case "/apis/source.toolkit.fluxcd.io/v1" where servesCRD.load(ordering: .relaxed):
            return Self.json(["kind": "APIResourceList", "groupVersion": "source.toolkit.fluxcd.io/v1", "resources": [
                resource("gitrepositories", "GitRepository", namespaced: true),
            ]])
        default:
            return nil
        }
    }

    static func json(_ value: JSONValue, status: Int = 200) -> Response {
        .text(value.jsonString(), status: HTTPResponse.Status(code: status), contentType: "application/json")
    }

    static func status(_ code: Int, reason: String, message: String, causes: [JSONValue] = []) -> Response {
        var status: JSONValue = ["kind": "Status", "apiVersion": "v1", "status": "Failure", "code": .int(Int64(code)),
                                 "reason": .string(reason), "message": .string(message)]
        if !causes.isEmpty { status["details"] = ["causes": .array(causes)] }
        return json(status, status: code)
    }
}

/// Runs `body` against a fake API server (plain HTTP unless `tls` is given).
func withFakeKube<T: Sendable>(
    tls: TLSConfiguration? = nil,
    config: @escaping @Sendable (_ port: Int) throws -> KubeConfig = { KubeConfig(server: "http://127.0.0.1:\($0)", credentials: .token("t0ken")) },
    options: KubeClient.Options = KubeClient.Options(),
    route: @escaping FakeKubeServer.Route = { _ in nil },
    _ body: @Sendable (KubeClient, FakeKubeServer) async throws -> T
) async throws -> T {
    let fake = FakeKubeServer(route: route)
    return try await withTestServer(tls: tls, handler: fake.handler) { port in
        let client = KubeClient(config: try config(port), options: options)
        return try await body(client, fake)
    }
}

let configMapKind = GroupVersionKind(apiVersion: "v1", kind: "ConfigMap")
let namespaceKind = GroupVersionKind(apiVersion: "v1", kind: "Namespace")
let deploymentKind = GroupVersionKind(apiVersion: "apps/v1", kind: "Deployment")
let gitRepositoryKind = GroupVersionKind(apiVersion: "source.toolkit.fluxcd.io/v1", kind: "GitRepository")
