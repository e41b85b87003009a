import Foundation
import GitOpsKit
import GitOpsTestSupport
import SourceControllerKit
import Testing

/// Reference resolution (semver, commit pins, tags, full names), SSH with host-key checking, and the spec the
/// controller refuses.
@Suite(.serialized)
struct GitRepositoryRefTests {
    @Test func referencesResolveWithFluxPrecedenceAndRevisions() async throws {
        let env = try await SourceTestEnvironment.get()
        let root = try ArtifactTestSupport.makeDirectory("git-refs")
        defer { ArtifactTestSupport.cleanUp(root) }
        let repository = try GitTestSupport.makeRepository(in: root)
        let a = try repository.commit(["version.txt": "1.0.0\n"], message: "v1.0.0")
        try repository.tag("v1.0.0")
        let b = try repository.commit(["version.txt": "1.2.0\n"], message: "v1.2.0")
        try repository.tag("v1.2.0", annotated: true)
        let c = try repository.commit(["version.txt": "2.0.0\n"], message: "v2.0.0")
        try repository.tag("v2.0.0")
        let server = try GitTestSupport.startHTTPServer(root: root)
        defer { server.stop() }
        let url = JSONValue.string("http://127.0.0.1:\(server.port)/remote.git")
        let ns = try await env.makeNamespace("git-refs")
        defer { Task { await env.deleteGitRepositories(namespace: ns) } }

        let cases: [(name: String, ref: JSONValue, revision: String)] = [
            ("semver", ["semver": ">=1.0.0 <2.0.0"], "v1.2.0@sha1:\(b)"),
            ("semver-wins-over-tag", ["semver": "~1.0", "tag": "v2.0.0", "branch": "main"], "v1.0.0@sha1:\(a)"),
            ("commit", ["commit": .string(a)], "sha1:\(a)"),
            ("commit-on-branch", ["commit": .string(a), "branch": "main"], "main@sha1:\(a)"),
            ("tag", ["tag": "v2.0.0", "branch": "main"], "v2.0.0@sha1:\(c)"),
            ("name", ["name": "refs/heads/main"], "refs/heads/main@sha1:\(c)"),
        ]
        for item in cases {
            try await env.createGitRepository(item.name, namespace: ns, spec: ["url": url, "interval": "1h", "ref": item.ref])
        }
        for item in cases {
            let repo = try await env.waitFor(item.name, namespace: ns, "Ready for \(item.name)") { $0.isReadyTrue }
            #expect(repo.artifact?.revision == item.revision, "\(item.name)")
        }
        // `file://` for local use: accepted by the CRD and the controller alike.
        try await env.createGitRepository("file", namespace: ns, spec: [
            "url": .string("file://\(root)/remote.git"), "interval": "1h", "ref": ["branch": "main"],
        ])
        let local = try await env.waitFor("file", namespace: ns, "Ready for a file:// URL") { $0.isReadyTrue }
        #expect(local.artifact?.revision == "main@sha1:\(c)")

        // The semver artifact holds the tagged tree.
        let semver = try await env.gitRepository("semver", namespace: ns)
        let directory = try ArtifactTestSupport.makeDirectory("semver")
        defer { ArtifactTestSupport.cleanUp(directory) }
        let artifact = try #require(semver.artifact)
        try await ArtifactFetcher(client: HTTPClient(), temporaryDirectory: env.scratch)
            .fetch(url: artifact.url, digest: try #require(artifact.digest), into: directory)
        #expect(try ArtifactTestSupport.read(directory + "/version.txt") == "1.2.0\n")

        // No tag matches: a precise failure.
        try await env.createGitRepository("no-match", namespace: ns, spec: ["url": url, "interval": "1h", "ref": ["semver": ">=3.0.0"]])
        let noMatch = try await env.waitFor("no-match", namespace: ns, "no semver match") { $0.isReadyFalse }
        #expect(noMatch.readyReason == "GitOperationFailed")
        #expect(noMatch.readyMessage.contains("no match found for semver: >=3.0.0"), "\(noMatch.readyMessage)")
        #expect(noMatch.artifact == nil)
    }

    @Test func sshWithKnownHostsAndAWrongHostKeyRefused() async throws {
        let env = try await SourceTestEnvironment.get()
        let root = try ArtifactTestSupport.makeDirectory("git-ssh")
        defer { ArtifactTestSupport.cleanUp(root) }
        let repository = try GitTestSupport.makeRepository(in: root + "/repo")
        let sshDirectory = root + "/ssh"
        try FileManager.default.createDirectory(atPath: sshDirectory, withIntermediateDirectories: true)
        let ssh = try GitTestSupport.startSSHServer(in: sshDirectory)
        defer { ssh.server.stop() }
        let ns = try await env.makeNamespace("git-ssh")
        defer { Task { await env.deleteGitRepositories(namespace: ns) } }
        try await env.createSecret("ssh", namespace: ns, data: [
            "identity": ssh.clientKey, "known_hosts": ssh.knownHostsLine + "\n",
        ])
        let url = JSONValue.string(ssh.url(for: repository.bare))
        try await env.createGitRepository("app", namespace: ns, spec: [
            "url": url, "interval": "1h", "ref": ["branch": "main"], "secretRef": ["name": "ssh"],
        ])
        let repo = try await env.waitFor("app", namespace: ns, timeout: .seconds(40), "Ready over SSH") { $0.isReadyTrue }
        #expect(repo.artifact?.revision == "main@sha1:\(try repository.head())")

        // Another host's key in known_hosts: refused, nothing fetched.
        let other = try GitTestSupport.makeKeyPair(in: sshDirectory, name: "impostor")
        let fields = other.publicKey.split(separator: " ")
        let wrongLine = "[127.0.0.1]:\(ssh.server.port) \(fields[0]) \(fields[1])\n"
        try await env.createSecret("wrong-host", namespace: ns, data: ["identity": ssh.clientKey, "known_hosts": wrongLine])
        try await env.createGitRepository("impostor", namespace: ns, spec: [
            "url": url, "interval": "1h", "ref": ["branch": "main"], "secretRef": ["name": "wrong-host"],
        ])
        let refused = try await env.waitFor("impostor", namespace: ns, timeout: .seconds(40), "host key refused") { $0.isReadyFalse }
        #expect(refused.readyReason == "AuthenticationFailed")
        #expect(refused.readyMessage.lowercased().contains("host key"), "\(refused.readyMessage)")
        #expect(refused.artifact == nil)

        // An identity without known_hosts is refused before connecting.
        try await env.createSecret("no-known-hosts", namespace: ns, data: ["identity": ssh.clientKey])
        try await env.createGitRepository("no-known-hosts", namespace: ns, spec: [
            "url": url, "interval": "1h", "secretRef": ["name": "no-known-hosts"],
        ])
        let missing = try await env.waitFor("no-known-hosts", namespace: ns, "known_hosts required") { $0.isReadyFalse }
        #expect(missing.readyReason == "AuthenticationFailed")
        #expect(missing.readyMessage.contains("known_hosts"), "\(missing.readyMessage)")
    }

    @Test func unsupportedFieldsStallAndSuspendedObjectsAreLeftAlone() async throws {
        let env = try await SourceTestEnvironment.get()
        let ns = try await env.makeNamespace("git-spec")
        defer { Task { await env.deleteGitRepositories(namespace: ns) } }
        try await env.createGitRepository("include", namespace: ns, spec: [
            "url": "https://example.invalid/repo.git", "interval": "1m",
            "include": [["repository": ["name": "other"]]],
        ])
        let stalled = try await env.waitFor("include", namespace: ns, "stalled") { $0.isReadyFalse }
        #expect(stalled.condition(.stalled)?.status == .true)
        #expect(stalled.readyReason == "UnsupportedField")
        #expect(stalled.readyMessage.contains("spec.include"), "\(stalled.readyMessage)")
        #expect(stalled.condition(.reconciling) == nil)

        try await env.createGitRepository("suspended", namespace: ns, spec: [
            "url": "https://example.invalid/repo.git", "interval": "1m", "suspend": true,
        ])
        // The finalizer shows the controller saw it; a suspended object gets no status.
        let seen = try await env.waitFor("suspended", namespace: ns, "finalizer added") {
            $0.metadata.hasFinalizer("finalizers.fluxcd.io")
        }
        try await Task.sleep(for: .milliseconds(500))
        #expect(try await env.gitRepository("suspended", namespace: ns).conditions.isEmpty, "\(seen)")
    }
}
