import GitOpsKit
import NotificationControllerKit
import Testing

@Suite struct ReceiverTests {
    static let token = "s3cret-token"
    static let pushBody = #"{"ref":"refs/heads/main","after":"0123456789abcdef"}"#

    /// A namespace with the token Secret, GitRepository `app` and a Receiver of `type` for it.
    private func setUp(type: String = "github", events: [String]? = nil, resources: JSONValue? = nil,
                       repositories: [(String, [String: String])] = [("app", [:])])
        async throws -> (ReceiverTestEnvironment, String, Receiver)
    {
        let env = try await ReceiverTestEnvironment.get()
        let namespace = try await env.makeNamespace()
        try await env.createSecret(namespace: namespace, token: Self.token)
        for (name, labels) in repositories { try await env.createGitRepository(name, namespace: namespace, labels: labels) }
        var spec: JSONValue = [
            "type": .string(type), "secretRef": ["name": "webhook-token"],
            "resources": resources ?? [["kind": "GitRepository", "name": "app"]],
        ]
        if let events { spec["events"] = .array(events.map(JSONValue.string)) }
        let receiver = try await env.createReceiver(namespace: namespace, spec: spec)
        return (env, namespace, receiver)
    }

    private func githubHeaders(_ body: String, event: String = "push", token: String = ReceiverTests.token)
        -> HTTPClientHeaders
    {
        ["X-GitHub-Event": event, "X-Hub-Signature-256": ReceiverTestEnvironment.signature(body, token: token)]
    }

    @Test func webhookPathIsDerivedFromTokenNameAndNamespaceAndReady() async throws {
        let (_, namespace, receiver) = try await setUp()
        let expected = "/hook/" + Digest.sha256Hex(Array((Self.token + "hook" + namespace).utf8))
        #expect(receiver.status?.webhookPath == expected)
        #expect(receiver.conditions.isTrue(.ready))
        #expect(receiver.conditions[.ready]?.message == "Receiver initialized for path: \(expected)")
        #expect(receiver.observedGeneration == receiver.generation)
        #expect(receiver.metadata.hasFinalizer(Receiver.finalizer))
    }

    @Test func validGitHubPushAnnotatesTheGitRepository() async throws {
        let (env, namespace, receiver) = try await setUp(events: ["push"])
        let path = try #require(receiver.status?.webhookPath)
        let status = try await env.post(path, body: Self.pushBody, headers: githubHeaders(Self.pushBody))
        #expect(status == 200)
        #expect(try await env.requestedAt("app", namespace: namespace) != nil)
    }

    @Test func invalidSignatureIsRefusedAndAnnotatesNothing() async throws {
        let (env, namespace, receiver) = try await setUp()
        let path = try #require(receiver.status?.webhookPath)
        let forged = githubHeaders(Self.pushBody, token: "wrong")
        #expect(try await env.post(path, body: Self.pushBody, headers: forged) == 400)
        #expect(try await env.post(path, body: Self.pushBody, headers: ["X-GitHub-Event": "push"]) == 400)
        #expect(try await env.requestedAt("app", namespace: namespace) == nil)
    }

    @Test func eventFilterAndPing() async throws {
        let (env, namespace, receiver) = try await setUp(events: ["push"])
        let path = try #require(receiver.status?.webhookPath)
        let body = #"{"action":"opened"}"#
        #expect(try await env.post(path, body: body, headers: githubHeaders(body, event: "pull_request")) == 400)
        #expect(try await env.post(path, body: body, headers: githubHeaders(body, event: "ping")) == 200)
        #expect(try await env.requestedAt("app", namespace: namespace) == nil)
    }

    @Test func wildcardWithMatchLabelsAnnotatesOnlyMatchingObjects() async throws {
        let (env, namespace, receiver) = try await setUp(
            type: "generic",
            resources: [["kind": "GitRepository", "name": "*", "matchLabels": ["team": "a"]]],
            repositories: [("one", ["team": "a"]), ("two", ["team": "a"]), ("other", ["team": "b"])])
        let path = try #require(receiver.status?.webhookPath)
        #expect(try await env.post(path) == 200)
        #expect(try await env.requestedAt("one", namespace: namespace) != nil)
        #expect(try await env.requestedAt("two", namespace: namespace) != nil)
        #expect(try await env.requestedAt("other", namespace: namespace) == nil)
    }

    @Test func suspendedReceiverAnswers503() async throws {
        let (env, namespace, receiver) = try await setUp(type: "generic")
        let path = try #require(receiver.status?.webhookPath)
        _ = try await env.client.patch(Receiver.kind, receiver.key, patch: ["spec": ["suspend": true]], type: .merge,
                                       subresource: nil, options: WriteOptions())
        #expect(try await env.post(path) == 503)
        #expect(try await env.requestedAt("app", namespace: namespace) == nil)
    }

    @Test func unknownPathIs404() async throws {
        let env = try await ReceiverTestEnvironment.get()
        #expect(try await env.post("/hook/" + String(repeating: "0", count: 64)) == 404)
    }

    @Test func missingSecretLeavesReceiverNotReadyWithoutPath() async throws {
        let env = try await ReceiverTestEnvironment.get()
        let namespace = try await env.makeNamespace()
        let receiver = try await env.createReceiver(namespace: namespace, spec: [
            "type": "generic", "secretRef": ["name": "absent"], "resources": [["kind": "GitRepository", "name": "app"]],
        ])
        let ready = try #require(receiver.conditions[.ready])
        #expect(ready.status == .false)
        #expect(ready.reason == .tokenNotFound)
        #expect(ready.message == "unable to read token from secret '\(namespace)/absent' error: secrets \"absent\" not found")
        #expect(receiver.status?.webhookPath == nil)
    }

    @Test func secretWithoutTokenIsReported() async throws {
        let env = try await ReceiverTestEnvironment.get()
        let namespace = try await env.makeNamespace()
        _ = try await env.client.create([
            "apiVersion": "v1", "kind": "Secret", "metadata": ["name": "empty", "namespace": .string(namespace)],
            "data": ["other": "eA=="],
        ], options: WriteOptions())
        let receiver = try await env.createReceiver(namespace: namespace, spec: [
            "type": "generic", "secretRef": ["name": "empty"], "resources": [["kind": "GitRepository", "name": "app"]],
        ])
        #expect(receiver.conditions[.ready]?.message == "invalid '\(namespace)/empty' secret data: required field 'token'")
    }
}
