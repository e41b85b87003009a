import Foundation
import GitOpsKit
import GitOpsTestSupport
import ImageAutomationControllerKit
import Testing

/// The ImageUpdateAutomation controller against a real Git server (smart HTTP, push enabled) and the KubeEmulator.
@Suite(.serialized) struct ImageUpdateAutomationTests {
    typealias Git = GitTestSupport

    static let manifest = """
        # The app, managed by image automation.
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: app   # the name
        spec:
          template:
            spec:
              containers:
                - name: app
                  image: ghcr.io/org/app:1.0.0 # {"$imagepolicy": "NS:app"}
                - name: sidecar
                  image: "ghcr.io/org/sidecar:2.0" # {"$imagepolicy": "NS:sidecar"}

        """

    static let message = """
        Update images in {{ .AutomationObject }} ({{ .Values.team }})

        {{ range .Changed.Changes -}}
        - {{ .Setter }}: {{ .OldValue }} -> {{ .NewValue }}
        {{ end -}}
        """

    static func spec(source: String = "source", pushBranch: String? = "automation", path: String = "./deploy",
                     extra: [String: JSONValue] = [:]) -> JSONValue
    {
        var git: JSONValue = [
            "commit": [
                "author": ["name": "Image Bot", "email": "bot@example.com"],
                "messageTemplate": .string(message),
                "messageTemplateValues": ["team": "platform"],
            ],
        ]
        if let pushBranch { git["push"] = ["branch": .string(pushBranch)] }
        var spec: JSONValue = [
            "sourceRef": ["kind": "GitRepository", "name": .string(source)],
            "interval": "1h",
            "git": git,
            "update": ["strategy": "Setters", "path": .string(path)],
        ]
        for (key, value) in extra { spec[key] = value }
        return spec
    }

    /// Pushes a commit to a new branch that changes exactly the marker line, with the author and the rendered
    /// message; a second run changes nothing.
    @Test func commitsTheMarkerLineToANewBranch() async throws {
        let env = try await ImageUpdateTestEnvironment.get()
        let ns = try await env.makeNamespace("iua-push")
        defer { Task { await env.deleteAutomations(namespace: ns) } }
        let manifest = Self.manifest.replacingOccurrences(of: "NS:", with: "\(ns):")
        let (repository, url) = try env.makeRepository(ns, files: ["deploy/app.yaml": manifest, "other/app.yaml": manifest])
        let base = try repository.head()
        try await env.createGitRepository("source", namespace: ns, url: url)
        try await env.createPolicy("app", namespace: ns, image: "ghcr.io/org/app", tag: "1.1.0")
        try await env.createPolicy("sidecar", namespace: ns, image: "ghcr.io/org/sidecar", tag: "2.0")
        try await env.createAutomation("auto", namespace: ns, spec: Self.spec())

        let automation = try await env.waitFor("auto", namespace: ns, "a push") {
            $0.status?.lastPushCommit != nil && $0.isReady
        }
        let pushed = try #require(automation.status?.lastPushCommit)
        #expect(try Git.git(["rev-parse", "refs/heads/automation"], in: repository.bare) == pushed)
        #expect(try Git.git(["rev-parse", "refs/heads/main"], in: repository.bare) == base)
        #expect(try Git.git(["rev-parse", "\(pushed)^"], in: repository.bare) == base)
        // Exactly the marker line changed, in the update path only.
        let diff = try Git.git(["diff", "--unified=0", "--no-color", base, pushed], in: repository.bare)
        #expect(diff.split(separator: "\n").filter { $0.hasPrefix("-") || $0.hasPrefix("+") } == [
            "--- a/deploy/app.yaml", "+++ b/deploy/app.yaml",
            "-          image: ghcr.io/org/app:1.0.0 # {\"$imagepolicy\": \"\(ns):app\"}",
            "+          image: ghcr.io/org/app:1.1.0 # {\"$imagepolicy\": \"\(ns):app\"}",
        ])
        #expect(try Git.git(["log", "-1", "--format=%an <%ae>", pushed], in: repository.bare) == "Image Bot <bot@example.com>")
        #expect(try Git.git(["log", "-1", "--format=%B", pushed], in: repository.bare) == """
            Update images in \(ns)/auto (platform)

            - \(ns):app: ghcr.io/org/app:1.0.0 -> ghcr.io/org/app:1.1.0
            """)
        #expect(automation.status?.observedPolicies == [
            "app": ImageRef(name: "ghcr.io/org/app", tag: "1.1.0"), "sidecar": ImageRef(name: "ghcr.io/org/sidecar", tag: "2.0"),
        ])
        #expect(automation.status?.observedSourceRevision == "main@sha1:\(base)")
        #expect(automation.status?.lastPushTime != nil)
        #expect(automation.conditions[.ready]?.message == "repository up-to-date")
        let events = try await env.client.eventMessages(about: "auto", namespace: ns)
        #expect(events["Succeeded"]?.contains { $0.hasPrefix("pushed commit '\(pushed.prefix(7))' to branch 'automation'") } == true)

        // Nothing left to change: a new run pushes nothing.
        let token = try await env.client.requestReconcile(ImageUpdateAutomation.kind, ObjectKey(namespace: ns, name: "auto"))
        let again = try await env.waitFor("auto", namespace: ns, "the requested run") { $0.lastHandledReconcileAt == token }
        #expect(again.status?.lastPushCommit == pushed)
        #expect(try Git.git(["rev-parse", "refs/heads/automation"], in: repository.bare) == pushed)

        // A new latestRef is picked up through the ImagePolicy watch and committed on top of the push branch.
        try await env.updatePolicy("app", namespace: ns, image: "ghcr.io/org/app", tag: "1.2.0")
        let third = try await env.waitFor("auto", namespace: ns, "a push for 1.2.0") {
            $0.status?.lastPushCommit != nil && $0.status?.lastPushCommit != pushed
        }
        let next = try #require(third.status?.lastPushCommit)
        #expect(try Git.git(["rev-parse", "\(next)^"], in: repository.bare) == pushed)
        #expect(try Git.git(["show", "\(next):deploy/app.yaml"], in: repository.bare)
            == manifest.replacingOccurrences(of: "app:1.0.0", with: "app:1.2.0").trimmingCharacters(in: .newlines))
    }

    /// With every marker already current, nothing is committed or pushed and the automation is Ready.
    @Test func noCommitWhenNothingChanges() async throws {
        let env = try await ImageUpdateTestEnvironment.get()
        let ns = try await env.makeNamespace("iua-noop")
        defer { Task { await env.deleteAutomations(namespace: ns) } }
        let manifest = Self.manifest.replacingOccurrences(of: "NS:", with: "\(ns):")
        let (repository, url) = try env.makeRepository(ns, files: ["deploy/app.yaml": manifest])
        let base = try repository.head()
        try await env.createGitRepository("source", namespace: ns, url: url)
        try await env.createPolicy("app", namespace: ns, image: "ghcr.io/org/app", tag: "1.0.0")
        // Not Ready: ignored even though its latestRef differs.
        try await env.createPolicy("sidecar", namespace: ns, image: "ghcr.io/org/sidecar", tag: "9.9", ready: false)
        try await env.createAutomation("auto", namespace: ns, spec: Self.spec(pushBranch: nil))
        let automation = try await env.waitFor("auto", namespace: ns, "Ready") { $0.isReady }
        #expect(automation.status?.lastPushCommit == nil)
        #expect(automation.status?.observedSourceRevision == "main@sha1:\(base)")
        #expect(automation.status?.observedPolicies == ["app": ImageRef(name: "ghcr.io/org/app", tag: "1.0.0")])
        #expect(try Git.git(["rev-parse", "refs/heads/main"], in: repository.bare) == base)
        #expect(try Git.git(["branch", "--list"], in: repository.bare) == "* main")
        #expect(automation.metadata.hasFinalizer(ImageUpdateAutomation.finalizer))

        // Suspended: a new latestRef is not pushed.
        let key = ObjectKey(namespace: ns, name: "auto")
        try await env.client.modify(ImageUpdateAutomation.kind, key) { $0[path: "spec", "suspend"] = true }
        try await env.updatePolicy("app", namespace: ns, image: "ghcr.io/org/app", tag: "1.5.0")
        try await Task.sleep(for: .seconds(1))
        #expect(try Git.git(["rev-parse", "refs/heads/main"], in: repository.bare) == base)

        // Deletion releases the finalizer.
        _ = try await env.client.delete(ImageUpdateAutomation.kind, key, options: DeleteOptions())
        let deadline = ContinuousClock.now + .seconds(20)
        while try await env.client.getIfPresent(ImageUpdateAutomation.kind, key) != nil, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(try await env.client.getIfPresent(ImageUpdateAutomation.kind, key) == nil)
    }

    /// Someone pushes to the branch between the clone and the push: the controller fetches, redoes the edit on the
    /// new head and pushes again, once.
    @Test func retriesOnceWhenThePushIsNotAFastForward() async throws {
        let env = try await ImageUpdateTestEnvironment.get()
        let ns = try await env.makeNamespace("iua-race")
        defer { Task { await env.deleteAutomations(namespace: ns) } }
        let manifest = Self.manifest.replacingOccurrences(of: "NS:", with: "\(ns):")
        let (repository, url) = try env.makeRepository(ns, files: ["deploy/app.yaml": manifest])
        let base = try repository.head()
        try ArtifactTestSupport.write("", to: "race-once", in: repository.bare)
        try await env.createGitRepository("source", namespace: ns, url: url)
        try await env.createPolicy("app", namespace: ns, image: "ghcr.io/org/app", tag: "1.1.0")
        try await env.createAutomation("auto", namespace: ns, spec: Self.spec(pushBranch: nil))
        let automation = try await env.waitFor("auto", namespace: ns, "a push") { $0.status?.lastPushCommit != nil }
        let pushed = try #require(automation.status?.lastPushCommit)
        #expect(try Git.git(["rev-parse", "refs/heads/main"], in: repository.bare) == pushed)
        // On top of the upstream commit made meanwhile, which the clone did not have.
        let parent = try Git.git(["rev-parse", "\(pushed)^"], in: repository.bare)
        #expect(parent != base)
        #expect(try Git.git(["log", "-1", "--format=%s", parent], in: repository.bare) == "upstream change 0")
        #expect(try Git.git(["rev-parse", "\(parent)^"], in: repository.bare) == base)
        #expect(try Git.git(["diff", "--name-only", parent, pushed], in: repository.bare) == "deploy/app.yaml")
        #expect(automation.status?.observedSourceRevision == "main@sha1:\(pushed)")
    }

    /// The branch moves before every push: after the one retry the automation reports the rejection.
    @Test func reportsAPushRejectedTwice() async throws {
        let env = try await ImageUpdateTestEnvironment.get()
        let ns = try await env.makeNamespace("iua-reject")
        defer { Task { await env.deleteAutomations(namespace: ns) } }
        let manifest = Self.manifest.replacingOccurrences(of: "NS:", with: "\(ns):")
        let (repository, url) = try env.makeRepository(ns, files: ["deploy/app.yaml": manifest])
        try ArtifactTestSupport.write("", to: "race-always", in: repository.bare)
        try await env.createGitRepository("source", namespace: ns, url: url)
        try await env.createPolicy("app", namespace: ns, image: "ghcr.io/org/app", tag: "1.1.0")
        try await env.createAutomation("auto", namespace: ns, spec: Self.spec(pushBranch: nil))
        let automation = try await env.waitFor("auto", namespace: ns, "a failed push") {
            $0.conditions[.ready]?.status == .false
        }
        try FileManager.default.removeItem(atPath: repository.bare + "/race-always")
        let ready = try #require(automation.conditions[.ready])
        #expect(ready.reason == .gitOperationFailed)
        #expect(ready.message.contains("rejected again after fetching and reapplying the update"))
        #expect(automation.conditions.isTrue(.reconciling))
        #expect(automation.status?.lastPushCommit == nil)
        let log = try Git.git(["log", "--format=%s", "main"], in: repository.bare)
        #expect(!log.contains("Update images"))
    }

    /// A missing GitRepository is reported (and retried); creating it lets the automation proceed.
    @Test func reportsAMissingGitRepository() async throws {
        let env = try await ImageUpdateTestEnvironment.get()
        let ns = try await env.makeNamespace("iua-nosrc")
        defer { Task { await env.deleteAutomations(namespace: ns) } }
        try await env.createAutomation("auto", namespace: ns, spec: Self.spec(source: "missing"))
        let automation = try await env.waitFor("auto", namespace: ns, "SourceManagerFailed") {
            $0.conditions[.ready]?.reason == .sourceManagerFailed
        }
        #expect(automation.conditions[.ready]?.status == .false)
        #expect(automation.conditions[.ready]?.message.contains("referenced git repository does not exist") == true)
        let events = try await env.client.eventMessages(about: "auto", namespace: ns)
        #expect(events["SourceManagerFailed"]?.isEmpty == false)
    }

    /// Fields this controller does not implement stall the automation with a message naming them.
    @Test func unsupportedFieldsStall() async throws {
        let env = try await ImageUpdateTestEnvironment.get()
        let ns = try await env.makeNamespace("iua-unsup")
        defer { Task { await env.deleteAutomations(namespace: ns) } }
        var spec = Self.spec()
        spec[path: "git", "commit", "signingKey"] = ["secretRef": ["name": "gpg"]]
        spec[path: "git", "push", "options"] = ["ci.skip": ""]
        try await env.createAutomation("auto", namespace: ns, spec: spec)
        let automation = try await env.waitFor("auto", namespace: ns, "Stalled") { $0.conditions.isTrue(.stalled) }
        let stalled = try #require(automation.conditions[.stalled])
        #expect(stalled.reason.rawValue == "UnsupportedField")
        #expect(stalled.message.contains("spec.git.commit.signingKey"))
        #expect(stalled.message.contains("spec.git.push.options"))
        #expect(automation.conditions[.ready]?.status == .false)
    }
}

/// Checkout references, credentials, refspecs, policy selection and the spec problems that stall.
@Suite(.serialized) struct ImageUpdateAutomationOptionTests {
    typealias Git = GitTestSupport

    /// A tag checkout with basic auth from the GitRepository's Secret: the commit goes on a new push branch made
    /// from the tag, and `push.refspec` pushes it under a second name; only the policies the selector picks apply.
    @Test func tagCheckoutWithCredentialsRefspecAndSelector() async throws {
        let env = try await ImageUpdateTestEnvironment.get()
        let ns = try await env.makeNamespace("iua-tag")
        defer { Task { await env.deleteAutomations(namespace: ns) } }
        let manifest = ImageUpdateAutomationTests.manifest.replacingOccurrences(of: "NS:", with: "\(ns):")
        let (repository, _) = try env.makeRepository(ns, files: ["deploy/app.yaml": manifest])
        try repository.tag("v1.0.0", annotated: true)
        let tagged = try repository.head()
        try repository.commit(["later.txt": "after the tag\n"], message: "After the tag")
        let server = try Git.startHTTPServer(root: env.gitRoot, username: "bot", password: "s3cret")
        defer { server.stop() }
        let url = "http://127.0.0.1:\(server.port)/\(ns)/remote.git"
        _ = try await env.client.create(
            ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "git-auth", "namespace": .string(ns)],
             "stringData": ["username": "bot", "password": "s3cret"]],
            options: WriteOptions())
        _ = try await env.client.create(
            ["apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
             "metadata": ["name": "source", "namespace": .string(ns)],
             "spec": ["url": .string(url), "interval": "1h", "ref": ["branch": "main"], "secretRef": ["name": "git-auth"]]],
            options: WriteOptions())
        try await env.createPolicy("app", namespace: ns, image: "ghcr.io/org/app", tag: "1.1.0", labels: ["auto": "yes"])
        try await env.createPolicy("sidecar", namespace: ns, image: "ghcr.io/org/sidecar", tag: "3.0")
        var spec = ImageUpdateAutomationTests.spec(pushBranch: "release-auto", path: "deploy")
        spec[path: "git", "checkout"] = ["ref": ["tag": "v1.0.0"]]
        spec[path: "git", "push", "refspec"] = "refs/heads/release-auto:refs/heads/mirror-auto"
        spec["policySelector"] = ["matchLabels": ["auto": "yes"]]
        try await env.createAutomation("auto", namespace: ns, spec: spec)

        let automation = try await env.waitFor("auto", namespace: ns, "a push") { $0.status?.lastPushCommit != nil }
        let pushed = try #require(automation.status?.lastPushCommit)
        #expect(try Git.git(["rev-parse", "refs/heads/release-auto"], in: repository.bare) == pushed)
        #expect(try Git.git(["rev-parse", "refs/heads/mirror-auto"], in: repository.bare) == pushed)
        #expect(try Git.git(["rev-parse", "\(pushed)^"], in: repository.bare) == tagged)
        let content = try Git.git(["show", "\(pushed):deploy/app.yaml"], in: repository.bare)
        #expect(content.contains("image: ghcr.io/org/app:1.1.0 #"))
        // The sidecar's policy is not selected: its marker keeps the old value.
        #expect(content.contains("image: \"ghcr.io/org/sidecar:2.0\" #"))
        #expect(automation.status?.observedPolicies?.keys.sorted() == ["app"])
        #expect(automation.status?.observedSourceRevision == "v1.0.0@sha1:\(tagged)")
        let events = try await env.client.eventMessages(about: "auto", namespace: ns)
        #expect(events["Succeeded"]?.contains {
            $0.contains("to branch 'release-auto' and refspecs 'refs/heads/release-auto:refs/heads/mirror-auto'")
        } == true)
    }

    /// Templates using a field Flux removed, a path leaving the repository, a selector that does not parse and a
    /// push branch that cannot be inferred stall with Flux's reasons.
    @Test func specProblemsStall() async throws {
        let env = try await ImageUpdateTestEnvironment.get()
        let ns = try await env.makeNamespace("iua-stall")
        defer { Task { await env.deleteAutomations(namespace: ns) } }
        let manifest = ImageUpdateAutomationTests.manifest.replacingOccurrences(of: "NS:", with: "\(ns):")
        let (_, url) = try env.makeRepository(ns, files: ["deploy/app.yaml": manifest])
        try await env.createGitRepository("source", namespace: ns, url: url)
        try await env.createPolicy("app", namespace: ns, image: "ghcr.io/org/app", tag: "1.1.0")

        var removed = ImageUpdateAutomationTests.spec()
        removed[path: "git", "commit", "messageTemplate"] = "{{ range .Updated.Images }}{{ . }}{{ end }}"
        try await env.createAutomation("removed", namespace: ns, spec: removed)
        try await env.createAutomation("escape", namespace: ns, spec: ImageUpdateAutomationTests.spec(path: "deploy/../../etc"))
        var selector = ImageUpdateAutomationTests.spec()
        selector["policySelector"] = ["matchExpressions": [["key": "team", "operator": "In"]]]
        try await env.createAutomation("selector", namespace: ns, spec: selector)
        var tagOnly = ImageUpdateAutomationTests.spec(pushBranch: nil)
        tagOnly[path: "git", "checkout"] = ["ref": ["tag": "v9"]]
        try await env.createAutomation("nopush", namespace: ns, spec: tagOnly)

        let expectations: [(String, String, String)] = [
            ("removed", "RemovedTemplateField", "template uses removed '.Updated' field"),
            ("escape", "InvalidPath", "points outside the repository"),
            ("selector", "InvalidPolicySelector", "failed to parse policy selector"),
            ("nopush", "InvalidSourceConfiguration", "push spec not provided"),
        ]
        for (name, reason, message) in expectations {
            let automation = try await env.waitFor(name, namespace: ns, "Stalled") { $0.conditions.isTrue(.stalled) }
            let stalled = try #require(automation.conditions[.stalled])
            #expect(stalled.reason.rawValue == reason, "\(name)")
            #expect(stalled.message.contains(message), "\(name): \(stalled.message)")
            #expect(automation.status?.lastPushCommit == nil)
        }
    }
}
