import Foundation

/// Helm chart fixtures shared by the Helm tests: chart directories on disk and the real `helm` binary as an oracle.
public enum HelmFixtures {
    public static func chartYAML(name: String = "demo", version: String = "1.0.0", extra: String = "") -> String {
        "apiVersion: v2\nname: \(name)\nversion: \(version)\ndescription: A demo chart\ntype: application\n\(extra)"
    }

    /// A small chart whose ConfigMap shows `.Values.greeting`, `.Values.nested` and the chart version.
    public static let configMapTemplate = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {{ .Release.Name }}-config
        data:
          greeting: {{ .Values.greeting | quote }}
          color: {{ .Values.nested.color | quote }}
          size: {{ .Values.nested.size | quote }}
          chartVersion: {{ .Chart.Version | quote }}

        """

    /// Writes a chart directory `root/relative` with Chart.yaml, values.yaml, a template and extra values files.
    public static func writeChart(in root: String, at relative: String, name: String = "demo", version: String = "1.0.0",
                           values: String = "greeting: hello\nnested:\n  color: red\n  size: small\n",
                           extraFiles: [String: String] = [:]) throws {
        let base = relative.isEmpty ? "" : relative + "/"
        try HelmFixtures.write(chartYAML(name: name, version: version), to: base + "Chart.yaml", in: root)
        try HelmFixtures.write(values, to: base + "values.yaml", in: root)
        try HelmFixtures.write(configMapTemplate, to: base + "templates/configmap.yaml", in: root)
        for (path, text) in extraFiles { try HelmFixtures.write(text, to: base + path, in: root) }
    }

    /// The real helm binary: PATH (scripts/test.sh adds `.tools/bin`), then the package's `.tools/bin`.
    public static func helmPath() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        var candidates = path.split(separator: ":").map { "\($0)/helm" }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(packageRoot.appendingPathComponent(".tools/bin/helm").path)
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        throw ArtifactTestSupport.CommandFailure(command: ["helm"], status: 127,
                                                 output: "helm is not installed (run scripts/setup.sh)")
    }

    /// Runs helm with private config/cache directories under `home`.
    @discardableResult
    public static func helm(_ arguments: [String], home: String) throws -> String {
        try ArtifactTestSupport.run([try helmPath()] + arguments, environment: [
            "HOME": home, "HELM_CACHE_HOME": home + "/.helm-cache", "HELM_CONFIG_HOME": home + "/.helm-config",
            "HELM_DATA_HOME": home + "/.helm-data",
        ])
    }

    /// Writes `text` to `root/relative`, creating parent directories.
    public static func write(_ text: String, to relative: String, in root: String) throws {
        let path = root + "/" + relative
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }
}

/// A real Helm chart repository for the HelmRepository/HelmChart tests: charts made by the real `helm package`,
/// an index made by `helm repo index`, served by a small HTTP server (optionally behind basic auth), plus
/// hand-made bad charts and indexes next to them.
public final class HelmTestRepository: Sendable {
    public let root: String
    public let server: GitTestSupport.Server
    public let url: String

    /// Builds charts `demo` 0.1.0, 0.2.0, 0.3.0-rc.1, 1.0.0 and `other` 2.0.0, indexes them and starts serving.
    public static func start(username: String? = nil, password: String? = nil, tls: HelmTestPKI? = nil) throws
        -> HelmTestRepository
    {
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
        let server = try startServer(root: charts, username: username, password: password, tls: tls)
        return HelmTestRepository(root: root, server: server, url: "\(tls == nil ? "http" : "https")://127.0.0.1:\(server.port)")
    }

    private init(root: String, server: GitTestSupport.Server, url: String) {
        self.root = root
        self.server = server
        self.url = url
    }

    public func stop() {
        server.stop()
        ArtifactTestSupport.cleanUp(root)
    }

    public var chartsDirectory: String { root + "/charts" }

    /// Replaces `index.yaml` with `text`.
    public func writeIndex(_ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: chartsDirectory + "/index.yaml"))
    }

    /// `index.yaml` as served.
    public func index() throws -> String { try ArtifactTestSupport.read(chartsDirectory + "/index.yaml") }

    /// A chart archive (made with Python's `tarfile`) whose second entry climbs out: `demo/../../escape.yaml`.
    public static func writeHostileChart(to path: String, chartYAML: String) throws {
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
    public static func startServer(root: String, username: String?, password: String?, tls: HelmTestPKI? = nil) throws
        -> GitTestSupport.Server
    {
        let script = """
            import base64, functools, http.server, ssl, sys
            root, user, password, pki = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
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
            if pki:
                context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
                context.load_cert_chain(pki + "/server.crt", pki + "/server.key")
                context.load_verify_locations(pki + "/ca.crt")
                context.verify_mode = ssl.CERT_REQUIRED
                server.socket = context.wrap_socket(server.socket, server_side=True)
            print(server.server_address[1], flush=True)
            server.serve_forever()
            """
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw ArtifactTestSupport.CommandFailure(command: ["pipe"], status: errno, output: "") }
        let pid = try GitTestSupport.spawn(["python3", "-c", script, root, username ?? "", password ?? "", tls?.directory ?? ""], stdout: fds[1])
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

/// A throwaway PKI made with the `openssl` CLI for HTTPS Helm repositories: a CA, a server certificate for
/// 127.0.0.1 and a client certificate (the server requires one signed by the CA).
public struct HelmTestPKI: Sendable {
    public let directory: String

    public init(in directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        func openssl(_ arguments: [String]) throws {
            try ArtifactTestSupport.run(["openssl"] + arguments, in: directory)
        }
        try openssl(["req", "-x509"] + key + ["-keyout", "ca.key", "-out", "ca.crt", "-subj", "/CN=helm test ca", "-days", "2",
                     "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        for (name, extensions) in [("server", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n"),
                                   ("client", "extendedKeyUsage=clientAuth\n")]
        {
            try extensions.write(toFile: directory + "/\(name).ext", atomically: true, encoding: .utf8)
            try openssl(["req"] + key + ["-keyout", "\(name).key", "-out", "\(name).csr", "-subj", "/CN=\(name)"])
            try openssl(["x509", "-req", "-in", "\(name).csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                         "-out", "\(name).crt", "-days", "2", "-extfile", "\(name).ext"])
        }
    }

    /// A PEM file of the PKI as text (`ca.crt`, `client.crt`, `client.key`).
    public func text(_ name: String) throws -> String {
        try ArtifactTestSupport.read(directory + "/" + name)
    }
}
