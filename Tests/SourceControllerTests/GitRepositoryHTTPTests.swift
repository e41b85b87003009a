import Foundation
import GitOpsKit
import GitOpsTestSupport
import SourceControllerKit
import Testing

/// GitRepository over smart HTTP with basic auth, walked through its life: first artifact (exactly the non-ignored
/// files, digest verified), new commits on `requestedAt`, retention, bad input keeping the last artifact, recovery,
/// deletion.
@Suite(.serialized)
struct GitRepositoryHTTPTests {
    @Test func basicAuthLifecycle() async throws {
        let env = try await SourceTestEnvironment.get()
        let root = try ArtifactTestSupport.makeDirectory("git-http")
        defer { ArtifactTestSupport.cleanUp(root) }
        let repository = try GitTestSupport.makeRepository(in: root)
        let first = try repository.commit([
            ".github/workflows/ci.yml": "on: push\n", "logo.png": "png", "notes.md": "private notes\n",
            "deploy/.sourceignore": "secret.txt\n", "deploy/secret.txt": "s3cr3t\n", "archive.tar.gz": "x",
        ], message: "Add manifests and clutter\n\nBody line.")
        let server = try GitTestSupport.startHTTPServer(root: root, username: "flux", password: "hunter2")
        defer { server.stop() }
        let url = "http://127.0.0.1:\(server.port)/remote.git"

        let ns = try await env.makeNamespace("git-http")
        try await env.createSecret("auth", namespace: ns, data: ["username": "flux", "password": "hunter2"])
        try await env.createGitRepository("app", namespace: ns, spec: [
            "url": .string(url), "interval": "1h", "ref": ["branch": "main"], "secretRef": ["name": "auth"],
            "ignore": "/notes.md\n",
        ])

        // First artifact.
        var repo = try await env.waitFor("app", namespace: ns, "Ready=True") { $0.isReadyTrue }
        let firstRevision = "main@sha1:\(first)"
        let artifact = try #require(repo.artifact)
        #expect(artifact.revision == firstRevision)
        #expect(repo.readyReason == "Succeeded")
        #expect(repo.readyMessage == "stored artifact for revision '\(firstRevision)'")
        #expect(repo.condition(.artifactInStorage)?.status == .true)
        #expect(repo.condition(.reconciling) == nil && repo.condition(.stalled) == nil)
        #expect(repo.status?.observedIgnore == "/notes.md\n")
        #expect(repo.observedGeneration == repo.generation)
        #expect(repo.metadata.finalizers == ["finalizers.fluxcd.io"])
        #expect(artifact.path == "gitrepository/\(ns)/app/\(first).tar.gz")
        let storagePort = try #require(URL(string: artifact.url)?.port)
        #expect(artifact.url == "http://127.0.0.1:\(storagePort)/\(artifact.path)")
        #expect(artifact.digest?.hasPrefix("sha256:") == true)
        #expect((artifact.size ?? 0) > 0)
        let files = try await env.downloadedFiles(of: artifact)
        #expect(files == ["README.md", "deploy/app.yaml", "deploy/.sourceignore", "scripts/run.sh"])

        // latest.tar.gz is the same file.
        let http = HTTPClient()
        let latest = try await http.execute(HTTPClientRequest(url: "http://127.0.0.1:\(storagePort)/gitrepository/\(ns)/app/latest.tar.gz"))
        #expect(latest.status == 200)
        #expect(Digest.prefixedHex(.sha256, latest.body) == artifact.digest)
        let events = try await env.eventReasons(for: "app", namespace: ns)
        #expect(events["NewArtifact"]?.contains("stored artifact for commit 'Add manifests and clutter'") == true, "\(events)")

        // A push is picked up on requestedAt; the token is echoed back.
        let second = try repository.commit(["deploy/service.yaml": "kind: Service\n"], message: "Add service")
        var token = try await env.requestReconcile("app", namespace: ns)
        repo = try await env.waitFor("app", namespace: ns, "second revision") {
            $0.status?.lastHandledReconcileAt == token && $0.artifact?.revision == "main@sha1:\(second)"
        }
        #expect(try await env.downloadedFiles(of: try #require(repo.artifact)).contains("deploy/service.yaml"))
        let third = try repository.commit(["deploy/config.yaml": "kind: ConfigMap\n"], message: "Add config")
        token = try await env.requestReconcile("app", namespace: ns)
        repo = try await env.waitFor("app", namespace: ns, "third revision") {
            $0.status?.lastHandledReconcileAt == token && $0.artifact?.revision == "main@sha1:\(third)"
        }
        let good = try #require(repo.artifact)
        // Retention keeps two artifact files: the current one and its predecessor.
        #expect(env.storedFiles(namespace: ns, name: "app") == ["\(second).tar.gz", "\(third).tar.gz"].sorted())

        // Wrong password: Ready=False with AuthenticationFailed; the last artifact stays advertised and served, also
        // once upstream has moved on. (Each step changes the spec or Secret so that no reconcile, however timed,
        // could succeed in between: reconciles are level-triggered and may run more often than requested.)
        try await env.updateSecret("auth", namespace: ns, data: ["username": "flux", "password": "wrong"])
        token = try await env.requestReconcile("app", namespace: ns)
        _ = try await env.waitFor("app", namespace: ns, "first auth failure") {
            $0.status?.lastHandledReconcileAt == token && $0.isReadyFalse
        }
        _ = try repository.commit(["x.yaml": "x: 1\n"], message: "Unreachable with a bad password")
        token = try await env.requestReconcile("app", namespace: ns)
        repo = try await env.waitFor("app", namespace: ns, "auth failure") {
            $0.status?.lastHandledReconcileAt == token && $0.isReadyFalse
        }
        #expect(repo.readyReason == "AuthenticationFailed")
        #expect(repo.readyMessage.contains("authentication"), "\(repo.readyMessage)")
        #expect(repo.condition(.fetchFailed)?.status == .true)
        #expect(repo.condition(.reconciling)?.reason.rawValue == "ProgressingWithRetry")
        #expect(repo.condition(.artifactInStorage)?.status == .true)
        #expect(repo.artifact == good)
        #expect(try await env.downloadedFiles(of: good).contains("deploy/config.yaml"))
        #expect(try await env.eventReasons(for: "app", namespace: ns)["AuthenticationFailed"] != nil)

        // Missing Secret (the good password is restored only once the object no longer uses it).
        try await env.modify("app", namespace: ns) { $0[path: "spec", "secretRef", "name"] = "missing" }
        repo = try await env.waitFor("app", namespace: ns, "missing secret") {
            $0.readyMessage.contains("failed to get secret")
        }
        #expect(repo.readyReason == "AuthenticationFailed")
        #expect(repo.readyMessage == "failed to get secret '\(ns)/missing': secrets \"missing\" not found")
        #expect(repo.artifact == good)
        try await env.updateSecret("auth", namespace: ns, data: ["username": "flux", "password": "hunter2"])

        // Unknown branch.
        try await env.modify("app", namespace: ns) {
            $0[path: "spec", "secretRef", "name"] = "auth"
            $0[path: "spec", "ref", "branch"] = "nope"
        }
        repo = try await env.waitFor("app", namespace: ns, "unknown branch") { $0.readyMessage.contains("nope") }
        #expect(repo.readyReason == "GitOperationFailed")
        #expect(repo.readyMessage.hasPrefix("failed to checkout and determine revision: "), "\(repo.readyMessage)")
        #expect(repo.readyMessage.contains("branch 'nope' does not exist"), "\(repo.readyMessage)")
        #expect(repo.artifact == good)

        // Unreachable URL.
        try await env.modify("app", namespace: ns) {
            $0[path: "spec", "ref", "branch"] = "main"
            $0[path: "spec", "url"] = "http://127.0.0.1:1/remote.git"
        }
        repo = try await env.waitFor("app", namespace: ns, "unreachable") {
            $0.isReadyFalse && $0.readyMessage.contains("127.0.0.1:1")
        }
        #expect(repo.readyReason == "GitOperationFailed")
        #expect(repo.artifact == good)

        // Recovery: back to the good URL, the newest commit is fetched.
        try await env.modify("app", namespace: ns) { $0[path: "spec", "url"] = .string(url) }
        let head = try repository.head()
        repo = try await env.waitFor("app", namespace: ns, "recovered") {
            $0.isReadyTrue && $0.artifact?.revision == "main@sha1:\(head)"
        }
        #expect(repo.condition(.fetchFailed) == nil)
        #expect(repo.condition(.reconciling) == nil)

        // Deletion removes the artifacts and the mirror, then the finalizer.
        let objectDirectory = env.storagePath + "/gitrepository/\(ns)/app"
        let mirror = env.storagePath + "/\(SourceControllerSetup.mirrorDirectory)/\(ns)/app.git"
        #expect(ArtifactTestSupport.exists(objectDirectory) && ArtifactTestSupport.exists(mirror))
        _ = try await env.client.delete(GitRepository.kind, ObjectKey(namespace: ns, name: "app"), options: DeleteOptions())
        let gone = try await eventuallyTrue(timeout: .seconds(20)) {
            try await env.client.getIfPresent(GitRepository.kind, ObjectKey(namespace: ns, name: "app")) == nil
        }
        #expect(gone, "the object was not released by the finalizer")
        #expect(!ArtifactTestSupport.exists(objectDirectory))
        #expect(!ArtifactTestSupport.exists(mirror))
    }
}

/// Polls `condition` every 100 ms until it holds or `timeout` passes.
func eventuallyTrue(timeout: Duration, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(100))
    }
    return try await condition()
}
