import GitOpsKit
import NotificationControllerKit
import Testing

/// Verification by receiver type, over HTTP against the real server.
@Suite struct ReceiverVerificationTests {
    static let token = "another-token"

    private func setUp(type: String, events: [String]? = nil, resources: JSONValue? = nil)
        async throws -> (ReceiverTestEnvironment, String, String)
    {
        let env = try await ReceiverTestEnvironment.get()
        let namespace = try await env.makeNamespace()
        try await env.createSecret(namespace: namespace, token: Self.token)
        try await env.createGitRepository("app", namespace: namespace)
        var spec: JSONValue = [
            "type": .string(type), "secretRef": ["name": "webhook-token"],
            "resources": resources ?? [["kind": "GitRepository", "name": "app"]],
        ]
        if let events { spec["events"] = .array(events.map(JSONValue.string)) }
        let receiver = try await env.createReceiver(namespace: namespace, spec: spec)
        return (env, namespace, try #require(receiver.status?.webhookPath))
    }

    @Test(arguments: [DigestAlgorithm.sha1, .sha256, .sha512])
    func genericHMACAcceptsEachAlgorithm(_ algorithm: DigestAlgorithm) async throws {
        let (env, namespace, path) = try await setUp(type: "generic-hmac")
        let body = #"{"hello":"world"}"#
        let signature = ReceiverTestEnvironment.signature(body, token: Self.token, algorithm: algorithm)
        #expect(try await env.post(path, body: body, headers: ["X-Signature": signature]) == 200)
        #expect(try await env.requestedAt("app", namespace: namespace) != nil)
    }

    @Test func genericHMACRefusesATamperedBody() async throws {
        let (env, namespace, path) = try await setUp(type: "generic-hmac")
        let signature = ReceiverTestEnvironment.signature(#"{"a":1}"#, token: Self.token)
        #expect(try await env.post(path, body: #"{"a":2}"#, headers: ["X-Signature": signature]) == 400)
        #expect(try await env.post(path, body: #"{"a":1}"#, headers: ["X-Signature": "md5=00"]) == 400)
        #expect(try await env.requestedAt("app", namespace: namespace) == nil)
    }

    @Test func gitlabChecksTokenAndEvent() async throws {
        let (env, namespace, path) = try await setUp(type: "gitlab", events: ["Push Hook"])
        #expect(try await env.post(path, headers: ["X-Gitlab-Token": "nope", "X-Gitlab-Event": "Push Hook"]) == 400)
        #expect(try await env.post(path, headers: ["X-Gitlab-Token": Self.token, "X-Gitlab-Event": "Tag Push Hook"]) == 400)
        #expect(try await env.requestedAt("app", namespace: namespace) == nil)
        #expect(try await env.post(path, headers: ["X-Gitlab-Token": Self.token, "X-Gitlab-Event": "push hook"]) == 200)
        #expect(try await env.requestedAt("app", namespace: namespace) != nil)
    }

    @Test func bitbucketChecksSignatureAndEventKey() async throws {
        let (env, namespace, path) = try await setUp(type: "bitbucket", events: ["repo:refs_changed"])
        let body = #"{"changes":[]}"#
        let signature = ReceiverTestEnvironment.signature(body, token: Self.token)
        #expect(try await env.post(path, body: body, headers: ["X-Hub-Signature": signature, "X-Event-Key": "pr:opened"]) == 400)
        #expect(try await env.post(path, body: body, headers: ["X-Hub-Signature": signature,
                                                               "X-Event-Key": "repo:refs_changed"]) == 200)
        #expect(try await env.requestedAt("app", namespace: namespace) != nil)
    }

    @Test func oversizeBodyIs413() async throws {
        let (env, namespace, path) = try await setUp(type: "generic-hmac")
        let body = String(repeating: "x", count: 100 * 1024)
        let signature = ReceiverTestEnvironment.signature(body, token: Self.token)
        #expect(try await env.post(path, body: body, headers: ["X-Signature": signature]) == 413)
        #expect(try await env.requestedAt("app", namespace: namespace) == nil)
    }

    @Test func failedAnnotationIs500AndOthersStillAnnotated() async throws {
        let (env, namespace, path) = try await setUp(type: "generic", resources: [
            ["kind": "GitRepository", "name": "missing"], ["kind": "ImagePolicy", "name": "no-default-api-version"],
            ["kind": "GitRepository", "name": "app"],
        ])
        #expect(try await env.post(path) == 500)
        #expect(try await env.requestedAt("app", namespace: namespace) != nil)
    }

    @Test func unsupportedTypeStallsTheReceiver() async throws {
        let env = try await ReceiverTestEnvironment.get()
        let namespace = try await env.makeNamespace()
        try await env.createSecret(namespace: namespace, token: Self.token)
        let receiver = try await env.createReceiver(namespace: namespace, spec: [
            "type": "cdevents", "secretRef": ["name": "webhook-token"],
            "resources": [["kind": "GitRepository", "name": "app"]],
        ])
        #expect(receiver.conditions.isTrue(.stalled))
        #expect(receiver.conditions[.ready]?.message.contains("spec.type cdevents") == true)
        #expect(receiver.status?.webhookPath == nil)
    }

    @Test func suspendedReceiverIsNotReconciled() async throws {
        let env = try await ReceiverTestEnvironment.get()
        let namespace = try await env.makeNamespace()
        try await env.createSecret(namespace: namespace, token: Self.token)
        let receiver = try await env.createReceiver(namespace: namespace, spec: [
            "type": "generic", "secretRef": ["name": "webhook-token"], "suspend": true,
            "resources": [["kind": "GitRepository", "name": "app"]],
        ])
        #expect(receiver.status?.webhookPath == nil)
        #expect(receiver.conditions.isEmpty)
    }
}
