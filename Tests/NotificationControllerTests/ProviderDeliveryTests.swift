import Foundation
import GitOpsKit
import KubeEmulator
import Logging
import NotificationControllerKit
import Testing

/// Providers end to end: Alerts and Providers in the KubeEmulator, the dispatcher reading them through informers,
/// real local HTTP(S) servers standing in for GitLab, Telegram, Alertmanager and a proxy.
@Suite struct ProviderDeliveryTests {
    typealias T = EventDispatcherTests
    static let sha = "0123456789abcdef0123456789abcdef01234567"

    static func alert(_ name: String, provider: String, _ ns: String, _ api: KubeClient) async throws {
        try await T.create(Alert(metadata: ObjectMeta(name: name, namespace: ns),
                                 spec: .init(providerRef: .init(name: provider),
                                             eventSources: [.init(kind: "Kustomization", name: "*")])), api)
    }

    /// The core/v1 Events of `namespace` with Flux's dispatch-failure reason.
    static func failureEvents(_ ns: String, _ api: KubeClient) async throws -> [JSONValue] {
        try await api.listAll(EventRecorder.eventKind, namespace: ns).items
            .filter { $0["reason"] == .string(EventDispatcher.failureReason) }
    }

    @Test func gitlabSetsTheCommitStatusWithThePrivateToken() async throws {
        let api = try await T.shared.value
        let ns = try await T.namespace(api)
        let gitlab = try await RecordingWebhook()
        defer { gitlab.stop() }
        try await T.secret("gl", ns, ["token": "glpat-x"], api)
        try await T.create(Provider(metadata: ObjectMeta(name: "gitlab", namespace: ns),
                                    spec: .init(type: .gitlab, address: "http://127.0.0.1:\(gitlab.port)/acme/platform/app.git",
                                                secretRef: .init(name: "gl"))), api)
        try await Self.alert("status", provider: "gitlab", ns, api)
        let harness = try await DispatcherHarness.start(api, namespace: ns)
        defer { harness.stop() }

        var event = T.event(ns, severity: .error)
        event.reason = "HealthCheckFailed"
        event.metadata["revision"] = "main@sha1:\(Self.sha)"
        await harness.dispatcher.handle(event)
        #expect(gitlab.requests.isEmpty, "no commit_status: update, no status")

        event.metadata["commit_status"] = "update"
        await harness.dispatcher.handle(event)
        let request = try #require(gitlab.requests.first)
        #expect(request.uri == "/api/v4/projects/acme%2Fplatform%2Fapp/statuses/\(Self.sha)")
        #expect(request.headers["private-token"] == "glpat-x")
        #expect(request.json?["state"] == "failed")
        // Flux's default status name: kind/name/<first segment of the Provider UID>, lowercase.
        let uid = try #require(try await api.get(Provider.kind, ObjectKey(namespace: ns, name: "gitlab"))[path: "metadata", "uid"]?.stringValue)
        #expect(request.json?["name"] == .string("kustomization/webapp/\(uid.split(separator: "-")[0])".lowercased()))
        #expect(request.json?["description"] == "health check failed")
    }

    @Test func telegramSendsMarkdownToTheChatAndThread() async throws {
        let api = try await T.shared.value
        let ns = try await T.namespace(api)
        let telegram = try await RecordingWebhook()
        defer { telegram.stop() }
        try await T.secret("bot", ns, ["token": "123456:ABC-def"], api)
        // `address` replaces api.telegram.org (a local Bot API server); `channel` is `<chat id>:<topic>`.
        try await T.create(Provider(metadata: ObjectMeta(name: "telegram", namespace: ns),
                                    spec: .init(type: .telegram, channel: "-1001234:42",
                                                address: "http://127.0.0.1:\(telegram.port)", secretRef: .init(name: "bot"))), api)
        try await Self.alert("chat", provider: "telegram", ns, api)
        let harness = try await DispatcherHarness.start(api, namespace: ns)
        defer { harness.stop() }
        var event = T.event(ns, severity: .info)
        event.message = "Applied revision: main@sha1:abc (v1.2.0)"
        event.metadata = ["revision": "main@sha1:abc"]
        await harness.dispatcher.handle(event)

        let request = try #require(telegram.requests.first)
        #expect(request.path == "/bot123456:ABC-def/sendMessage")
        #expect(request.json?["chat_id"] == "-1001234")
        #expect(request.json?["message_thread_id"] == "42")
        #expect(request.json?["parse_mode"] == "MarkdownV2")
        #expect(request.json?["text"]?.stringValue == """
            *💫 kustomization/webapp/\(TelegramEscaping.escape(ns))*
            Applied revision: main@sha1:abc \\(v1\\.2\\.0\\)
            \\- *revision*: main@sha1:abc

            """)
    }

    @Test func alertmanagerPostsOneFiringAlertWithBasicAuth() async throws {
        let api = try await T.shared.value
        let ns = try await T.namespace(api)
        let alertmanager = try await RecordingWebhook()
        defer { alertmanager.stop() }
        try await T.secret("am", ns, ["username": "flux", "password": "s3cret", "address": alertmanager.url], api)
        try await T.create(Provider(metadata: ObjectMeta(name: "am", namespace: ns),
                                    spec: .init(type: .alertmanager, secretRef: .init(name: "am"))), api)
        try await T.create(Alert(metadata: ObjectMeta(name: "am", namespace: ns),
                                 spec: .init(providerRef: .init(name: "am"), eventSources: [.init(kind: "Kustomization", name: "*")],
                                             summary: "Cluster prod")), api)
        let harness = try await DispatcherHarness.start(api, namespace: ns)
        defer { harness.stop() }
        var event = T.event(ns, severity: .error)
        event.reason = "HealthCheckFailed"
        event.metadata = ["revision": "main@sha1:abc"]
        await harness.dispatcher.handle(event)

        let request = try #require(alertmanager.requests.first)
        #expect(request.headers["authorization"] == "Basic " + Data("flux:s3cret".utf8).base64EncodedString())
        let alerts = try #require(request.json?.arrayValue)
        #expect(alerts.count == 1)
        let alert = try #require(alerts.first)
        #expect(alert["status"] == "firing")
        #expect(alert["startsAt"] == .string(event.timestamp))
        #expect(alert["labels"] == [
            "alertname": "FluxKustomizationHealthcheckfailed", "severity": "error", "reason": "HealthCheckFailed",
            "kind": "Kustomization", "name": "webapp", "namespace": .string(ns),
            "reportingcontroller": "kustomize-controller", "revision": "main@sha1:abc",
        ])
        #expect(alert["annotations"] == ["message": "Health check failed", "summary": "Cluster prod"])
    }

    @Test func certSecretRefTrustsTheCAAndPresentsTheClientCertificate() async throws {
        let api = try await T.shared.value
        let ns = try await T.namespace(api)
        let pki = try TestCertificates.shared()
        let mutual = try await RecordingWebhook(tls: try pki.serverTLS(requireClientCertificate: true))
        let plain = try await RecordingWebhook(tls: try pki.serverTLS())
        defer { mutual.stop(); plain.stop() }
        try await T.secret("mtls", ns, ["ca.crt": try pki.text("ca.crt"), "tls.crt": try pki.text("client.crt"),
                                        "tls.key": try pki.text("client.key")], api)
        try await T.secret("legacy-ca", ns, ["caFile": try pki.text("ca.crt")], api)
        try await T.secret("other-ca", ns, ["ca.crt": try pki.text("other-ca.crt")], api)
        let providers: [(String, String, String?)] = [
            ("mtls", mutual.url, "mtls"), ("no-client-cert", mutual.url, "legacy-ca"), ("legacy-ca", plain.url, "legacy-ca"),
            ("wrong-ca", plain.url, "other-ca"), ("system-store", plain.url, nil),
        ]
        for (name, address, certSecret) in providers {
            try await T.create(Provider(metadata: ObjectMeta(name: name, namespace: ns),
                                        spec: .init(type: .generic, address: address,
                                                    certSecretRef: certSecret.map { .init(name: $0) })), api)
            try await Self.alert(name, provider: name, ns, api)
        }
        let harness = try await DispatcherHarness.start(api, namespace: ns)
        defer { harness.stop() }
        await harness.dispatcher.handle(T.event(ns, severity: .info))

        #expect(mutual.requests.count == 1, "only the Provider with the client certificate gets through")
        #expect(plain.requests.count == 1, "only the Provider trusting the CA (legacy caFile) gets through")
        #expect(mutual.requests.first?.headers["gotk-component"] == "kustomize-controller")
        let failed = try await Self.failureEvents(ns, api)
        let failedAlerts = Set(failed.compactMap { $0[path: "involvedObject", "name"]?.stringValue })
        #expect(failedAlerts == ["no-client-cert", "wrong-ca", "system-store"])
        // Providers with the same TLS settings share one client; the default transport uses the default client.
        #expect(harness.clients.count == 3)
    }

    @Test func proxySecretRefAndSpecProxyRouteThroughTheProxy() async throws {
        let api = try await T.shared.value
        let ns = try await T.namespace(api)
        let proxy = try await RecordingWebhook()
        defer { proxy.stop() }
        let proxyAddress = "http://127.0.0.1:\(proxy.port)"
        try await T.secret("proxy", ns, ["address": proxyAddress, "username": "svc", "password": "p@ss:word"], api)
        // The hosts do not resolve: only a proxy can deliver these.
        try await T.create(Provider(metadata: ObjectMeta(name: "via-secret", namespace: ns),
                                    spec: .init(type: .generic, address: "http://hooks.invalid/secret-proxy",
                                                proxySecretRef: .init(name: "proxy"))), api)
        try await T.create(Provider(metadata: ObjectMeta(name: "via-spec", namespace: ns),
                                    spec: .init(type: .generic, address: "http://hooks.invalid/spec-proxy", proxy: proxyAddress)), api)
        try await Self.alert("via-secret", provider: "via-secret", ns, api)
        try await Self.alert("via-spec", provider: "via-spec", ns, api)
        let harness = try await DispatcherHarness.start(api, namespace: ns)
        defer { harness.stop() }
        await harness.dispatcher.handle(T.event(ns, severity: .info))

        // hooks.invalid does not resolve: a request that arrives came through the proxy, for that host.
        let byPath = Dictionary(proxy.requests.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        let viaSecret = try #require(byPath["/secret-proxy"], "\(proxy.requests.map(\.uri))")
        #expect(viaSecret.headers["host"] == "hooks.invalid")
        #expect(viaSecret.headers["proxy-authorization"] == "Basic " + Data("svc:p@ss:word".utf8).base64EncodedString())
        let viaSpec = try #require(byPath["/spec-proxy"])
        #expect(viaSpec.headers["host"] == "hooks.invalid")
        #expect(viaSpec.headers["proxy-authorization"] == nil)
        #expect(try await Self.failureEvents(ns, api).isEmpty)
    }

    @Test func failuresBecomeWarningEventsOnTheAlertWithoutSecrets() async throws {
        let api = try await T.shared.value
        let ns = try await T.namespace(api)
        let hook = try await RecordingWebhook(statuses: [403])
        defer { hook.stop() }
        // The webhook URL's path is its credential (as Slack's): it must not appear in Events.
        try await T.secret("down", ns, ["address": "http://127.0.0.1:1/services/T0/B0/s3cr3tpath"], api)
        try await T.create(Provider(metadata: ObjectMeta(name: "down", namespace: ns),
                                    spec: .init(type: .generic, secretRef: .init(name: "down"))), api)
        try await T.create(Provider(metadata: ObjectMeta(name: "no-secret", namespace: ns),
                                    spec: .init(type: .generic, address: hook.url, secretRef: .init(name: "missing"))), api)
        try await T.create(Provider(metadata: ObjectMeta(name: "refusing", namespace: ns),
                                    spec: .init(type: .generic, address: hook.url)), api)
        try await T.create(Provider(metadata: ObjectMeta(name: "unsupported", namespace: ns),
                                    spec: .init(type: .matrix, address: hook.url)), api)
        for name in ["down", "no-secret", "refusing", "unsupported", "absent"] {
            try await Self.alert(name, provider: name, ns, api)
        }
        let harness = try await DispatcherHarness.start(api, namespace: ns)
        defer { harness.stop() }
        await harness.dispatcher.handle(T.event(ns, severity: .error))

        let events = try await Self.failureEvents(ns, api)
        var messages: [String: String] = [:]
        for event in events {
            #expect(event["type"] == "Warning")
            #expect(event[path: "involvedObject", "kind"] == "Alert")
            #expect(event[path: "involvedObject", "apiVersion"] == "notification.toolkit.fluxcd.io/v1beta3")
            messages[event[path: "involvedObject", "name"]?.stringValue ?? ""] = event["message"]?.stringValue
        }
        #expect(Set(messages.keys) == ["down", "no-secret", "refusing", "unsupported", "absent"])
        let prefix = "failed to send notification for Kustomization/\(ns)/webapp: "
        #expect(messages.values.allSatisfy { $0.hasPrefix(prefix) })
        let down = messages["down"] ?? ""
        #expect(down.contains("provider \(ns)/down (generic, http://127.0.0.1:1/…): gave up after 3 attempts, last error:"), "\(down)")
        #expect(!down.contains("s3cr3tpath"))
        #expect(messages["no-secret"]?.contains("secretRef Secret 'missing' not found") == true)
        #expect(messages["refusing"]?.contains("refused it with HTTP 403") == true)
        #expect(messages["unsupported"]?.contains("provider type 'matrix' is not supported") == true)
        #expect(messages["absent"]?.contains("Provider \(ns)/absent not found") == true)
    }

    @Test func theCatalogFollowsAlertChanges() async throws {
        let api = try await T.shared.value
        let ns = try await T.namespace(api)
        let hook = try await RecordingWebhook()
        defer { hook.stop() }
        let harness = try await DispatcherHarness.start(api, namespace: ns)
        defer { harness.stop() }
        await harness.dispatcher.handle(T.event(ns, severity: .info))
        #expect(hook.requests.isEmpty)

        try await T.create(Provider(metadata: ObjectMeta(name: "hook", namespace: ns), spec: .init(type: .generic, address: hook.url)), api)
        try await T.create(Alert(metadata: ObjectMeta(name: "late", namespace: ns),
                                 spec: .init(providerRef: .init(name: "hook"), eventSources: [.init(kind: "Kustomization", name: "*")],
                                             exclusionList: ["^Ignored"])), api)
        for _ in 0..<400 where harness.catalog.alertCount == 0 || harness.catalog.provider(ObjectKey(namespace: ns, name: "hook")) == nil {
            try await Task.sleep(for: .milliseconds(5))
        }
        var ignored = T.event(ns, severity: .info)
        ignored.message = "Ignored: nothing to do"
        await harness.dispatcher.handle(ignored)
        await harness.dispatcher.handle(T.event(ns, severity: .info))
        #expect(hook.requests.count == 1, "the new Alert is used, with its exclusion list")

        _ = try await api.delete(Alert.kind, ObjectKey(namespace: ns, name: "late"), options: DeleteOptions())
        for _ in 0..<400 where harness.catalog.alertCount > 0 { try await Task.sleep(for: .milliseconds(5)) }
        await harness.dispatcher.handle(T.event(ns, severity: .info))
        #expect(hook.requests.count == 1, "a deleted Alert no longer matches")
    }
}

/// The Telegram MarkdownV2 escaping, for expected texts.
enum TelegramEscaping {
    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            if "\\.-_[]()~>`#+=|{}!*".contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }
}
