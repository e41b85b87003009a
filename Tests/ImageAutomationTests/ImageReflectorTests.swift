import Foundation
import GitOpsKit
import GitOpsTestSupport
import ImageAutomationControllerKit
import Testing

/// ImageRepository and ImagePolicy reconciled by the in-process controller against the real `docker-registry`
/// (basic auth) and a registry look-alike (token flow, malformed answers).
@Suite(.serialized)
struct ImageReflectorTests {
    /// Scan → semver election with digest → new tag pushed → rescan on request → new election; exclusions,
    /// status fields, events.
    @Test func scanElectAndFollowNewTags() async throws {
        let env = try await ReflectorTestEnvironment.get()
        let registry = try await RegistryServer.start()
        defer { registry.stop() }
        var digests = try await registry.push("team/app", tags: ["1.0.0", "1.1.0", "1.2.0-rc.1", "2.0.0"])
        let ns = try await env.makeNamespace("imgscan")
        defer { Task { await env.cleanUp(namespace: ns) } }
        try await env.createDockerConfigSecret("registry-auth", namespace: ns, host: registry.host,
                                               username: registry.username, password: registry.password)
        try await env.createRepository("app", namespace: ns, spec: [
            "image": .string("\(registry.host)/team/app"), "interval": "1h", "secretRef": ["name": "registry-auth"],
            "insecure": true,
        ])
        try await env.createPolicy("app", namespace: ns, spec: [
            "imageRepositoryRef": ["name": "app"], "policy": ["semver": ["range": ">=1.0.0 <2.0.0"]],
            "digestReflectionPolicy": "IfNotPresent",
        ])

        var repository = try await env.waitFor(ImageRepository.self, "app", namespace: ns, "scanned") { $0.ready?.status == .true }
        let expectedTags = ["2.0.0", "1.2.0-rc.1", "1.1.0", "1.0.0"]
        let scan = try #require(repository.status?.lastScanResult)
        #expect(scan.tagCount == 4)
        #expect(scan.latestTags == expectedTags)
        #expect(scan.revision == TagStore.revision(of: expectedTags))
        #expect(scan.scanTime != nil)
        #expect(repository.status?.canonicalImageName == "\(registry.host)/team/app")
        #expect(repository.status?.observedExclusionList == [#"^.*\.sig$"#])
        #expect(repository.readyMessage == "successful scan: found 4 tags with checksum \(scan.revision ?? "")")
        #expect(repository.conditions[.reconciling] == nil)
        #expect(repository.metadata.finalizers == ["finalizers.fluxcd.io"])
        #expect(try env.context.tags.read(namespace: ns, name: "app") == expectedTags)

        var policy = try await env.waitFor(ImagePolicy.self, "app", namespace: ns, "elected") { $0.ready?.status == .true }
        #expect(policy.status?.latestRef == ImageRef(name: "\(registry.host)/team/app", tag: "1.1.0", digest: digests["1.1.0"]))
        #expect(policy.status?.observedPreviousRef == nil)
        #expect(policy.readyMessage
            == "Latest image tag for \(registry.host)/team/app resolved to 1.1.0 with digest \(digests["1.1.0"] ?? "")")

        // A new release and a signature tag (excluded by default); a reconcile request rescans at once.
        digests.merge(try await registry.push("team/app", tags: ["1.2.0", "sha256-0123.sig"])) { $1 }
        try await env.requestReconcile(ImageRepository.self, "app", namespace: ns)
        repository = try await env.waitFor(ImageRepository.self, "app", namespace: ns, "rescanned") {
            $0.status?.lastScanResult?.tagCount == 5
        }
        #expect(repository.status?.lastScanResult?.latestTags == ["2.0.0", "1.2.0-rc.1", "1.2.0", "1.1.0", "1.0.0"])
        policy = try await env.waitFor(ImagePolicy.self, "app", namespace: ns, "re-elected") {
            $0.status?.latestRef?.tag == "1.2.0"
        }
        #expect(policy.status?.latestRef?.digest == digests["1.2.0"])
        #expect(policy.status?.observedPreviousRef == ImageRef(name: "\(registry.host)/team/app", tag: "1.1.0", digest: digests["1.1.0"]))
        #expect(policy.readyMessage.hasSuffix("(previously \(registry.host)/team/app:1.1.0@\(digests["1.1.0"] ?? ""))"))
        let events = try await env.events(for: "app", namespace: ns)
        #expect(events["Succeeded"]?.contains { $0.hasPrefix("successful scan: found 4 tags") } == true, "\(events)")

        // Deletion removes the stored tags; the policy then reports its missing repository.
        _ = try await env.client.delete(ImageRepository.kind, ObjectKey(namespace: ns, name: "app"), options: DeleteOptions())
        policy = try await env.waitFor(ImagePolicy.self, "app", namespace: ns, "repository gone") { $0.ready?.status == .false }
        #expect(policy.readyReason == "DependencyNotReady")
        #expect(try await env.client.getIfPresent(ImageRepository.kind, ObjectKey(namespace: ns, name: "app")) == nil)
        #expect(try env.context.tags.read(namespace: ns, name: "app") == nil)
        #expect(!FileManager.default.fileExists(atPath: env.context.tags.directory(namespace: ns, name: "app")))
    }

    /// Wrong credentials give a 401 the status explains; a missing Secret is AuthenticationFailed; fixing the
    /// password recovers.
    @Test func wrongCredentialsAndMissingSecret() async throws {
        let env = try await ReflectorTestEnvironment.get()
        let registry = try await RegistryServer.start()
        defer { registry.stop() }
        try await registry.push("team/app", tags: ["1.0.0"])
        let ns = try await env.makeNamespace("imgauth")
        defer { Task { await env.cleanUp(namespace: ns) } }
        try await env.createDockerConfigSecret("registry-auth", namespace: ns, host: registry.host,
                                               username: registry.username, password: "wrong")
        try await env.createRepository("app", namespace: ns, spec: [
            "image": .string("\(registry.host)/team/app"), "interval": "1h", "secretRef": ["name": "registry-auth"],
            "insecure": true,
        ])
        let failed = try await env.waitFor(ImageRepository.self, "app", namespace: ns, "401") { $0.ready?.status == .false }
        #expect(failed.readyReason == "ReadOperationFailed")
        #expect(failed.readyMessage.hasPrefix("scan failed: GET http://\(registry.host)/v2/team/app/tags/list?n=1000: 401 Unauthorized"))
        #expect(failed.readyMessage.contains("the registry rejected the credentials"), "\(failed.readyMessage)")
        #expect(failed.conditions[.reconciling]?.reason.rawValue == "ProgressingWithRetry")
        #expect(failed.status?.lastScanResult == nil)

        try await env.createRepository("nosecret", namespace: ns, spec: [
            "image": .string("\(registry.host)/team/app"), "interval": "1h", "secretRef": ["name": "absent"], "insecure": true,
        ])
        let noSecret = try await env.waitFor(ImageRepository.self, "nosecret", namespace: ns, "no secret") { $0.ready?.status == .false }
        #expect(noSecret.readyReason == "AuthenticationFailed")
        #expect(noSecret.readyMessage == "failed to configure authentication options: failed to get secret '\(ns)/absent': secrets \"absent\" not found")

        let auth = Data("\(registry.username):\(registry.password)".utf8).base64EncodedString()
        try await env.updateSecret("registry-auth", namespace: ns,
                                   data: [".dockerconfigjson": #"{"auths":{"\#(registry.host)":{"auth":"\#(auth)"}}}"#])
        let recovered = try await env.waitFor(ImageRepository.self, "app", namespace: ns, "recovered") { $0.ready?.status == .true }
        #expect(recovered.status?.lastScanResult?.tagCount == 1)
    }

    /// The Bearer token flow (token fetched with the Secret's credentials), then a malformed tag list: the failure
    /// is reported and the last scan result and tags are kept.
    @Test func tokenFlowThenMalformedTagList() async throws {
        let env = try await ReflectorTestEnvironment.get()
        let tags = (1...30).map { "1.0.\($0)" }
        let fake = try FakeRegistryServer.start(.init(tags: tags, auth: "token", username: "robot", password: "t0ken-pass"))
        defer { fake.stop() }
        let ns = try await env.makeNamespace("imgtoken")
        defer { Task { await env.cleanUp(namespace: ns) } }
        try await env.createSecret("creds", namespace: ns, type: "kubernetes.io/dockerconfigjson", data: [
            ".dockerconfigjson": #"{"auths":{"http://\#(fake.host)/":{"username":"robot","password":"t0ken-pass"}}}"#,
        ])
        try await env.createRepository("app", namespace: ns, spec: [
            "image": .string("\(fake.host)/org/app"), "interval": "1h", "secretRef": ["name": "creds"],
        ])
        try await env.createPolicy("latest", namespace: ns, spec: [
            "imageRepositoryRef": ["name": "app"], "policy": ["semver": ["range": ">=1.0.0"]],
            "digestReflectionPolicy": "Always", "interval": "1h",
        ])
        let repository = try await env.waitFor(ImageRepository.self, "app", namespace: ns, "scanned") { $0.ready?.status == .true }
        let good = try #require(repository.status?.lastScanResult)
        #expect(good.tagCount == 30)
        let requests = try await fake.requests()
        #expect(requests.contains { $0.hasPrefix("/token?service=fake-registry&scope=repository%3Aorg%2Fapp%3Apull") }, "\(requests)")
        let policy = try await env.waitFor(ImagePolicy.self, "latest", namespace: ns, "elected") { $0.ready?.status == .true }
        #expect(policy.status?.latestRef == ImageRef(name: "\(fake.host)/org/app", tag: "1.0.30",
                                                     digest: FakeRegistryServer.digest(for: "1.0.30")))

        try fake.update(.init(tags: tags, auth: "token", username: "robot", password: "t0ken-pass", malformed: true))
        try await env.requestReconcile(ImageRepository.self, "app", namespace: ns)
        let broken = try await env.waitFor(ImageRepository.self, "app", namespace: ns, "malformed") { $0.ready?.status == .false }
        #expect(broken.readyReason == "ReadOperationFailed")
        #expect(broken.readyMessage.hasPrefix("scan failed: GET http://\(fake.host)/v2/org/app/tags/list?n=1000: malformed tag list: "),
                "\(broken.readyMessage)")
        #expect(broken.status?.lastScanResult == good)
        #expect(try env.context.tags.read(namespace: ns, name: "app")?.count == 30)
    }

    /// An invalid semver range stalls the policy; an invalid regex too; a valid fix recovers.
    @Test func invalidPolicies() async throws {
        let env = try await ReflectorTestEnvironment.get()
        let fake = try FakeRegistryServer.start(.init(tags: ["1.0.0", "main-abc-100", "main-def-200", "dev-9"]))
        defer { fake.stop() }
        let ns = try await env.makeNamespace("imgpolicy")
        defer { Task { await env.cleanUp(namespace: ns) } }
        try await env.createRepository("app", namespace: ns, spec: ["image": .string("\(fake.host)/app"), "interval": "1h"])
        try await env.createPolicy("range", namespace: ns, spec: [
            "imageRepositoryRef": ["name": "app"], "policy": ["semver": ["range": ">=1.0.0 <<2"]],
        ])
        try await env.createPolicy("regex", namespace: ns, spec: [
            "imageRepositoryRef": ["name": "app"], "policy": ["numerical": ["order": "asc"]],
            "filterTags": ["pattern": "^main-[a-f0-9]+-(?P<ts>[0-9]+", "extract": "$ts"],
        ])
        try await env.createPolicy("nomatch", namespace: ns, spec: [
            "imageRepositoryRef": ["name": "app"], "policy": ["semver": ["range": ">=5.0.0"]],
        ])
        let range = try await env.waitFor(ImagePolicy.self, "range", namespace: ns, "stalled") { $0.conditions[.stalled]?.status == .true }
        #expect(range.readyReason == "InvalidPolicy")
        #expect(range.readyMessage == "invalid policy: improper constraint: >=1.0.0 <<2")
        let regex = try await env.waitFor(ImagePolicy.self, "regex", namespace: ns, "stalled") { $0.conditions[.stalled]?.status == .true }
        #expect(regex.readyReason == "InvalidPolicy")
        #expect(regex.readyMessage.hasPrefix("failed to filter tags: invalid regular expression pattern '^main-[a-f0-9]+-(?P<ts>[0-9]+': "))
        let none = try await env.waitFor(ImagePolicy.self, "nomatch", namespace: ns, "no match") { $0.ready?.status == .false }
        #expect(none.readyReason == "Failure")
        #expect(none.readyMessage == "no tag satisfies the semver range '>=5.0.0' (4 candidate tags)")

        try await env.modify(ImagePolicy.self, "regex", namespace: ns) {
            $0[path: "spec", "filterTags", "pattern"] = "^main-[a-f0-9]+-(?P<ts>[0-9]+)"
        }
        let fixed = try await env.waitFor(ImagePolicy.self, "regex", namespace: ns, "fixed") { $0.ready?.status == .true }
        #expect(fixed.status?.latestRef?.tag == "main-def-200")
        #expect(fixed.conditions[.stalled] == nil)
    }

    /// A policy whose repository is missing waits (DependencyNotReady) and elects once it appears; a repository
    /// in another namespace needs `accessFrom`.
    @Test func missingRepositoryAndAccessFrom() async throws {
        let env = try await ReflectorTestEnvironment.get()
        let fake = try FakeRegistryServer.start(.init(tags: ["a", "b", "c"]))
        defer { fake.stop() }
        let ns = try await env.makeNamespace("imgmissing", labels: ["team": "blue"])
        let other = try await env.makeNamespace("imgother", labels: ["access": "granted"])
        defer { Task { await env.cleanUp(namespace: ns); await env.cleanUp(namespace: other) } }
        try await env.createPolicy("app", namespace: ns, spec: [
            "imageRepositoryRef": ["name": "app"], "policy": ["alphabetical": ["order": "asc"]],
        ])
        let waiting = try await env.waitFor(ImagePolicy.self, "app", namespace: ns, "missing") { $0.ready?.status == .false }
        #expect(waiting.readyReason == "DependencyNotReady")
        #expect(waiting.readyMessage == "failed to get the referred ImageRepository: referenced ImageRepository does not exist: imagerepositories.image.toolkit.fluxcd.io \"app\" not found")
        try await env.createRepository("app", namespace: ns, spec: ["image": .string("\(fake.host)/app"), "interval": "1h"])
        let elected = try await env.waitFor(ImagePolicy.self, "app", namespace: ns, "elected") { $0.ready?.status == .true }
        #expect(elected.status?.latestRef?.tag == "c")

        // Cross-namespace: denied without accessFrom, allowed once the selector matches the policy's namespace.
        try await env.createPolicy("cross", namespace: other, spec: [
            "imageRepositoryRef": ["name": "app", "namespace": .string(ns)], "policy": ["alphabetical": ["order": "desc"]],
        ])
        let denied = try await env.waitFor(ImagePolicy.self, "cross", namespace: other, "denied") { $0.ready?.status == .false }
        #expect(denied.readyReason == "AccessDenied")
        try await env.modify(ImageRepository.self, "app", namespace: ns) {
            $0[path: "spec", "accessFrom"] = ["namespaceSelectors": [["matchLabels": ["access": "granted"]]]]
        }
        try await env.requestReconcile(ImagePolicy.self, "cross", namespace: other)
        let allowed = try await env.waitFor(ImagePolicy.self, "cross", namespace: other, "allowed") { $0.ready?.status == .true }
        #expect(allowed.status?.latestRef?.tag == "a")
    }

    /// A restarted controller (new context, same storage) neither rescans a recently scanned repository nor needs
    /// the registry to elect: the tags come from the store.
    @Test func tagsSurviveRestart() async throws {
        let env = try await ReflectorTestEnvironment.get()
        let fake = try FakeRegistryServer.start(.init(tags: ["1.0.0", "1.5.0", "2.0.0"]))
        let ns = try await env.makeNamespace("imgrestart")
        defer { Task { await env.cleanUp(namespace: ns) } }
        try await env.createRepository("app", namespace: ns, spec: ["image": .string("\(fake.host)/app"), "interval": "1h"])
        try await env.createPolicy("app", namespace: ns, spec: [
            "imageRepositoryRef": ["name": "app"], "policy": ["semver": ["range": "<2.0.0"]],
        ])
        let scanned = try await env.waitFor(ImageRepository.self, "app", namespace: ns, "scanned") { $0.ready?.status == .true }
        _ = try await env.waitFor(ImagePolicy.self, "app", namespace: ns, "elected") { $0.status?.latestRef?.tag == "1.5.0" }
        fake.stop()

        // A new process: fresh context and reconcilers over the same storage directory; the registry is gone.
        let restarted = ImageReflectorContext(api: env.client, events: env.context.events,
                                              tags: TagStore(root: env.storagePath), logger: env.context.logger)
        let result = try await ImageRepositoryReconciler(context: restarted).reconcile(ObjectKey(namespace: ns, name: "app"))
        guard case .requeue(let after) = result else { Issue.record("expected a requeue, got \(result)"); return }
        #expect(after > .seconds(3000) && after <= .seconds(3600))
        let repository = try ImageRepository(from: try await env.client.get(ImageRepository.kind, ObjectKey(namespace: ns, name: "app")))
        #expect(repository.ready?.status == .true)
        #expect(repository.status?.lastScanResult == scanned.status?.lastScanResult)

        try await env.modify(ImagePolicy.self, "app", namespace: ns) {
            $0[path: "spec", "policy", "semver", "range"] = "<1.5.0"
        }
        _ = try await ImagePolicyReconciler(context: restarted).reconcile(ObjectKey(namespace: ns, name: "app"))
        let policy = try await env.waitFor(ImagePolicy.self, "app", namespace: ns, "re-elected") { $0.status?.latestRef?.tag == "1.0.0" }
        #expect(policy.status?.observedPreviousRef?.tag == "1.5.0")
    }

    /// Bad `spec.image` values stall with ImageURLInvalid in Flux's words.
    @Test func invalidImageStalls() async throws {
        let env = try await ReflectorTestEnvironment.get()
        let ns = try await env.makeNamespace("imgbad")
        defer { Task { await env.cleanUp(namespace: ns) } }
        try await env.createRepository("tagged", namespace: ns, spec: ["image": "ghcr.io/org/app:1.0", "interval": "1h"])
        try await env.createRepository("scheme", namespace: ns, spec: ["image": "https://ghcr.io/org/app", "interval": "1h"])
        let tagged = try await env.waitFor(ImageRepository.self, "tagged", namespace: ns, "stalled") { $0.conditions[.stalled] != nil }
        #expect(tagged.readyReason == "ImageURLInvalid")
        #expect(tagged.readyMessage == "image 'ghcr.io/org/app:1.0' should not include a tag; remove ':1.0'")
        let scheme = try await env.waitFor(ImageRepository.self, "scheme", namespace: ns, "stalled") { $0.conditions[.stalled] != nil }
        #expect(scheme.readyMessage == "image 'https://ghcr.io/org/app' should not include URL scheme; remove 'https://'")
    }
}
