import Foundation
import GitOpsKit
import GitOpsTestSupport
import KubeEmulator
import Testing

/// The `notification-controller` binary with the real `source-controller` posting its events to it
/// (`--events-addr`): a failing GitRepository's error event reaches a `generic` Provider through an Alert, and a
/// `generic` Receiver's webhook asks that GitRepository to reconcile (`reconcile.fluxcd.io/requestedAt`).
@Suite(.serialized)
struct NotificationEndToEndTests {
    @Test func eventsReachTheProviderAndTheWebhookRequestsAReconcile() async throws {
        try await KubeEmulator.withRunning { endpoint in
            let directory = try TemporaryDirectory()
            let kubeconfig = directory.path + "/kubeconfig"
            try endpoint.writeKubeconfig(to: kubeconfig)
            let api = KubeClient(config: try KubeConfig.load(kubeconfigPaths: [kubeconfig]))
            try await SourceGitEndToEndTests.installCRDs(api)
            let ns = "e2e-notify"
            _ = try await api.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(ns)]],
                                     options: WriteOptions())
            let sink = try EventSink.start(in: directory.path)
            defer { sink.server.stop() }
            for object: JSONValue in [
                ["apiVersion": "notification.toolkit.fluxcd.io/v1beta3", "kind": "Provider",
                 "metadata": ["name": "hook", "namespace": .string(ns)],
                 "spec": ["type": "generic", "address": .string(sink.url)]],
                ["apiVersion": "notification.toolkit.fluxcd.io/v1beta3", "kind": "Alert",
                 "metadata": ["name": "sources", "namespace": .string(ns)],
                 "spec": ["providerRef": ["name": "hook"], "eventSeverity": "error",
                          "eventSources": [["kind": "GitRepository", "name": "*"]]]],
                ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "webhook-token", "namespace": .string(ns)],
                 "stringData": ["token": "s3cret"]],
                ["apiVersion": "notification.toolkit.fluxcd.io/v1", "kind": "Receiver",
                 "metadata": ["name": "push", "namespace": .string(ns)],
                 "spec": ["type": "generic", "secretRef": ["name": "webhook-token"],
                          "resources": [["kind": "GitRepository", "name": "app"]]]],
                ["apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
                 "metadata": ["name": "app", "namespace": .string(ns)],
                 "spec": ["url": "http://127.0.0.1:1/nowhere.git", "interval": "1h", "ref": ["branch": "main"]]],
            ] {
                _ = try await api.create(object, options: WriteOptions())
            }

            let (eventsPort, receiverPort) = (try freePort(), try freePort())
            let notification = try ControllerProcessRunner(
                binary: try executable("notification-controller"),
                arguments: ["--kubeconfig", kubeconfig, "--metrics-addr", "0", "--health-addr", "127.0.0.1:\(try freePort())",
                            "--events-addr", "127.0.0.1:\(eventsPort)", "--receiverAddr", "127.0.0.1:\(receiverPort)"],
                directory: directory)
            defer { notification.kill() }
            let source = try ControllerProcessRunner(
                binary: try executable("source-controller"),
                arguments: ["--kubeconfig", kubeconfig, "--metrics-addr", "0", "--health-addr", "127.0.0.1:\(try freePort())",
                            "--storage-path", directory.path + "/storage", "--storage-addr", "127.0.0.1:0",
                            "--events-addr", "http://127.0.0.1:\(eventsPort)/"],
                directory: directory)
            defer { source.kill() }

            // source-controller's error event, through the Alert, at the generic Provider.
            let delivered = try await eventually(timeout: .seconds(30)) {
                sink.bodies().contains { $0.contains("\"GitRepository\"") && $0.contains("\"app\"") && $0.contains("\"error\"") }
            }
            #expect(delivered, "no event at the provider; notification-controller log: \(notification.log().suffix(3000)); source log: \(source.log().suffix(2000))")

            // The Receiver's webhook path, then a POST to it annotates the GitRepository.
            var path = ""
            let receiverReady = try await eventually(timeout: .seconds(20)) {
                let receiver = try? await api.get(Receiver.kind, ObjectKey(namespace: ns, name: "push"))
                path = receiver?[path: "status", "webhookPath"]?.stringValue ?? ""
                return !path.isEmpty
            }
            #expect(receiverReady, "Receiver never got a webhook path; log: \(notification.log().suffix(3000))")
            #expect(path == "/hook/" + Digest.sha256Hex(Array("s3cret\("push")\(ns)".utf8)))
            let response = try await HTTPClient().execute(HTTPClientRequest(
                method: .post, url: "http://127.0.0.1:\(receiverPort)\(path)", body: Array("{}".utf8)))
            #expect(response.status == 200, "\(response.bodyText)")
            let annotated = try await eventually(timeout: .seconds(10)) {
                let repository = try? await api.get(GitRepository.kind, ObjectKey(namespace: ns, name: "app"))
                return repository?[path: "metadata", "annotations", FluxAnnotation.reconcileRequestedAt] != nil
            }
            #expect(annotated, "the GitRepository was not annotated")
            let unknown = try await HTTPClient().execute(HTTPClientRequest(
                method: .post, url: "http://127.0.0.1:\(receiverPort)/hook/unknown", body: Array("{}".utf8)))
            #expect(unknown.status == 404)

            notification.terminate()
            #expect(try await notification.waitForExit(timeout: .seconds(20)) == 0, "\(notification.log().suffix(2000))")
        }
    }
}
