import Foundation
import GitOpsKit
import GitOpsTestSupport
import Testing

/// The whole notification loop with real processes: source- and kustomize-controller post their events to the
/// `notification-controller` binary, which delivers them through Alerts to stand-ins for Slack, Teams, Discord,
/// GitHub's status API and plain webhooks (a recording HTTP server); a GitHub push webhook to a Receiver makes a
/// GitRepository fetch at once and its Kustomization apply the new commit.
@Suite(.serialized)
struct NotificationLoopEndToEndTests {
    static let ns = "e2e-notify-loop"

    @Test func alertsCommitStatusesAndPushWebhooks() async throws {
        let (eventsPort, receiverPort, healthPort) = (try freePort(), try freePort(), try freePort())
        let fixture = try await KustomizeEndToEndFixture.start(eventsURL: "http://127.0.0.1:\(eventsPort)/")
        defer { fixture.stop() }
        try await SourceGitEndToEndTests.installCRDs(fixture.api, group: "notification.toolkit.fluxcd.io")
        let recorder = try RequestRecorder.start(in: fixture.directory.path)
        defer { recorder.server.stop() }
        try await fixture.createNamespaces([Self.ns])
        let providerUID = try await Self.createAlerts(fixture.api, recorder: recorder)

        let notification = try ControllerProcessRunner(
            binary: try executable("notification-controller"),
            arguments: ["--kubeconfig", fixture.kubeconfig, "--metrics-addr", "0", "--health-addr", "127.0.0.1:\(healthPort)",
                        "--events-addr", "127.0.0.1:\(eventsPort)", "--receiverAddr", "127.0.0.1:\(receiverPort)",
                        "--log-level", "debug"],
            directory: fixture.directory)
        defer { notification.kill() }
        let ready = try await eventually(timeout: .seconds(20)) {
            (try? await HTTPClient().execute(HTTPClientRequest(url: "http://127.0.0.1:\(healthPort)/readyz")))?.status == 200
        }
        #expect(ready, "notification-controller never became ready: \(notification.log().suffix(2000))")
        func logs() -> String { "\(fixture.logs())\nnotification-controller:\n\(notification.log().suffix(4000))" }

        await fixture.scenario("alerts") {
            try await Self.failureAndRecovery(fixture, recorder: recorder, providerUID: providerUID, logs: logs)
        }
        await fixture.scenario("receiver") {
            try await Self.pushWebhook(fixture, receiverPort: receiverPort, logs: logs)
        }
        await fixture.scenario("bad input") {
            try await Self.badInput(eventsPort: eventsPort, notification: notification, api: fixture.api)
        }
        notification.terminate()
        #expect(try await notification.waitForExit(timeout: .seconds(20)) == 0, "\(notification.log().suffix(2000))")
    }

    // MARK: Alerts

    /// One Alert per Provider, all on the Kustomization `app`; returns the GitHub Provider's UID (its commit status
    /// context).
    static func createAlerts(_ api: KubeClient, recorder: RequestRecorder) async throws -> String {
        let secrets: [(String, String)] = [("hmac-key", "s3cret-hmac"), ("github-token", "ghp_e2e"), ("push-token", "push-s3cret")]
        for (name, token) in secrets {
            _ = try await api.create(["apiVersion": "v1", "kind": "Secret", "metadata": ["name": .string(name), "namespace": .string(ns)],
                                      "stringData": ["token": .string(token)]], options: WriteOptions())
        }
        // name, type, address, Secret, Alert severity, exclusion list
        let providers: [(String, String, String, String?, String, [String])] = [
            ("slack", "slack", recorder.url("/slack/T0/B0/x"), nil, "info", []),
            ("teams", "msteams", recorder.url("/teams/webhook"), nil, "info", []),
            ("discord", "discord", recorder.url("/discord/api/webhooks/1/t"), nil, "info", []),
            ("generic", "generic", recorder.url("/generic"), nil, "info", []),
            ("hmac", "generic-hmac", recorder.url("/hmac"), "hmac-key", "info", []),
            ("errors", "generic", recorder.url("/errors"), nil, "error", []),
            ("excluded", "generic", recorder.url("/excluded"), nil, "info", ["kustomize build failed"]),
            ("github", "github", recorder.url("/acme/app"), "github-token", "info", []),
            ("unreachable", "generic", "http://127.0.0.1:1/down", nil, "error", []),
        ]
        var githubUID = ""
        for (name, type, address, secret, severity, exclusions) in providers {
            var spec: JSONValue = ["type": .string(type), "address": .string(address)]
            if type == "slack" { spec["channel"] = "#flux"; spec["username"] = "flux-bot" }
            if let secret { spec["secretRef"] = ["name": .string(secret)] }
            let provider = try await api.create(
                ["apiVersion": "notification.toolkit.fluxcd.io/v1beta3", "kind": "Provider",
                 "metadata": ["name": .string(name), "namespace": .string(ns)], "spec": spec], options: WriteOptions())
            if name == "github" { githubUID = provider[path: "metadata", "uid"]?.stringValue ?? "" }
            var alert: JSONValue = ["providerRef": ["name": .string(name)], "eventSeverity": .string(severity),
                                    "eventSources": [["kind": "Kustomization", "name": "app"]]]
            if !exclusions.isEmpty { alert["exclusionList"] = .array(exclusions.map { .string($0) }) }
            _ = try await api.create(
                ["apiVersion": "notification.toolkit.fluxcd.io/v1beta3", "kind": "Alert",
                 "metadata": ["name": .string(name), "namespace": .string(ns)], "spec": alert], options: WriteOptions())
        }
        return githubUID
    }

    /// A Kustomization fails on a broken commit (one error message per endpoint, however often the failure
    /// repeats), then recovers on a fixed one (an info message; none for the error-only Alert).
    static func failureAndRecovery(_ fixture: KustomizeEndToEndFixture, recorder: RequestRecorder, providerUID: String,
                                   logs: () -> String) async throws {
        let repository = try fixture.repository("notify")
        let broken = try repository.commit(["app/settings.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n data: [\n"],
                                           message: "Break the config")
        try await fixture.createGitRepository("notify", namespace: ns)
        try await fixture.createKustomization("app", namespace: ns, spec: [
            "sourceRef": ["kind": "GitRepository", "name": "notify"], "path": "./app", "prune": true,
            "interval": "1s", "retryInterval": "1s", "targetNamespace": .string(ns),
        ])
        let failed = try await fixture.ready("app", namespace: ns, revision: "main@sha1:\(broken)", "broken commit")
        #expect(failed.status == "False" && failed.reason == "BuildFailed", "\(failed)")

        // The same failure, reported at least three times by kustomize-controller (the Event's count) …
        let repeated = try await eventually(timeout: .seconds(30)) {
            let list = try await fixture.api.list(EventRecorder.eventKind, namespace: ns, options: ListOptions())
            return list.items.contains {
                $0[path: "involvedObject", "name"] == "app" && $0["reason"] == "BuildFailed" && ($0["count"]?.intValue ?? 0) >= 3
            }
        }
        #expect(repeated, "the failure was not reported repeatedly\n\(logs())")
        func errors(_ prefix: String) -> [RequestRecorder.Request] {
            recorder.requests(to: prefix).filter { $0.body.contains("kustomize build failed") }
        }
        // … is one message at each endpoint (the rest were rate limited).
        let delivered = try await eventually(timeout: .seconds(20)) {
            ["/slack", "/teams", "/discord", "/generic", "/hmac", "/errors"].allSatisfy { !errors($0).isEmpty }
        }
        #expect(delivered, "error not delivered everywhere: \(recorder.requests().map(\.path))\n\(logs())")
        for prefix in ["/slack", "/teams", "/discord", "/generic", "/hmac", "/errors"] {
            #expect(errors(prefix).count == 1, "\(prefix): \(errors(prefix).count) error messages")
        }
        #expect(errors("/excluded").isEmpty, "the exclusion list let the error through")

        let slack = try #require(errors("/slack").first?.json)
        let attachment = slack["attachments"]?.arrayValue?.first
        #expect(attachment?["color"] == "danger" && attachment?["author_name"] == .string("Kustomization/app.\(ns)"), "\(slack)")
        #expect(slack["channel"] == "#flux" && slack["username"] == "flux-bot", "\(slack)")
        let generic = try #require(errors("/generic").first)
        #expect(generic.json?["severity"] == "error" && generic.json?["reason"] == "BuildFailed", "\(generic.body)")
        #expect(generic.json?[path: "metadata", "revision"] == .string("main@sha1:\(broken)"), "\(generic.body)")
        #expect(generic.header("gotk-component") == "kustomize-controller")
        #expect(errors("/discord").first?.path == "/discord/api/webhooks/1/t/slack")
        #expect(errors("/teams").first?.body.contains("AdaptiveCard") == true)

        // Recovery: an info message, not for the error-only Alert; the excluded Alert gets it.
        let fixed = try repository.commit(["app/settings.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fixed\n"],
                                          message: "Fix the config")
        let recovered = try await fixture.ready("app", namespace: ns, revision: "main@sha1:\(fixed)", "fixed commit")
        #expect(recovered.status == "True", "\(recovered)")
        func infos(_ prefix: String) -> [RequestRecorder.Request] {
            recorder.requests(to: prefix).filter { $0.body.contains("main@sha1:\(fixed)") && !$0.body.contains("kustomize build failed") }
        }
        // The change set (Progressing) and the final ReconciliationSucceeded are two events; wait for the second.
        func succeeded(_ prefix: String) -> Bool {
            infos(prefix).contains { $0.body.contains("ReconciliationSucceeded") || $0.body.contains("reconciliation succeeded") }
        }
        let informed = try await eventually(timeout: .seconds(20)) {
            ["/slack", "/excluded", "/hmac"].allSatisfy { !infos($0).isEmpty } && succeeded("/generic")
        }
        #expect(informed, "recovery not announced: \(recorder.requests().map(\.path))\n\(logs())")
        #expect(infos("/slack").contains { $0.json?["attachments"]?.arrayValue?.first?["color"] == "good" })
        #expect(infos("/generic").contains { $0.json?["severity"] == "info" && $0.json?["reason"] == "ReconciliationSucceeded" })
        try await Task.sleep(for: .seconds(1))
        #expect(recorder.requests(to: "/errors").count == 1, "the error-only Alert passed an info event: \(recorder.requests(to: "/errors").map(\.body))")

        // generic-hmac: every body signed with the shared key.
        for request in recorder.requests(to: "/hmac") {
            let mac = HMAC.code(.sha256, key: Array("s3cret-hmac".utf8), message: Array(request.body.utf8)).hexString
            #expect(request.header("X-Signature") == "sha256=\(mac)", "\(request.headers)")
        }

        // GitHub: a failure status on the broken commit, a success status on the applied one.
        let statuses = try await eventually(timeout: .seconds(20)) {
            recorder.requests(to: "/api/v3/repos/acme/app/statuses/\(fixed)").contains { $0.json?["state"] == "success" }
        }
        #expect(statuses, "no success status: \(recorder.requests(to: "/api/v3").map { "\($0.path) \($0.body)" })")
        let failure = recorder.requests(to: "/api/v3/repos/acme/app/statuses/\(broken)")
        #expect(failure.count == 1 && failure.first?.json?["state"] == "failure", "\(failure.map(\.body))")
        let success = try #require(recorder.requests(to: "/api/v3/repos/acme/app/statuses/\(fixed)").last)
        let uidPrefix = providerUID.split(separator: "-").first.map(String.init) ?? ""
        #expect(success.json?["context"] == .string("kustomization/app/\(uidPrefix)"), "\(success.body)")
        #expect(success.header("Authorization") == "Bearer ghp_e2e")
    }

    // MARK: Receiver

    /// A GitHub push webhook makes a GitRepository with a one-hour interval fetch at once and its Kustomization apply
    /// the new commit; a bad signature changes nothing; a suspended Receiver answers 503.
    static func pushWebhook(_ fixture: KustomizeEndToEndFixture, receiverPort: Int, logs: () -> String) async throws {
        let api = fixture.api
        let repository = try fixture.repository("hooked")
        let first = try repository.commit(["app/settings.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hooked\ndata:\n  v: \"1\"\n"],
                                          message: "First")
        _ = try await api.create(
            ["apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
             "metadata": ["name": "hooked", "namespace": .string(ns)],
             "spec": ["url": .string("http://127.0.0.1:\(fixture.server.port)/hooked/remote.git"), "interval": "1h",
                      "ref": ["branch": "main"]]],
            options: WriteOptions())
        try await fixture.createKustomization("hooked", namespace: ns, spec: [
            "sourceRef": ["kind": "GitRepository", "name": "hooked"], "path": "./app", "prune": true,
            "interval": "1h", "targetNamespace": .string(ns),
        ])
        #expect(try await fixture.ready("hooked", namespace: ns, revision: "main@sha1:\(first)", "first commit").status == "True")
        _ = try await api.create(
            ["apiVersion": "notification.toolkit.fluxcd.io/v1", "kind": "Receiver",
             "metadata": ["name": "github", "namespace": .string(ns)],
             "spec": ["type": "github", "events": ["push"], "secretRef": ["name": "push-token"],
                      "resources": [["apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository", "name": "hooked"]]]],
            options: WriteOptions())
        var path = ""
        let hasPath = try await eventually(timeout: .seconds(20)) {
            path = try await api.get(Receiver.kind, ObjectKey(namespace: ns, name: "github"))[path: "status", "webhookPath"]?.stringValue ?? ""
            return !path.isEmpty
        }
        #expect(hasPath, "no webhook path\n\(logs())")
        let url = "http://127.0.0.1:\(receiverPort)\(path)"
        let payload = Array(#"{"ref":"refs/heads/main","repository":{"full_name":"acme/hooked"}}"#.utf8)
        func push(signedWith key: String) async throws -> HTTPClientResponse {
            let mac = HMAC.code(.sha256, key: Array(key.utf8), message: payload).hexString
            return try await HTTPClient().execute(HTTPClientRequest(
                method: .post, url: url,
                headers: ["Content-Type": "application/json", "X-GitHub-Event": "push", "X-Hub-Signature-256": "sha256=\(mac)"],
                body: payload))
        }
        func requestedAt() async throws -> JSONValue? {
            try await api.get(GitRepository.kind, ObjectKey(namespace: ns, name: "hooked"))[
                path: "metadata", "annotations", FluxAnnotation.reconcileRequestedAt]
        }

        let second = try repository.commit(["app/settings.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hooked\ndata:\n  v: \"2\"\n"],
                                           message: "Second")
        // A wrong signature is refused and requests nothing.
        let refused = try await push(signedWith: "not-the-token")
        #expect(refused.status == 400 || refused.status == 401, "\(refused.status) \(refused.bodyText)")
        #expect(try await requestedAt() == nil)

        // The signed push: GitRepository fetches, Kustomization applies — measured from the POST.
        let started = ContinuousClock.now
        let accepted = try await push(signedWith: "push-s3cret")
        #expect(accepted.status == 200, "\(accepted.status) \(accepted.bodyText)")
        var applied = false
        while ContinuousClock.now - started < .seconds(20) {
            let object = try await api.get(Kustomization.kind, ObjectKey(namespace: ns, name: "hooked"))
            if object[path: "status", "lastAppliedRevision"]?.stringValue == "main@sha1:\(second)" { applied = true; break }
            try await Task.sleep(for: .milliseconds(10))
        }
        let elapsed = ContinuousClock.now - started
        #expect(applied, "the push webhook did not lead to an apply within 20 s (intervals are 1h)\n\(logs())")
        print("notification end-to-end: push webhook → Kustomization applied in \(elapsed) (budget 1 s, DESIGN.md §10)")
        #expect(try fixture.kubectl(["get", "configmap", "hooked", "-o", "jsonpath={.data.v}"], namespace: ns) == "2")

        // Suspended: 503, nothing requested.
        _ = try await api.patch(Receiver.kind, ObjectKey(namespace: ns, name: "github"), patch: ["spec": ["suspend": true]], type: .merge,
                                subresource: nil, options: WriteOptions())
        let before = try await requestedAt()
        let suspended = try await eventually(timeout: .seconds(10)) { try await push(signedWith: "push-s3cret").status == 503 }
        #expect(suspended, "a suspended Receiver still accepted the webhook")
        #expect(try await requestedAt() == before)
    }

    // MARK: Bad input

    /// Malformed and oversize events are refused with 400 and 413; an unreachable Provider is retried, then given
    /// up on with a clear log line, and the controller keeps serving.
    static func badInput(eventsPort: Int, notification: ControllerProcessRunner, api: KubeClient) async throws {
        let client = HTTPClient()
        let url = "http://127.0.0.1:\(eventsPort)/"
        let malformed = try await client.execute(HTTPClientRequest(method: .post, url: url, body: Array("{\"involvedObject\": ".utf8)))
        #expect(malformed.status == 400, "\(malformed.status) \(malformed.bodyText)")
        let missingKind = try await client.execute(HTTPClientRequest(
            method: .post, url: url, body: Array(#"{"involvedObject":{"name":"x","namespace":"y"},"severity":"info","message":"m","reason":"R","reportingController":"c","timestamp":"2026-01-01T00:00:00Z"}"#.utf8)))
        #expect(missingKind.status == 400 && missingKind.bodyText.contains("kind"), "\(missingKind.status) \(missingKind.bodyText)")
        let oversize = try await client.execute(HTTPClientRequest(
            method: .post, url: url, body: Array(repeating: UInt8(ascii: " "), count: 4 << 20)))
        #expect(oversize.status == 413, "\(oversize.status)")

        // The unreachable Provider's Alert (errors only) got the BuildFailed event: retried, then given up on.
        let gaveUp = try await eventually(timeout: .seconds(60)) {
            notification.log().contains("giving up") && notification.log().contains("127.0.0.1:1/down")
        }
        #expect(gaveUp, "no give-up log for the unreachable provider: \(notification.log().suffix(3000))")
        let failures = try await api.eventMessages(about: "unreachable", kind: "Alert", namespace: ns)["NotificationDispatchFailed"] ?? []
        #expect(failures.contains { $0.contains("unreachable") && $0.contains("127.0.0.1:1") }, "\(failures)")
        #expect(notification.isRunning)
    }
}
