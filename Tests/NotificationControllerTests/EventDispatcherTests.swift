import Foundation
import GitOpsKit
import KubeEmulator
import Logging
import NotificationControllerKit
import Testing

/// The dispatcher against a KubeEmulator holding Alerts, Providers and Secrets (read through informers, as the
/// binary does), delivering to recording webhooks.
@Suite struct EventDispatcherTests {
    static let shared = Task { () throws -> KubeClient in
        var logger = Logger(label: "dispatcher-tests")
        logger.logLevel = .critical
        let emulator = KubeEmulator(configuration: KubeEmulatorConfiguration(tls: false), logger: logger)
        let endpoint = try await emulator.start()
        let client = KubeClient(config: try KubeConfig(kubeconfig: try YAML.decode(try endpoint.kubeconfig()).jsonBytes()))
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        try await client.installCRDs(from: root.appendingPathComponent("config/crd/bases").path,
                                     groups: ["kustomize.toolkit.fluxcd.io", "notification.toolkit.fluxcd.io"])
        return client
    }

    static let fast = EventDeliveryPolicy(timeout: .seconds(2), maxRetries: 2, minimumWait: .milliseconds(10),
                                          maximumWait: .milliseconds(20))

    static func namespace(_ api: KubeClient) async throws -> String {
        let name = "events-\(UUID().uuidString.prefix(6).lowercased())"
        _ = try await api.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]],
                                 options: WriteOptions())
        return name
    }

    static func create<T: FluxObject & Encodable>(_ object: T, _ api: KubeClient) async throws {
        _ = try await api.create(try JSONValue(encoding: object), options: WriteOptions())
    }

    static func secret(_ name: String, _ namespace: String, _ data: [String: String], _ api: KubeClient) async throws {
        _ = try await api.create([
            "apiVersion": "v1", "kind": "Secret", "metadata": ["name": .string(name), "namespace": .string(namespace)],
            "data": .object(data.mapValues { .string(Data($0.utf8).base64EncodedString()) }),
        ], options: WriteOptions())
    }

    static func event(_ namespace: String, severity: FluxEvent.Severity, name: String = "webapp") -> FluxEvent {
        var event = AlertMatcherTests.event(namespace: namespace, name: name, severity: severity)
        event.message = severity == .error ? "Health check failed" : "Applied revision main@sha1:abc"
        return event
    }

    @Test func deliversToEveryMatchedProviderBySeverity() async throws {
        let api = try await Self.shared.value
        let ns = try await Self.namespace(api)
        let slack = try await RecordingWebhook()
        let signed = try await RecordingWebhook()
        defer { slack.stop(); signed.stop() }
        try await Self.create(Provider(metadata: ObjectMeta(name: "slack", namespace: ns),
                                       spec: .init(type: .slack, channel: "#ops", username: "flux", address: slack.url)), api)
        try await Self.secret("hmac", ns, ["token": "k3y", "address": signed.url, "headers": "X-Env: prod"], api)
        try await Self.create(Provider(metadata: ObjectMeta(name: "signed", namespace: ns),
                                       spec: .init(type: .genericHMAC, address: "http://unused.invalid/",
                                                   secretRef: .init(name: "hmac"))), api)
        let sources = [CrossNamespaceObjectReference(kind: "Kustomization", name: "*")]
        try await Self.create(Alert(metadata: ObjectMeta(name: "errors", namespace: ns),
                                    spec: .init(providerRef: .init(name: "slack"), eventSources: sources,
                                                eventSeverity: .error)), api)
        try await Self.create(Alert(metadata: ObjectMeta(name: "all", namespace: ns),
                                    spec: .init(providerRef: .init(name: "signed"), eventSources: sources,
                                                eventMetadata: ["cluster": "prod"])), api)
        let harness = try await DispatcherHarness.start(api, namespace: ns)
        defer { harness.stop() }
        let dispatcher = harness.dispatcher

        await dispatcher.handle(Self.event(ns, severity: .info))
        #expect(slack.requests.isEmpty)
        #expect(signed.requests.count == 1)

        await dispatcher.handle(Self.event(ns, severity: .error))
        #expect(slack.requests.count == 1)
        #expect(signed.requests.count == 2)
        let slackJSON = try #require(slack.requests.first?.json)
        #expect(slackJSON[path: "attachments"]?.arrayValue?.first?["color"] == "danger")
        #expect(slackJSON["channel"] == "#ops")

        let request = try #require(signed.requests.last)
        #expect(request.headers["x-env"] == "prod")
        let mac = try #require([UInt8](hex: (request.headers["x-signature"] ?? "").dropFirst("sha256=".count)))
        #expect(HMAC.isValid(mac, algorithm: .sha256, key: Array("k3y".utf8), message: request.body))
        let forwarded = try FluxEvent(json: request.body)
        #expect(forwarded.metadata["cluster"] == "prod")
        #expect(forwarded.severity == .error)
    }

    @Test func aBrokenProviderDoesNotBlockOthers() async throws {
        let api = try await Self.shared.value
        let ns = try await Self.namespace(api)
        let hook = try await RecordingWebhook()
        defer { hook.stop() }
        try await Self.create(Provider(metadata: ObjectMeta(name: "ok", namespace: ns),
                                       spec: .init(type: .generic, address: hook.url)), api)
        try await Self.create(Provider(metadata: ObjectMeta(name: "no-secret", namespace: ns),
                                       spec: .init(type: .generic, address: hook.url, secretRef: .init(name: "missing"))), api)
        try await Self.create(Provider(metadata: ObjectMeta(name: "down", namespace: ns),
                                       spec: .init(type: .generic, address: "http://127.0.0.1:1/")), api)
        try await Self.create(Provider(metadata: ObjectMeta(name: "paused", namespace: ns),
                                       spec: .init(type: .generic, address: hook.url, suspend: true)), api)
        for provider in ["ok", "no-secret", "down", "paused", "absent"] {
            try await Self.create(Alert(metadata: ObjectMeta(name: provider, namespace: ns),
                                        spec: .init(providerRef: .init(name: provider),
                                                    eventSources: [.init(kind: "Kustomization", name: "webapp")])), api)
        }
        let harness = try await DispatcherHarness.start(api, namespace: ns)
        defer { harness.stop() }
        let dispatcher = harness.dispatcher
        await dispatcher.handle(Self.event(ns, severity: .info))
        #expect(hook.requests.count == 1)
        #expect(hook.requests.first?.headers["gotk-component"] == "kustomize-controller")
    }

    @Test func githubStatusOnlyForCommitStatusEvents() async throws {
        let api = try await Self.shared.value
        let ns = try await Self.namespace(api)
        let github = try await RecordingWebhook()
        defer { github.stop() }
        try await Self.secret("gh", ns, ["token": "ghp_x"], api)
        try await Self.create(Provider(metadata: ObjectMeta(name: "github", namespace: ns),
                                       spec: .init(type: .github, address: "http://127.0.0.1:\(github.port)/acme/app",
                                                   secretRef: .init(name: "gh"))), api)
        try await Self.create(Alert(metadata: ObjectMeta(name: "status", namespace: ns),
                                    spec: .init(providerRef: .init(name: "github"),
                                                eventSources: [.init(kind: "Kustomization", name: "*")])), api)
        let harness = try await DispatcherHarness.start(api, namespace: ns)
        defer { harness.stop() }
        let dispatcher = harness.dispatcher
        var event = Self.event(ns, severity: .info)
        event.metadata["revision"] = "main@sha1:0123456789abcdef0123456789abcdef01234567"
        await dispatcher.handle(event)
        #expect(github.requests.isEmpty)
        event.metadata["commit_status"] = "update"
        await dispatcher.handle(event)
        let request = try #require(github.requests.first)
        #expect(github.requests.count == 1)
        #expect(request.path == "/api/v3/repos/acme/app/statuses/0123456789abcdef0123456789abcdef01234567")
        #expect(request.headers["authorization"] == "Bearer ghp_x")
        #expect(request.json?["state"] == "success")
        #expect(request.json?["context"]?.stringValue?.hasPrefix("kustomization/webapp/") == true)
    }

    /// Server and dispatcher together: a repeated failure is announced once, a recovery once, excluded messages never.
    @Test func serverToSlackEndToEnd() async throws {
        let api = try await Self.shared.value
        let ns = try await Self.namespace(api)
        let slack = try await RecordingWebhook()
        defer { slack.stop() }
        try await Self.create(Provider(metadata: ObjectMeta(name: "slack", namespace: ns),
                                       spec: .init(type: .slack, channel: "#ops", address: slack.url)), api)
        try await Self.create(Alert(metadata: ObjectMeta(name: "ops", namespace: ns),
                                    spec: .init(providerRef: .init(name: "slack"),
                                                eventSources: [.init(kind: "Kustomization", name: "*")],
                                                exclusionList: ["^Dependencies"])), api)
        let harness = try await DispatcherHarness.start(api, namespace: ns)
        defer { harness.stop() }
        let server = EventServer(address: ListenAddress(host: "127.0.0.1", port: 0), logger: Logger(label: "test"),
                                 dispatcher: harness.dispatcher)
        let task = Task { try await server.run() }
        defer { task.cancel() }
        let url = "http://127.0.0.1:\(try await server.boundPort())/any/path"
        func post(_ event: FluxEvent) async throws -> Int {
            try await EventServerTests.post(url, event.json.jsonBytes()).status
        }
        let failure = Self.event(ns, severity: .error)
        #expect(try await post(failure) == 202)
        #expect(try await post(failure) == 429)
        var excluded = Self.event(ns, severity: .info)
        excluded.message = "Dependencies do not meet ready condition"
        #expect(try await post(excluded) == 202)
        #expect(try await post(Self.event(ns, severity: .info)) == 202)
        for _ in 0..<200 where slack.requests.count < 2 { try await Task.sleep(for: .milliseconds(5)) }
        try await Task.sleep(for: .milliseconds(50))
        let colors = slack.requests.compactMap { $0.json?[path: "attachments"]?.arrayValue?.first?["color"]?.stringValue }
        #expect(colors.sorted() == ["danger", "good"])
    }

    @Test func matchLabelsReadTheObject() async throws {
        let api = try await Self.shared.value
        let ns = try await Self.namespace(api)
        let hook = try await RecordingWebhook()
        defer { hook.stop() }
        _ = try await api.create([
            "apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
            "metadata": ["name": "webapp", "namespace": .string(ns), "labels": ["team": "web"]],
            "spec": ["interval": "5m", "prune": true, "sourceRef": ["kind": "GitRepository", "name": "repo"]],
        ], options: WriteOptions())
        try await Self.create(Provider(metadata: ObjectMeta(name: "hook", namespace: ns),
                                       spec: .init(type: .generic, address: hook.url)), api)
        try await Self.create(Alert(metadata: ObjectMeta(name: "web", namespace: ns),
                                    spec: .init(providerRef: .init(name: "hook"), eventSources: [
                                        .init(kind: "Kustomization", name: "*", matchLabels: ["team": "web"]),
                                    ])), api)
        let harness = try await DispatcherHarness.start(api, namespace: ns)
        defer { harness.stop() }
        let dispatcher = harness.dispatcher
        await dispatcher.handle(Self.event(ns, severity: .info))
        await dispatcher.handle(Self.event(ns, severity: .info, name: "unlabelled"))
        #expect(hook.requests.count == 1)
        #expect(try hook.requests.first.map { try FluxEvent(json: $0.body) }?.involvedObject.name == "webapp")
    }
}

/// A dispatcher as the binary builds it: its catalog fed by Alert and Provider informers watching one namespace of
/// the emulator, synced before the test sends events.
struct DispatcherHarness {
    let dispatcher: EventDispatcher
    let catalog: NotificationCatalog
    let clients: ProviderHTTPClients
    private let tasks: [Task<Void, Never>]

    static func start(_ api: KubeClient, namespace: String,
                      policy: EventDeliveryPolicy = EventDispatcherTests.fast) async throws -> DispatcherHarness {
        var logger = Logger(label: "dispatcher-test")
        logger.logLevel = .error
        let alerts = Informer(api: api, kind: Alert.kind, namespace: namespace, logger: logger)
        let providers = Informer(api: api, kind: Provider.kind, namespace: namespace, logger: logger)
        let catalog = NotificationCatalog(alerts: alerts, providers: providers, logger: logger)
        let tasks = [alerts, providers].map { informer in Task<Void, Never> { try? await informer.run() } }
        try await catalog.waitForSync()
        let clients = ProviderHTTPClients()
        return DispatcherHarness(dispatcher: EventDispatcher(api: api, catalog: catalog, clients: clients, policy: policy,
                                                             logger: logger),
                                 catalog: catalog, clients: clients, tasks: tasks)
    }

    func stop() {
        for task in tasks { task.cancel() }
    }
}
