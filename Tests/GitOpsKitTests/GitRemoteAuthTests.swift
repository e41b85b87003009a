import Foundation
import Logging
import Testing

@testable import GitOpsKit

/// Fetches over real smart HTTP (`git http-backend`) and SSH (`sshd`) with the credentials Flux supports.
@Suite struct GitRemoteAuthTests {
    typealias Support = ArtifactTestSupport
    typealias Git = GitTestSupport

    func mirror(_ root: String) -> GitRepositoryMirror {
        GitRepositoryMirror(root: root + "/mirrors", logger: Logger(label: "test.git"))
    }

    @Test func httpBasicAuth() async throws {
        let root = try Support.makeDirectory("githttp")
        defer { Support.cleanUp(root) }
        let repository = try Git.makeRepository(in: root)
        let server = try Git.startHTTPServer(root: root, username: "flux", password: "s3cret")
        defer { server.stop() }
        let url = "http://127.0.0.1:\(server.port)/remote.git"
        let mirrors = mirror(root)

        let commit = try await mirrors.fetch(
            key: "ns/http", url: url, reference: GitReference(branch: "main"),
            credentials: GitCredentials(username: "flux", password: "s3cret"))
        #expect(commit.hash == (try repository.head()))

        // Incremental fetch over HTTP after a new commit.
        let next = try repository.commit(["deploy/extra.yaml": "kind: ConfigMap\n"], message: "More")
        let second = try await mirrors.fetch(
            key: "ns/http", url: url, reference: GitReference(branch: "main"),
            credentials: GitCredentials(username: "flux", password: "s3cret"))
        #expect(second.hash == next)

        await #expect {
            try await mirrors.fetch(
                key: "ns/http2", url: url, reference: GitReference(branch: "main"),
                credentials: GitCredentials(username: "flux", password: "wrong"))
        } throws: { error in
            guard let error = error as? GitError else { return false }
            return error.code == .authenticationFailed && error.message.contains("authentication failed")
        }
        await #expect {
            try await mirrors.fetch(key: "ns/http3", url: url, reference: GitReference(branch: "main"), credentials: .none)
        } throws: { error in
            (error as? GitError)?.code == .authenticationFailed
        }
    }

    @Test func httpBearerToken() async throws {
        let root = try Support.makeDirectory("gittoken")
        defer { Support.cleanUp(root) }
        let repository = try Git.makeRepository(in: root)
        let server = try Git.startHTTPServer(root: root, token: "tok-123")
        defer { server.stop() }
        let url = "http://127.0.0.1:\(server.port)/remote.git"
        let commit = try await mirror(root).fetch(
            key: "ns/tok", url: url, reference: GitReference(branch: "main"), credentials: GitCredentials(bearerToken: "tok-123"))
        #expect(commit.hash == (try repository.head()))
        await #expect {
            try await mirror(root).fetch(
                key: "ns/tok2", url: url, reference: GitReference(branch: "main"), credentials: GitCredentials(bearerToken: "nope"))
        } throws: { error in
            (error as? GitError)?.code == .authenticationFailed
        }
    }

    @Test func sshWithIdentityAndKnownHosts() async throws {
        let root = try Support.makeDirectory("gitssh")
        defer { Support.cleanUp(root) }
        let repository = try Git.makeRepository(in: root)
        let keys = root + "/ssh"
        try FileManager.default.createDirectory(atPath: keys, withIntermediateDirectories: true)
        let ssh = try Git.startSSHServer(in: keys)
        defer { ssh.server.stop() }
        let url = ssh.url(for: repository.bare)
        let mirrors = mirror(root)

        let credentials = GitCredentials(identity: ssh.clientKey, knownHosts: try KnownHosts(ssh.knownHostsLine + "\n"))
        let commit = try await mirrors.fetch(key: "ns/ssh", url: url, reference: GitReference(branch: "main"), credentials: credentials)
        #expect(commit.hash == (try repository.head()))
        #expect(commit.revision == "main@sha1:\(commit.hash)")

        // A known_hosts entry with another key for this host: refused before authenticating.
        let other = try Git.makeKeyPair(in: keys, name: "other_host").publicKey.split(separator: " ")
        let wrongHosts = try KnownHosts("[127.0.0.1]:\(ssh.server.port) \(other[0]) \(other[1])\n")
        await #expect {
            try await mirrors.fetch(
                key: "ns/ssh2", url: url, reference: GitReference(branch: "main"),
                credentials: GitCredentials(identity: ssh.clientKey, knownHosts: wrongHosts))
        } throws: { error in
            (error as? GitError) == GitError(
                .hostKeyVerificationFailed,
                "SSH host key verification failed: the key of [127.0.0.1]:\(ssh.server.port) does not match known_hosts")
        }
        // The host not listed at all (only the default port is).
        let unlisted = try KnownHosts("127.0.0.1 \(other[0]) \(other[1])\n")
        await #expect {
            try await mirrors.fetch(
                key: "ns/ssh3", url: url, reference: GitReference(branch: "main"),
                credentials: GitCredentials(identity: ssh.clientKey, knownHosts: unlisted))
        } throws: { error in
            guard let error = error as? GitError else { return false }
            return error.code == .hostKeyVerificationFailed && error.message.contains("is not in known_hosts")
        }
        // No known_hosts at all.
        await #expect {
            try await mirrors.fetch(
                key: "ns/ssh4", url: url, reference: GitReference(branch: "main"), credentials: GitCredentials(identity: ssh.clientKey))
        } throws: { error in
            (error as? GitError)?.code == .hostKeyVerificationFailed
        }
        // A client key the server does not accept.
        let stranger = try Git.makeKeyPair(in: keys, name: "stranger").privateKey
        await #expect {
            try await mirrors.fetch(
                key: "ns/ssh5", url: url, reference: GitReference(branch: "main"),
                credentials: GitCredentials(identity: stranger, knownHosts: try KnownHosts(ssh.knownHostsLine)))
        } throws: { error in
            (error as? GitError)?.code == .authenticationFailed
        }
    }

    @Test func knownHostsParsingAndMatching() throws {
        let key = Array("blob".utf8)
        let base64 = Data(key).base64EncodedString()
        let hashedSalt = Array("saltsaltsaltsaltsalt".utf8)
        let hashed = HMAC.code(.sha1, key: hashedSalt, message: Array("github.com".utf8))
        let text = """
            # comment
            example.com,10.0.0.1 ssh-ed25519 \(base64)
            [git.example.com]:2222 ssh-ed25519 \(base64)
            *.corp.example,!bad.corp.example ssh-ed25519 \(base64)
            |1|\(Data(hashedSalt).base64EncodedString())|\(Data(hashed).base64EncodedString()) ssh-ed25519 \(base64)
            @revoked revoked.example ssh-ed25519 \(base64)
            @cert-authority *.example ssh-ed25519 \(base64)
            garbage
            """
        let hosts = try KnownHosts(text)
        #expect(hosts.verify(host: "example.com", port: 22, key: key) == .trusted)
        #expect(hosts.verify(host: "10.0.0.1", port: 22, key: key) == .trusted)
        #expect(hosts.verify(host: "example.com", port: 22, key: Array("other".utf8)) == .mismatch)
        #expect(hosts.verify(host: "example.com", port: 2222, key: key) == .unknownHost)
        #expect(hosts.verify(host: "git.example.com", port: 2222, key: key) == .trusted)
        #expect(hosts.verify(host: "git.example.com", port: 22, key: key) == .unknownHost)
        #expect(hosts.verify(host: "a.corp.example", port: 22, key: key) == .trusted)
        #expect(hosts.verify(host: "bad.corp.example", port: 22, key: key) == .unknownHost)
        #expect(hosts.verify(host: "github.com", port: 22, key: key) == .trusted)
        #expect(hosts.verify(host: "revoked.example", port: 22, key: key) == .revoked)
        #expect(throws: GitError.self) { try KnownHosts("# nothing here\n") }
    }

    @Test func credentialsFromSecretData() throws {
        let secret: [String: [UInt8]] = [
            "username": Array("git".utf8), "password": Array("pw".utf8),
            "known_hosts": Array("example.com ssh-ed25519 AAAA\n".utf8),
        ]
        let credentials = try GitCredentials(secretData: secret)
        #expect(credentials.username == "git")
        #expect(credentials.password == "pw")
        #expect(credentials.knownHosts != nil)
        #expect(GitCredentials(bearerToken: "t").extraHeaders == ["Authorization: Bearer t"])
    }
}
