import GitOpsKit
import Logging
import NotificationControllerKit
import Testing

/// ``ReceiverSetup`` in a running Manager: the controller publishes the path and the server it adds serves it.
@Suite struct ReceiverSetupTests {
    @Test func managerReconcilesReceiverAndServesItsPath() async throws {
        let env = try await ReceiverTestEnvironment.get()
        let namespace = try await env.makeNamespace()
        var logger = Logger(label: "receiver-setup-tests")
        logger.logLevel = .critical
        let manager = Manager(name: "notification-controller", api: env.client,
                              configuration: ManagerConfiguration(jitter: Jitter(percentage: 0)), logger: logger)
        let server = ReceiverSetup.register(on: manager, address: ListenAddress(host: "127.0.0.1", port: 0), logger: logger)
        let running = Task { try await manager.run(handlingSignals: false) }
        defer { running.cancel() }
        try await env.createSecret(namespace: namespace, token: "managed")
        try await env.createGitRepository("app", namespace: namespace)
        _ = try await env.client.create([
            "apiVersion": "notification.toolkit.fluxcd.io/v1", "kind": "Receiver",
            "metadata": ["name": "hook", "namespace": .string(namespace)],
            "spec": ["type": "generic", "secretRef": ["name": "webhook-token"],
                     "resources": [["kind": "GitRepository", "name": "app"]]],
        ], options: WriteOptions())
        var path: String?
        for _ in 0..<100 where path == nil {
            let object = try await env.client.get(Receiver.kind, ObjectKey(namespace: namespace, name: "hook"))
            path = object[path: "status", "webhookPath"]?.stringValue
            if path == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        let webhookPath = try #require(path)
        let port = try await server.boundPort()
        let request = HTTPClientRequest(method: .post, url: "http://127.0.0.1:\(port)\(webhookPath)", body: Array("{}".utf8))
        // The server matches from the informer cache, which may trail the status write by a moment.
        var status = 404
        for _ in 0..<40 where status == 404 {
            status = try await env.http.execute(request).status
            if status == 404 { try await Task.sleep(for: .milliseconds(25)) }
        }
        #expect(status == 200)
        #expect(try await env.requestedAt("app", namespace: namespace) != nil)
    }
}
