import Foundation
import KubeEmulator
import Logging
import Testing

@testable import GitOpsKit

/// The client against the in-process KubeEmulator (HTTPS, generated CA, bearer token): the API semantics a real
/// server has, seen through `KubeClient`.
struct KubeEmulatorClientTests {
    static let quiet = Logger(label: "kube-emulator-test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Runs `body` with a client configured from the emulator's own (YAML) kubeconfig.
    static func withEmulator<T: Sendable>(
        _ configuration: KubeEmulatorConfiguration = KubeEmulatorConfiguration(),
        options: KubeClient.Options = KubeClient.Options(),
        _ body: @Sendable (KubeClient, KubeEmulatorEndpoint) async throws -> T
    ) async throws -> T {
        try await KubeEmulator.withRunning(configuration, logger: quiet) { endpoint in
            let config = try KubeConfig(kubeconfig: Array(endpoint.kubeconfig(namespace: "apps").utf8))
            let client = KubeClient(config: config, options: options)
            _ = try await client.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "apps"]], options: WriteOptions())
            return try await body(client, endpoint)
        }
    }

    static func configMap(_ name: String, data: JSONValue = ["a": "1"]) -> JSONValue {
        ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "namespace": "apps"], "data": data]
    }

    static let deployment: JSONValue = [
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": ["name": "web", "namespace": "apps"],
        "spec": [
            "replicas": 1,
            "selector": ["matchLabels": ["app": "web"]],
            "template": ["metadata": ["labels": ["app": "web"]], "spec": ["containers": [["name": "web", "image": "nginx:1.27"]]]],
        ],
    ]

    @Test func loadsTheEmulatorKubeconfigAndTalksTLSWithAToken() async throws {
        try await Self.withEmulator { client, endpoint in
            #expect(client.config.server == endpoint.url)
            #expect(client.config.namespace == "apps")
            let version = try await client.serverVersion()
            #expect(version["gitVersion"]?.stringValue?.hasPrefix("v1.") == true)
            #expect(try await client.mapping(for: deploymentKind).resource.resource == "deployments")
        }
    }

    @Test func staleUpdatesConflict() async throws {
        try await Self.withEmulator { client, _ in
            let created = try await client.create(Self.configMap("settings"), options: WriteOptions())
            var first = created
            first["data"] = ["a": "2"]
            let updated = try await client.update(first, options: WriteOptions())
            #expect(updated[path: "metadata", "resourceVersion"] != created[path: "metadata", "resourceVersion"])
            var stale = created
            stale["data"] = ["a": "3"]
            let error = await #expect(throws: KubeError.self) { try await client.update(stale, options: WriteOptions()) }
            #expect(error?.code == .conflict)
            #expect(error?.httpStatus == 409)
            let current = try await client.get(configMapKind, ObjectKey(namespace: "apps", name: "settings"))
            #expect(current[path: "data", "a"] == "2")
            let again = await #expect(throws: KubeError.self) { try await client.create(Self.configMap("settings"), options: WriteOptions()) }
            #expect(again?.code == .alreadyExists)
        }
    }

    @Test func serverSideApplyConflictsBetweenManagersUnlessForced() async throws {
        try await Self.withEmulator { client, _ in
            _ = try await client.apply(Self.configMap("shared", data: ["a": "1"]), fieldManager: "alpha", force: false)
            let error = await #expect(throws: KubeError.self) {
                try await client.apply(Self.configMap("shared", data: ["a": "2"]), fieldManager: "beta", force: false)
            }
            #expect(error?.code == .conflict)
            #expect(error?.message.contains("alpha") == true, "\(error?.message ?? "")")
            let forced = try await client.apply(Self.configMap("shared", data: ["a": "2"]), fieldManager: "beta", force: true)
            #expect(forced[path: "data", "a"] == "2")
            let managers = forced[path: "metadata", "managedFields"]?.arrayValue?.compactMap { $0["manager"]?.stringValue } ?? []
            #expect(managers.contains("beta"))
        }
    }

    @Test func generationMovesOnlyWithTheSpec() async throws {
        try await Self.withEmulator { client, _ in
            let key = ObjectKey(namespace: "apps", name: "web")
            let created = try await client.create(Self.deployment, options: WriteOptions())
            #expect(created[path: "metadata", "generation"] == 1)
            let labelled = try await client.patch(deploymentKind, key, patch: ["metadata": ["labels": ["team": "a"]]], type: .merge,
                                                  subresource: nil, options: WriteOptions())
            #expect(labelled[path: "metadata", "generation"] == 1)
            // The emulator's rollout simulation writes the status concurrently, so patch it rather than replace it.
            let statusWritten = try await client.patch(deploymentKind, key, patch: ["status": ["observedGeneration": 1]],
                                                       type: .merge, subresource: "status", options: WriteOptions())
            #expect(statusWritten[path: "metadata", "generation"] == 1)
            let scaled = try await client.patch(deploymentKind, key, patch: ["spec": ["replicas": 3]], type: .merge,
                                                subresource: nil, options: WriteOptions())
            #expect(scaled[path: "metadata", "generation"] == 2)
        }
    }

    @Test func dryRunLeavesNoTrace() async throws {
        try await Self.withEmulator { client, _ in
            let key = ObjectKey(namespace: "apps", name: "ghost")
            let created = try await client.create(Self.configMap("ghost"), options: WriteOptions(dryRun: true))
            #expect(created[path: "metadata", "name"] == "ghost")
            #expect(try await client.getIfPresent(configMapKind, key) == nil)
            _ = try await client.apply(Self.configMap("ghost"), fieldManager: "gok", dryRun: true)
            #expect(try await client.getIfPresent(configMapKind, key) == nil)
            _ = try await client.create(Self.configMap("kept"), options: WriteOptions())
            try await client.delete(configMapKind, ObjectKey(namespace: "apps", name: "kept"), options: DeleteOptions(dryRun: true))
            #expect(try await client.getIfPresent(configMapKind, ObjectKey(namespace: "apps", name: "kept")) != nil)
            let names = try await client.listAll(configMapKind, namespace: "apps").items.compactMap { $0[path: "metadata", "name"]?.stringValue }
            #expect(!names.contains("ghost"))
        }
    }

    @Test func watchResumesAfterADroppedConnectionWithoutGapsOrRepeats() async throws {
        try await Self.withEmulator { client, _ in
            let list = try await client.list(configMapKind, namespace: "apps", options: ListOptions())
            var seen: [String] = []
            var lastVersion = list.resourceVersion
            // First connection: three creations, then the connection drops (the consumer goes away).
            do {
                let stream = try await client.watch(configMapKind, namespace: "apps", options: WatchOptions(resourceVersion: lastVersion))
                for index in 0..<3 { _ = try await client.create(Self.configMap("cm-\(index)"), options: WriteOptions()) }
                for try await event in stream {
                    guard case .added(let object) = event else { continue }
                    seen.append("ADDED \(object[path: "metadata", "name"]?.stringValue ?? "")")
                    lastVersion = object[path: "metadata", "resourceVersion"]?.stringValue ?? lastVersion
                    if seen.count == 3 { break }
                }
            }
            // While disconnected: more changes.
            _ = try await client.create(Self.configMap("cm-3"), options: WriteOptions())
            _ = try await client.patch(configMapKind, ObjectKey(namespace: "apps", name: "cm-0"), patch: ["data": ["a": "9"]],
                                       type: .merge, subresource: nil, options: WriteOptions())
            try await client.delete(configMapKind, ObjectKey(namespace: "apps", name: "cm-1"), options: DeleteOptions())
            // Second connection from the last seen resourceVersion.
            let resumed = try await client.watch(configMapKind, namespace: "apps", options: WatchOptions(resourceVersion: lastVersion))
            for try await event in resumed {
                switch event {
                case .added(let object): seen.append("ADDED \(object[path: "metadata", "name"]?.stringValue ?? "")")
                case .modified(let object): seen.append("MODIFIED \(object[path: "metadata", "name"]?.stringValue ?? "")")
                case .deleted(let object): seen.append("DELETED \(object[path: "metadata", "name"]?.stringValue ?? "")")
                case .bookmark: continue
                }
                if seen.count == 6 { break }
            }
            #expect(seen == ["ADDED cm-0", "ADDED cm-1", "ADDED cm-2", "ADDED cm-3", "MODIFIED cm-0", "DELETED cm-1"])
        }
    }

    @Test func aWatchFromAnExpiredVersionIsGone() async throws {
        var configuration = KubeEmulatorConfiguration()
        configuration.watchHistoryLimit = 5
        try await Self.withEmulator(configuration) { client, _ in
            let start = try await client.list(configMapKind, namespace: "apps", options: ListOptions()).resourceVersion
            for index in 0..<20 { _ = try await client.create(Self.configMap("old-\(index)"), options: WriteOptions()) }
            let error = await #expect(throws: KubeError.self) {
                for try await _ in try await client.watch(configMapKind, namespace: "apps", options: WatchOptions(resourceVersion: start)) {}
            }
            #expect(error?.code == .gone)
        }
    }

    @Test func aNewCRDIsFoundByRefreshingDiscovery() async throws {
        try await Self.withEmulator { client, _ in
            let kind = GroupVersionKind(apiVersion: "example.gitopskit.dev/v1", kind: "Widget")
            let before = await #expect(throws: KubeError.self) { try await client.mapping(for: kind) }
            #expect(before?.code == .unknownKind)
            let crd: JSONValue = [
                "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                "metadata": ["name": "widgets.example.gitopskit.dev"],
                "spec": [
                    "group": "example.gitopskit.dev", "scope": "Namespaced",
                    "names": ["plural": "widgets", "singular": "widget", "kind": "Widget", "listKind": "WidgetList"],
                    "versions": [["name": "v1", "served": true, "storage": true,
                                  "schema": ["openAPIV3Schema": ["type": "object", "x-kubernetes-preserve-unknown-fields": true]]]],
                ],
            ]
            _ = try await client.create(crd, options: WriteOptions())
            var mapping: ResourceMapping?
            let deadline = ContinuousClock.now + .seconds(5)
            while mapping == nil, ContinuousClock.now < deadline {
                mapping = try? await client.mapping(for: kind)
                if mapping == nil { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(mapping?.resource.resource == "widgets")
            #expect(mapping?.namespaced == true)
            let widget: JSONValue = ["apiVersion": "example.gitopskit.dev/v1", "kind": "Widget",
                                     "metadata": ["name": "w", "namespace": "apps"], "spec": ["size": 3]]
            let created = try await client.create(widget, options: WriteOptions())
            #expect(created[path: "spec", "size"] == 3)
        }
    }

    @Test func failsClearlyOnAWrongCAAndOversizedLists() async throws {
        try await Self.withEmulator { client, endpoint in
            // Wrong CA: the other PKI's CA did not sign the emulator's certificate.
            let pki = try TestPKI.shared()
            var wrong = client.config
            wrong.tls.certificateAuthority = .file(pki.caCertificate)
            let untrusted = await #expect(throws: KubeError.self) { try await KubeClient(config: wrong).serverVersion() }
            #expect(untrusted?.code == .transport)
            #expect(untrusted?.message.contains("tlsVerificationFailed") == true)
            // A bad token is refused by the server.
            var anonymous = client.config
            anonymous.credentials = .token("wrong")
            let refused = await #expect(throws: KubeError.self) { try await KubeClient(config: anonymous).serverVersion() }
            #expect(refused?.code == .unauthorized)
            // A list larger than the client accepts.
            let big = String(repeating: "x", count: 200 << 10)
            for index in 0..<8 { _ = try await client.create(Self.configMap("big-\(index)", data: ["blob": .string(big)]), options: WriteOptions()) }
            var options = KubeClient.Options()
            options.maximumResponseSize = 1 << 20
            let small = KubeClient(config: client.config, options: options)
            let tooLarge = await #expect(throws: KubeError.self) {
                try await small.list(configMapKind, namespace: "apps", options: ListOptions())
            }
            #expect(tooLarge?.code == .badResponse)
            _ = endpoint
        }
    }
}
