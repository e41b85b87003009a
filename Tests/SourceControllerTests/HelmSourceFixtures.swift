import Foundation
import GitOpsKit
import GitOpsTestSupport
import SourceControllerKit
import Testing

/// A real Helm chart repository for the HelmRepository/HelmChart tests: charts made by the real `helm package`,
/// an index made by `helm repo index`, served by a small HTTP server (optionally behind basic auth), plus
/// hand-made bad charts and indexes next to them.
final class HelmTestRepository: Sendable {
    let root: String
    let server: GitTestSupport.Server
    let url: String

    /// Builds charts `demo` 0.1.0, 0.2.0, 0.3.0-rc.1, 1.0.0 and `other` 2.0.0, indexes them and starts serving.
    static func start(username: String? = nil, password: String? = nil) throws -> HelmTestRepository {
        let root = try ArtifactTestSupport.makeDirectory("helm-repo")
        let charts = root + "/charts"
        let sources = root + "/src"
        for (name, version) in [("demo", "0.1.0"), ("demo", "0.2.0"), ("demo", "0.3.0-rc.1"), ("demo", "1.0.0"),
                                ("other", "2.0.0")]
        {
            let directory = "\(name)-\(version)"
            try HelmFixtures.writeChart(in: sources, at: directory, name: name, version: version,
                                        extraFiles: ["values-prod.yaml": "greeting: prod\nnested:\n  size: large\n"])
            try HelmFixtures.helm(["package", sources + "/" + directory, "-d", charts], home: root)
        }
        try HelmFixtures.helm(["repo", "index", charts], home: root)
        let server = try startServer(root: charts, username: username, password: password)
        return HelmTestRepository(root: root, server: server, url: "http://127.0.0.1:\(server.port)")
    }

    private init(root: String, server: GitTestSupport.Server, url: String) {
        self.root = root
        self.server = server
        self.url = url
    }

    func stop() {
        server.stop()
        ArtifactTestSupport.cleanUp(root)
    }

    var chartsDirectory: String { root + "/charts" }

    /// Replaces `index.yaml` with `text`.
    func writeIndex(_ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: chartsDirectory + "/index.yaml"))
    }

    /// `index.yaml` as served.
    func index() throws -> String { try ArtifactTestSupport.read(chartsDirectory + "/index.yaml") }

    /// A chart archive (made with Python's `tarfile`) whose second entry climbs out: `demo/../../escape.yaml`.
    static func writeHostileChart(to path: String, chartYAML: String) throws {
        try ArtifactTestSupport.python("""
            import io, sys, tarfile
            with tarfile.open(sys.argv[1], "w:gz") as archive:
                for name, data in (("demo/Chart.yaml", sys.argv[2].encode()), ("demo/../../escape.yaml", b"x: 1\\n")):
                    info = tarfile.TarInfo(name)
                    info.size = len(data)
                    archive.addfile(info, io.BytesIO(data))
            """, arguments: [path, chartYAML])
    }

    /// Serves `root` over HTTP (GET only), requiring basic auth when a username is given.
    static func startServer(root: String, username: String?, password: String?) throws -> GitTestSupport.Server {
        let script = """
            import base64, functools, http.server, sys
            root, user, password = sys.argv[1], sys.argv[2], sys.argv[3]
            class Handler(http.server.SimpleHTTPRequestHandler):
                def log_message(self, *args): pass
                def do_GET(self):
                    if user and self.headers.get("Authorization", "") != "Basic " + base64.b64encode((user + ":" + password).encode()).decode():
                        self.send_response(401)
                        self.send_header("WWW-Authenticate", 'Basic realm="charts"')
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        return
                    super().do_GET()
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=root))
            print(server.server_address[1], flush=True)
            server.serve_forever()
            """
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw WaitTimeout(description: "pipe() failed with errno \(errno)") }
        let pid = try GitTestSupport.spawn(["python3", "-c", script, root, username ?? "", password ?? ""], stdout: fds[1])
        close(fds[1])
        let reader = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true)
        do {
            return GitTestSupport.Server(pid: pid, port: try GitTestSupport.readPort(from: reader))
        } catch {
            GitTestSupport.Server(pid: pid, port: 0).stop()
            throw error
        }
    }
}

/// Objects and waits for the Helm kinds on the shared ``SourceTestEnvironment``.
extension SourceTestEnvironment {
    @discardableResult
    func createHelmRepository(_ name: String, namespace: String, spec: JSONValue) async throws -> JSONValue {
        try await client.create(
            ["apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "HelmRepository",
             "metadata": ["name": .string(name), "namespace": .string(namespace)], "spec": spec],
            options: WriteOptions())
    }

    @discardableResult
    func createHelmChart(_ name: String, namespace: String, spec: JSONValue) async throws -> JSONValue {
        try await client.create(
            ["apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "HelmChart",
             "metadata": ["name": .string(name), "namespace": .string(namespace)], "spec": spec],
            options: WriteOptions())
    }

    /// Applies `change` to a Helm object's JSON and updates it (retrying on conflicts).
    func modifyHelm(_ kind: GroupVersionKind, _ name: String, namespace: String, _ change: (inout JSONValue) -> Void)
        async throws
    {
        for attempt in 0..<5 {
            var object = try await client.get(kind, ObjectKey(namespace: namespace, name: name))
            change(&object)
            do {
                _ = try await client.update(object, options: WriteOptions())
                return
            } catch {
                guard error.code == .conflict, attempt < 4 else { throw error }
            }
        }
    }

    /// Polls a Flux source until `condition` holds; fails the test with the last status when it never does.
    @discardableResult
    func waitForSource<Object: FluxSource>(_ type: Object.Type, _ name: String, namespace: String,
                                           timeout: Duration = .seconds(30), _ what: String,
                                           sourceLocation: SourceLocation = #_sourceLocation,
                                           _ condition: (Object) -> Bool) async throws -> Object
    {
        let deadline = ContinuousClock.now + timeout
        var last: Object?
        while ContinuousClock.now < deadline {
            if let object = try? await client.get(Object.kind, ObjectKey(namespace: namespace, name: name)),
               let decoded = try? Object(from: object)
            {
                last = decoded
                if condition(decoded) { return decoded }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let status = last.map { "\($0.toJSON()["status"] ?? .null)" } ?? "object missing"
        Issue.record("timed out waiting for \(what) on \(Object.kind.kind) \(namespace)/\(name); status: \(status)",
                     sourceLocation: sourceLocation)
        throw WaitTimeout(description: what)
    }

    /// Downloads `artifact.url` to a file after checking the advertised digest.
    func downloadArtifactFile(_ artifact: Artifact, to file: String) async throws {
        let fetcher = ArtifactFetcher(client: HTTPClient(), temporaryDirectory: scratch)
        try await fetcher.download(url: artifact.url, digest: try #require(artifact.digest), to: file)
    }
}

extension FluxSource {
    func sourceCondition(_ type: ConditionType) -> Condition? { conditions[type] }
    var readyCondition: Condition? { conditions[.ready] }
}
