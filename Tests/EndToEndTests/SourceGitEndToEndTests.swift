import Foundation
import GitOpsKit
import GitOpsTestSupport
import KubeEmulator
import Testing

/// The real `source-controller` binary against a KubeEmulator and a real Git smart-HTTP server (basic auth), in one
/// scenario: first artifact, a push picked up within the interval, events POSTed to `--events-addr`, a SIGKILL in
/// the middle of fetching a big repository, a restart that converges and serves the same digests, and deletion.
@Suite(.serialized)
struct SourceGitEndToEndTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func pushRestartAndDeletion() async throws {
        try await KubeEmulator.withRunning { endpoint in
            let directory = try TemporaryDirectory()
            let kubeconfig = directory.path + "/kubeconfig"
            try endpoint.writeKubeconfig(to: kubeconfig)
            let api = KubeClient(config: try KubeConfig.load(kubeconfigPaths: [kubeconfig]))
            try await Self.installSourceCRDs(api)
            let ns = "e2e-git"
            _ = try await api.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(ns)]],
                                     options: WriteOptions())

            // Upstream: a small repository and a big one (random content, slow to pack) behind basic auth.
            let gitRoot = directory.path + "/git"
            let app = try GitTestSupport.makeRepository(in: gitRoot + "/app")
            let big = try GitTestSupport.makeRepository(in: gitRoot + "/big")
            try ArtifactTestSupport.python("""
                import os, sys
                root = sys.argv[1]
                for i in range(12):
                    with open(os.path.join(root, "blob%02d.bin" % i), "wb") as f: f.write(os.urandom(2 * 1024 * 1024))
                """, arguments: [big.work])
            _ = try big.commit([:], message: "Add 24 MiB of incompressible blobs")
            let server = try GitTestSupport.startHTTPServer(root: gitRoot, username: "git", password: "s3cret")
            defer { server.stop() }
            let events = try EventSink.start(in: directory.path)
            defer { events.server.stop() }

            let secret: JSONValue = ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "auth", "namespace": .string(ns)],
                                     "stringData": ["username": "git", "password": "s3cret"]]
            _ = try await api.create(secret, options: WriteOptions())
            func gitRepository(_ name: String, interval: String) -> JSONValue {
                ["apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
                 "metadata": ["name": .string(name), "namespace": .string(ns)],
                 "spec": ["url": .string("http://127.0.0.1:\(server.port)/\(name)/remote.git"), "interval": .string(interval),
                          "ref": ["branch": "main"], "secretRef": ["name": "auth"]]]
            }

            let storage = directory.path + "/storage"
            let storagePort = try freePort()
            let arguments = ["--kubeconfig", kubeconfig, "--metrics-addr", "0", "--health-addr", "127.0.0.1:\(try freePort())",
                             "--storage-path", storage, "--storage-addr", "127.0.0.1:\(storagePort)",
                             "--storage-adv-addr", "127.0.0.1:\(storagePort)", "--events-addr", events.url,
                             "--min-retry-delay", "200ms", "--max-retry-delay", "2s", "--log-level", "debug"]
            var controller = try ControllerProcessRunner(binary: try executable("source-controller"), arguments: arguments,
                                                         directory: directory)
            defer { controller.kill() }

            // First artifact, then a push picked up by the interval alone.
            _ = try await api.create(gitRepository("app", interval: "2s"), options: WriteOptions())
            let first = try await Self.waitForRevision(api, ns, "app", "main@sha1:\(try app.head())", controller)
            let pushed = try app.commit(["deploy/new.yaml": "kind: ConfigMap\n"], message: "Push without a request")
            let second = try await Self.waitForRevision(api, ns, "app", "main@sha1:\(pushed)", controller)
            #expect(second.digest != first.digest)
            try await Self.expectDownloadable(second, in: directory.path, contains: "deploy/new.yaml")
            let posted = try await eventually(timeout: .seconds(10)) { events.bodies().contains { $0.contains("NewArtifact") } }
            #expect(posted, "no NewArtifact event reached --events-addr: \(events.bodies())")
            let newArtifact = events.bodies().first { $0.contains("Push without a request") } ?? ""
            #expect(newArtifact.contains("\"source.toolkit.fluxcd.io/revision\":\"main@sha1:\(pushed)\""), "\(newArtifact)")
            #expect(newArtifact.contains("\"reportingController\":\"source-controller\""))

            // Kill the controller while it fetches the big repository, then restart it.
            _ = try await api.create(gitRepository("big", interval: "1h"), options: WriteOptions())
            let fetching = try await eventually(timeout: .seconds(20)) {
                FileManager.default.fileExists(atPath: storage + "/.git-mirrors/\(ns)/big.git")
            }
            #expect(fetching, "the big fetch never started; log: \(controller.log())")
            controller.kill()
            _ = try await controller.waitForExit(timeout: .seconds(10))
            let beforeRestart = try await api.get(GitRepository.kind, ObjectKey(namespace: ns, name: "big"))
            #expect(beforeRestart[path: "status", "artifact"] == nil, "the big fetch finished before the kill; not a mid-fetch restart")

            controller = try ControllerProcessRunner(binary: try executable("source-controller"), arguments: arguments,
                                                     directory: directory)
            let bigArtifact = try await Self.waitForRevision(api, ns, "big", "main@sha1:\(try big.head())", controller,
                                                             timeout: .seconds(90))
            try await Self.expectDownloadable(bigArtifact, in: directory.path, contains: "blob11.bin")
            // The small repository's artifact is served again, with the same digest (same content → same bytes).
            let afterRestart = try await Self.waitForRevision(api, ns, "app", "main@sha1:\(pushed)", controller)
            #expect(afterRestart.digest == second.digest)
            try await Self.expectDownloadable(afterRestart, in: directory.path, contains: "deploy/new.yaml")

            // Deletion removes every artifact of the object.
            _ = try await api.delete(GitRepository.kind, ObjectKey(namespace: ns, name: "app"), options: DeleteOptions())
            let removed = try await eventually(timeout: .seconds(20)) {
                let object = try await api.getIfPresent(GitRepository.kind, ObjectKey(namespace: ns, name: "app"))
                return object == nil && !FileManager.default.fileExists(atPath: storage + "/gitrepository/\(ns)/app")
            }
            #expect(removed, "artifacts or object left after deletion; log: \(controller.log())")
            let stillServed = try await HTTPClient().execute(HTTPClientRequest(url: afterRestart.url))
            #expect(stillServed.status == 404)

            controller.terminate()
            #expect(try await controller.waitForExit(timeout: .seconds(20)) == 0, "\(controller.log())")
        }
    }

    // MARK: Helpers

    static func installSourceCRDs(_ api: KubeClient) async throws {
        try await installCRDs(api, group: "source.toolkit.fluxcd.io")
    }

    /// Applies the CRDs of `config/crd/bases` (of one API group, or all) and waits until they are Established.
    static func installCRDs(_ api: KubeClient, group: String? = nil) async throws {
        try await api.installCRDs(from: packageRoot.appendingPathComponent("config/crd/bases").path,
                                  groups: group.map { [$0] }, fieldManager: "e2e")
    }

    static func waitForRevision(_ api: KubeClient, _ ns: String, _ name: String, _ revision: String,
                                _ controller: ControllerProcessRunner, timeout: Duration = .seconds(30)) async throws -> Artifact
    {
        var last: JSONValue = .null
        let reached = try await eventually(timeout: timeout) {
            guard let object = try? await api.get(GitRepository.kind, ObjectKey(namespace: ns, name: name)) else { return false }
            last = object["status"] ?? .null
            let repository = try GitRepository(from: object)
            return repository.artifact?.revision == revision && repository.conditions.isTrue(.ready)
        }
        guard reached else {
            Issue.record("\(name) never reached \(revision); status \(last); log: \(controller.log().suffix(4000))")
            throw EndToEndError("timeout")
        }
        let object = try await api.get(GitRepository.kind, ObjectKey(namespace: ns, name: name))
        return try #require(try GitRepository(from: object).artifact)
    }

    /// Downloads the artifact, verifies its digest and checks one file is in it.
    static func expectDownloadable(_ artifact: Artifact, in directory: String, contains file: String) async throws {
        let target = directory + "/extract-\(UUID().uuidString)"
        try await ArtifactFetcher(client: HTTPClient(), temporaryDirectory: directory)
            .fetch(url: artifact.url, digest: try #require(artifact.digest), into: target)
        #expect(FileManager.default.fileExists(atPath: target + "/" + file), "\(file) missing from \(artifact.url)")
        try? FileManager.default.removeItem(atPath: target)
    }
}

/// A stand-in notification-controller: records every POSTed body (one per line) and answers 202.
struct EventSink {
    let server: GitTestSupport.Server
    let file: String
    var url: String { "http://127.0.0.1:\(server.port)/" }

    static func start(in directory: String) throws -> EventSink {
        let file = directory + "/events.jsonl"
        FileManager.default.createFile(atPath: file, contents: nil)
        let script = """
            import http.server, sys
            path = sys.argv[1]
            class Handler(http.server.BaseHTTPRequestHandler):
                def log_message(self, *args): pass
                def do_POST(self):
                    body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                    with open(path, "ab") as f: f.write(body.replace(b"\\n", b" ") + b"\\n")
                    self.send_response(202)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
            print(server.server_address[1], flush=True)
            server.serve_forever()
            """
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw EndToEndError("pipe failed") }
        let pid = try GitTestSupport.spawn(["python3", "-c", script, file], stdout: fds[1])
        close(fds[1])
        let reader = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true)
        return EventSink(server: GitTestSupport.Server(pid: pid, port: try GitTestSupport.readPort(from: reader)), file: file)
    }

    func bodies() -> [String] {
        ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }
}
