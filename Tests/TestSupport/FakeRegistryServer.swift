import Foundation
import GitOpsKit

/// A small HTTP server that answers like a registry, for what the real `docker-registry` cannot show: the Bearer
/// token flow (a token service at `/token`), malformed tag lists, huge tag counts without pushing manifests.
///
/// Its behaviour comes from a JSON file re-read on every request, so a test changes it while it runs:
/// `tags` (served paginated: `?n=` page size, `?last=` cursor, `Link: <…>; rel="next"`), `auth` (`none`,
/// `basic`, `token`), `username`/`password`, `malformed` (serve a broken tag list). Manifest HEAD/GET answer
/// any known tag with digest `sha256(manifest of <tag>)`. `/_requests` lists the paths requested so far.
public final class FakeRegistryServer: Sendable {
    public struct Behaviour: Codable, Sendable {
        public var tags: [String]
        public var auth: String
        public var username: String
        public var password: String
        public var malformed: Bool
        /// Page size when the client sends no `n`.
        public var defaultPageSize: Int

        public init(tags: [String], auth: String = "none", username: String = "", password: String = "",
                    malformed: Bool = false, defaultPageSize: Int = 100) {
            self.tags = tags
            self.auth = auth
            self.username = username
            self.password = password
            self.malformed = malformed
            self.defaultPageSize = defaultPageSize
        }
    }

    public let root: String
    public let port: Int
    private let server: GitTestSupport.Server

    public var host: String { "127.0.0.1:\(port)" }

    private init(root: String, port: Int, server: GitTestSupport.Server) {
        self.root = root
        self.port = port
        self.server = server
    }

    /// The manifest body served for `tag` (its digest is what a digest lookup must report).
    public static func manifest(for tag: String) -> String {
        #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","annotations":{"tag":"\#(tag)"}}"#
    }

    public static func digest(for tag: String) -> String { "sha256:" + Digest.sha256Hex(Array(manifest(for: tag).utf8)) }

    public static func start(_ behaviour: Behaviour) throws -> FakeRegistryServer {
        let root = try ArtifactTestSupport.makeDirectory("fake-registry")
        let script = #"""
            import base64, hashlib, http.server, json, sys, urllib.parse
            config_path = sys.argv[1]
            requests = []
            TOKEN = "fake-token-0123"
            class Handler(http.server.BaseHTTPRequestHandler):
                protocol_version = "HTTP/1.1"
                def log_message(self, *args): pass
                def reply(self, status, body=b"", headers=()):
                    self.send_response(status)
                    for key, value in headers: self.send_header(key, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if self.command != "HEAD": self.wfile.write(body)
                def basic_ok(self, config):
                    expected = "Basic " + base64.b64encode((config["username"] + ":" + config["password"]).encode()).decode()
                    return self.headers.get("Authorization", "") == expected
                def unauthorized(self, challenge):
                    body = json.dumps({"errors": [{"code": "UNAUTHORIZED", "message": "authentication required"}]}).encode()
                    self.reply(401, body, [("WWW-Authenticate", challenge), ("Content-Type", "application/json")])
                def handle_any(self):
                    config = json.load(open(config_path))
                    path, _, query = self.path.partition("?")
                    params = urllib.parse.parse_qs(query)
                    requests.append(self.path)
                    if path == "/_requests":
                        return self.reply(200, json.dumps(requests).encode())
                    if path == "/token":
                        if not self.basic_ok(config):
                            return self.reply(401, b'{"details":"incorrect username or password"}')
                        return self.reply(200, json.dumps({"token": TOKEN, "expires_in": 300}).encode())
                    if config["auth"] == "basic" and not self.basic_ok(config):
                        return self.unauthorized('Basic realm="fake"')
                    if config["auth"] == "token" and self.headers.get("Authorization", "") != "Bearer " + TOKEN:
                        repo = path[len("/v2/"):].rsplit("/", 2)[0] if path.startswith("/v2/") else ""
                        host = self.headers.get("Host")
                        return self.unauthorized('Bearer realm="http://%s/token",service="fake-registry",scope="repository:%s:pull"' % (host, repo))
                    if path.endswith("/tags/list"):
                        if config["malformed"]:
                            return self.reply(200, b'{"name": "app", "tags": ["1.0.0", ', [("Content-Type", "application/json")])
                        tags = sorted(config["tags"])
                        n = int(params.get("n", [config["defaultPageSize"]])[0])
                        last = params.get("last", [None])[0]
                        start = 0
                        if last is not None:
                            start = next((i + 1 for i, t in enumerate(tags) if t == last), len(tags))
                        page = tags[start:start + n]
                        headers = [("Content-Type", "application/json")]
                        if start + n < len(tags):
                            headers.append(("Link", '<%s?n=%d&last=%s>; rel="next"' % (path, n, urllib.parse.quote(page[-1]))))
                        name = path[len("/v2/"):-len("/tags/list")]
                        return self.reply(200, json.dumps({"name": name, "tags": page}).encode(), headers)
                    if "/manifests/" in path:
                        tag = path.rsplit("/", 1)[1]
                        if tag not in config["tags"]:
                            return self.reply(404, json.dumps({"errors": [{"code": "MANIFEST_UNKNOWN", "message": "manifest unknown"}]}).encode())
                        body = ('{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","annotations":{"tag":"%s"}}' % tag).encode()
                        digest = "sha256:" + hashlib.sha256(body).hexdigest()
                        return self.reply(200, body, [("Docker-Content-Digest", digest), ("Content-Type", "application/vnd.oci.image.manifest.v1+json")])
                    return self.reply(404)
                do_GET = handle_any
                do_HEAD = handle_any
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
            print(server.server_address[1], flush=True)
            server.serve_forever()
            """#
        let configPath = root + "/behaviour.json"
        try write(behaviour, to: configPath)
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw ArtifactTestSupport.CommandFailure(command: ["pipe"], status: errno, output: "") }
        let pid = try GitTestSupport.spawn(["python3", "-c", script, configPath], stdout: fds[1])
        close(fds[1])
        let reader = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true)
        do {
            let port = try GitTestSupport.readPort(from: reader)
            return FakeRegistryServer(root: root, port: port, server: GitTestSupport.Server(pid: pid, port: port))
        } catch {
            GitTestSupport.Server(pid: pid, port: 0).stop()
            throw error
        }
    }

    /// Replaces the behaviour (atomically: the server never reads half a file).
    public func update(_ behaviour: Behaviour) throws {
        try Self.write(behaviour, to: root + "/behaviour.json")
    }

    /// The request paths (with queries) served so far.
    public func requests() async throws -> [String] {
        let response = try await HTTPClient().execute(HTTPClientRequest(url: "http://\(host)/_requests"))
        return (try JSONValue(json: response.body).arrayValue ?? []).compactMap(\.stringValue)
    }

    public func stop() {
        server.stop()
        ArtifactTestSupport.cleanUp(root)
    }

    private static func write(_ behaviour: Behaviour, to path: String) throws {
        let data = try JSONEncoder().encode(behaviour)
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
