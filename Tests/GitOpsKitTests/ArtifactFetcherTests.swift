import Foundation
import Testing

@testable import GitOpsKit

@Suite struct ArtifactFetcherTests {
    typealias Support = ArtifactTestSupport

    /// A static file server for `root` (Python's http.server), like the source controller's artifact server.
    static func startFileServer(root: String) throws -> GitTestSupport.Server {
        let script = """
            import http.server, os, sys
            os.chdir(sys.argv[1])
            class Handler(http.server.SimpleHTTPRequestHandler):
                def log_message(self, *args): pass
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
            print(server.server_address[1], flush=True)
            server.serve_forever()
            """
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw Support.CommandFailure(command: ["pipe"], status: errno, output: "") }
        let pid = try GitTestSupport.spawn(["python3", "-c", script, root], stdout: fds[1])
        close(fds[1])
        let reader = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true)
        do {
            return GitTestSupport.Server(pid: pid, port: try GitTestSupport.readPort(from: reader))
        } catch {
            GitTestSupport.Server(pid: pid, port: 0).stop()
            throw error
        }
    }

    @Test func fetchesVerifiesAndExtractsAStoredArtifact() async throws {
        let work = try Support.makeDirectory("fetch")
        defer { Support.cleanUp(work) }
        try ArtifactArchiverTests.makeTree(in: work + "/src", reverse: false)
        try FileManager.default.createDirectory(atPath: work + "/data", withIntermediateDirectories: true)
        let server = try Self.startFileServer(root: work + "/data")
        defer { server.stop() }
        let storage = ArtifactStorage(root: work + "/data", advertisedAddress: "127.0.0.1:\(server.port)")
        let object = ArtifactObject(kind: "GitRepository", namespace: "default", name: "app")
        let path = object.path(forFile: "abc.tar.gz")
        let summary = try await storage.archive(directory: work + "/src", to: path)
        let latestURL = try storage.link(path)

        let fetcher = ArtifactFetcher(client: HTTPClient(), temporaryDirectory: work + "/tmp")
        let result = try await fetcher.fetch(url: storage.url(for: path), digest: summary.digest, into: work + "/out")
        #expect(result.files == 8)
        #expect(try Support.read(work + "/out/deploy/app.yaml") == "kind: Deployment\n")
        #expect(try Support.read(work + "/out/" + ArtifactArchiverTests.veryLongPath) == "very long\n")
        // Through the latest.tar.gz link too.
        try await fetcher.fetch(url: latestURL, digest: summary.digest, into: work + "/out-latest")
        #expect(try Support.read(work + "/out-latest/README.md") == "# hello\n")
        // Staging files are cleaned up.
        #expect(try FileManager.default.contentsOfDirectory(atPath: work + "/tmp").isEmpty)

        // A wrong digest: nothing is extracted.
        let wrong = "sha256:" + String(repeating: "0", count: 64)
        await #expect(throws: ArtifactFetchError.digestMismatch(url: storage.url(for: path), expected: wrong, actual: summary.digest)) {
            try await fetcher.fetch(url: storage.url(for: path), digest: wrong, into: work + "/bad")
        }
        #expect(!Support.exists(work + "/bad"))

        // Not there (yet): a distinguishable error.
        let missing = storage.url(for: object.path(forFile: "missing.tar.gz"))
        await #expect {
            try await fetcher.fetch(url: missing, digest: summary.digest, into: work + "/missing")
        } throws: { error in
            (error as? ArtifactFetchError)?.isNotFound == true
        }

        // Digests that cannot be checked are refused before downloading.
        for digest in ["abc", "md5:d41d8cd98f00b204e9800998ecf8427e", "sha256:xyz", "sha256:" + String(repeating: "a", count: 10)] {
            await #expect(throws: ArtifactFetchError.unsupportedDigest(digest)) {
                try await fetcher.fetch(url: storage.url(for: path), digest: digest, into: work + "/never")
            }
        }

        // A download bigger than the limit is cut off.
        let small = ArtifactFetcher(client: HTTPClient(), limits: .init(maxTotalSize: 1000), temporaryDirectory: work + "/tmp")
        await #expect(throws: ArtifactFetchError.tooLarge(url: storage.url(for: path), limit: 1000)) {
            try await small.fetch(url: storage.url(for: path), digest: summary.digest, into: work + "/big")
        }

        // The host override sends the request elsewhere (here: to the same server under another name).
        var overridden = ArtifactFetcher(client: HTTPClient(), hostOverride: "localhost:\(server.port)", temporaryDirectory: work + "/tmp")
        #expect(overridden.effectiveURL("http://source-controller.flux-system.svc/a/b.tar.gz?x=1") == "http://localhost:\(server.port)/a/b.tar.gz?x=1")
        try await overridden.fetch(
            url: "http://source-controller.flux-system.svc.cluster.local./" + path, digest: summary.digest, into: work + "/out-override")
        #expect(Support.exists(work + "/out-override/README.md"))
        overridden.hostOverride = nil
        #expect(overridden.effectiveURL("http://a/b") == "http://a/b")
    }

    @Test func connectionFailuresAreTransportErrors() async throws {
        let work = try Support.makeDirectory("fetchdown")
        defer { Support.cleanUp(work) }
        // A port nothing listens on (bound and closed again).
        let port = try Support.python("import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1]); s.close()")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let fetcher = ArtifactFetcher(client: HTTPClient(), retries: 1, temporaryDirectory: work)
        await #expect {
            try await fetcher.fetch(url: "http://127.0.0.1:\(port)/x.tar.gz", digest: "sha256:" + String(repeating: "0", count: 64), into: work + "/out")
        } throws: { error in
            guard case .transport(let cause) = error as? ArtifactFetchError else { return false }
            return cause.code == .connectFailed
        }
    }
}
