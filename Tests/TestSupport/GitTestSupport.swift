import Foundation


/// Real Git repositories and servers for the Git tests: repositories made with the `git` CLI, smart HTTP through
/// `git http-backend` behind a small Python CGI bridge with basic/bearer auth, and SSH through a private `sshd`.
public enum GitTestSupport {
    public typealias Support = ArtifactTestSupport

    public static let gitEnvironment = [
        "GIT_AUTHOR_NAME": "Test Author", "GIT_AUTHOR_EMAIL": "author@example.com",
        "GIT_COMMITTER_NAME": "Test Committer", "GIT_COMMITTER_EMAIL": "committer@example.com",
        "GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent-home-for-git-tests",
    ]

    @discardableResult
    public static func git(_ arguments: [String], in directory: String, date: Int? = nil) throws -> String {
        var environment = gitEnvironment
        if let date {
            environment["GIT_AUTHOR_DATE"] = "\(date) +0000"
            environment["GIT_COMMITTER_DATE"] = "\(date) +0000"
        }
        return try Support.run(["git"] + arguments, in: directory, environment: environment)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A work tree with a bare clone next to it that plays the remote.
    public struct Repository {
        public let work: String
        public let bare: String
        public var url: String { "file://" + bare }

        public init(work: String, bare: String) {
            self.work = work
            self.bare = bare
        }

        /// Writes files, commits them on the current branch, pushes to the bare repository; returns the hash.
        @discardableResult
        public func commit(_ files: [String: String], message: String, date: Int = 1_700_000_000) throws -> String {
            for (path, text) in files { try Support.write(text, to: path, in: work) }
            try GitTestSupport.git(["add", "-A"], in: work)
            try GitTestSupport.git(["commit", "-q", "-m", message], in: work, date: date)
            try GitTestSupport.git(["push", "-q", "origin", "HEAD"], in: work)
            return try GitTestSupport.git(["rev-parse", "HEAD"], in: work)
        }

        public func tag(_ name: String, annotated: Bool = false, date: Int = 1_700_000_000) throws {
            if annotated {
                try GitTestSupport.git(["tag", "-a", name, "-m", "release \(name)"], in: work, date: date)
            } else {
                try GitTestSupport.git(["tag", name], in: work)
            }
            try GitTestSupport.git(["push", "-q", "origin", "refs/tags/\(name)"], in: work)
        }

        public func head(_ reference: String = "HEAD") throws -> String {
            try GitTestSupport.git(["rev-parse", reference], in: work)
        }
    }

    /// `root/work` (branch `main`) and `root/remote.git`, with one initial commit.
    public static func makeRepository(in root: String) throws -> Repository {
        let repository = Repository(work: root + "/work", bare: root + "/remote.git")
        try FileManager.default.createDirectory(atPath: repository.work, withIntermediateDirectories: true)
        try git(["init", "-q", "--bare", "-b", "main", repository.bare], in: root)
        try git(["init", "-q", "-b", "main"], in: repository.work)
        try git(["remote", "add", "origin", repository.bare], in: repository.work)
        try repository.commit(
            ["README.md": "# demo\n", "deploy/app.yaml": "kind: Deployment\n", "scripts/run.sh": "#!/bin/sh\n"],
            message: "Initial commit\n\nWith a body.", date: 1_600_000_000)
        try git(["update-index", "--chmod=+x", "scripts/run.sh"], in: repository.work)
        try git(["commit", "-q", "-m", "Make run.sh executable"], in: repository.work, date: 1_600_000_100)
        try git(["push", "-q", "origin", "HEAD"], in: repository.work)
        return repository
    }

    /// A long-running child process (a server), stopped with `stop()`.
    public final class Server: @unchecked Sendable {
        // `pid`/`port` are set once in init; `stopped` is only touched by `stop`, which tests call from one task.
        public let pid: pid_t
        public let port: Int
        private var stopped = false

        public init(pid: pid_t, port: Int) {
            self.pid = pid
            self.port = port
        }

        var isRunning: Bool {
            var status: Int32 = 0
            return !stopped && waitpid(pid, &status, WNOHANG) == 0
        }

        public func stop() {
            guard !stopped else { return }
            stopped = true
            kill(pid, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
        }

        deinit { stop() }
    }

    /// Starts `arguments` with posix_spawn: stdout to `stdout` (or /dev/null), stderr to /dev/null, a clean signal
    /// mask, and no descriptor above 2 inherited. (Foundation's `Process` watches children through an inherited
    /// socket; `sshd` closes it at start-up and Foundation then blocks in `waitpid` forever, so servers are spawned
    /// directly.)
    public static func spawn(_ arguments: [String], stdout: Int32? = nil, environment: [String: String] = [:]) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if let stdout {
            posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // Close every other descriptor in the child: an inherited listening socket shared with the child can lose
        // O_NONBLOCK there and hang the test process's accept loop.
        try closeDescriptorsFrom3(&actions)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, envp)
        guard status == 0 else {
            throw Support.CommandFailure(command: arguments, status: status, output: "posix_spawn failed")
        }
        return pid
    }

    /// Adds glibc's `posix_spawn_file_actions_addclosefrom_np(actions, 3)` (glibc ≥ 2.34; Swift's Glibc module
    /// does not export it, so it is looked up at run time).
    static func closeDescriptorsFrom3(_ actions: inout posix_spawn_file_actions_t) throws {
        typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else {
            throw Support.CommandFailure(command: ["posix_spawn"], status: -1,
                                         output: "posix_spawn_file_actions_addclosefrom_np is missing (glibc < 2.34)")
        }
        let addCloseFrom = unsafeBitCast(symbol, to: AddCloseFrom.self)
        let status = addCloseFrom(&actions, 3)
        guard status == 0 else {
            throw Support.CommandFailure(command: ["posix_spawn"], status: status, output: "addclosefrom failed")
        }
    }

    /// Smart HTTP for every bare repository under `root` at `http://127.0.0.1:<port>/<name>.git`, requiring
    /// `Authorization: Basic user:pass` or `Bearer token` when given. Pushes (`receive-pack`) are enabled: the
    /// backend always sees a `REMOTE_USER`. `environment` is added to `git http-backend`'s (e.g. `GIT_CONFIG_COUNT`
    /// settings, which upload-pack honours as protected configuration).
    public static func startHTTPServer(root: String, username: String? = nil, password: String? = nil, token: String? = nil,
                                       environment: [String: String] = [:]) throws
        -> Server
    {
        let script = """
            import base64, http.server, os, subprocess, sys
            root, user, password, token = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
            class Handler(http.server.BaseHTTPRequestHandler):
                protocol_version = "HTTP/1.0"
                def log_message(self, *args): pass
                def authorized(self):
                    if not user and not token: return True
                    header = self.headers.get("Authorization", "")
                    if token and header == "Bearer " + token: return True
                    if user and header == "Basic " + base64.b64encode((user + ":" + password).encode()).decode(): return True
                    return False
                def handle_git(self):
                    if not self.authorized():
                        self.send_response(401)
                        self.send_header("WWW-Authenticate", 'Basic realm="git"')
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        return
                    path, _, query = self.path.partition("?")
                    if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                        body = b""
                        while True:
                            size = int(self.rfile.readline().strip().split(b";")[0], 16)
                            if size == 0:
                                self.rfile.readline()
                                break
                            body += self.rfile.read(size)
                            self.rfile.readline()
                    else:
                        length = int(self.headers.get("Content-Length") or 0)
                        body = self.rfile.read(length) if length else b""
                    env = dict(os.environ, GIT_PROJECT_ROOT=root, GIT_HTTP_EXPORT_ALL="1", PATH_INFO=path,
                               QUERY_STRING=query, REQUEST_METHOD=self.command, REMOTE_ADDR="127.0.0.1",
                               CONTENT_TYPE=self.headers.get("Content-Type", ""), CONTENT_LENGTH=str(len(body)),
                               REMOTE_USER=user or "anonymous")
                    if self.headers.get("Content-Encoding"): env["HTTP_CONTENT_ENCODING"] = self.headers["Content-Encoding"]
                    if self.headers.get("Git-Protocol"): env["GIT_PROTOCOL"] = self.headers["Git-Protocol"]
                    out = subprocess.run(["git", "http-backend"], input=body, env=env, capture_output=True).stdout
                    head, _, payload = out.partition(b"\\r\\n\\r\\n")
                    status = 200
                    headers = []
                    for line in head.split(b"\\r\\n"):
                        key, _, value = line.decode().partition(":")
                        if key.lower() == "status": status = int(value.strip().split()[0])
                        elif key: headers.append((key, value.strip()))
                    self.send_response(status)
                    for key, value in headers: self.send_header(key, value)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                do_GET = handle_git
                do_POST = handle_git
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
            print(server.server_address[1], flush=True)
            server.serve_forever()
            """
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw Support.CommandFailure(command: ["pipe"], status: errno, output: "") }
        let pid = try spawn(
            ["python3", "-c", script, root, username ?? "", password ?? "", token ?? ""], stdout: fds[1],
            environment: gitEnvironment.merging(environment) { _, new in new })
        close(fds[1])
        let reader = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true)
        do {
            return Server(pid: pid, port: try readPort(from: reader))
        } catch {
            Server(pid: pid, port: 0).stop()
            throw error
        }
    }

    public static func readPort(from handle: FileHandle) throws -> Int {
        var line = Data()
        while true {
            let byte = handle.readData(ofLength: 1)
            guard let first = byte.first else { break }
            if first == UInt8(ascii: "\n") { break }
            line.append(first)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            throw Support.CommandFailure(command: ["server"], status: -1, output: "no port announced")
        }
        return port
    }

    /// An ed25519 key pair: (private key text, `ssh-ed25519 AAAA…` public line).
    public static func makeKeyPair(in directory: String, name: String) throws -> (privateKey: String, publicKey: String) {
        let path = directory + "/" + name
        try Support.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", path])
        return (try Support.read(path), try Support.read(path + ".pub").trimmingCharacters(in: .whitespacesAndNewlines))
    }

    public struct SSHServer {
        public let server: Server
        /// A `known_hosts` line for this server.
        public let knownHostsLine: String
        public let user: String
        /// The private key the server accepts.
        public let clientKey: String

        public func url(for path: String) -> String { "ssh://\(user)@127.0.0.1:\(server.port)\(path)" }
    }

    /// `sshd` on a free loopback port, accepting one generated ed25519 client key for the current user.
    public static func startSSHServer(in directory: String) throws -> SSHServer {
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        let host = try makeKeyPair(in: directory, name: "host_key")
        let client = try makeKeyPair(in: directory, name: "client_key")
        try Support.write(client.publicKey + "\n", to: "authorized_keys", in: directory, mode: 0o600)
        let user = try Support.run(["id", "-un"]).trimmingCharacters(in: .whitespacesAndNewlines)
        for _ in 0..<5 {
            let port = try freePort()
            let config = """
                Port \(port)
                ListenAddress 127.0.0.1
                HostKey \(directory)/host_key
                PidFile \(directory)/sshd.pid
                AuthorizedKeysFile \(directory)/authorized_keys
                UsePAM no
                StrictModes no
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                PubkeyAuthentication yes
                PermitRootLogin prohibit-password
                LogLevel ERROR
                """
            try Support.write(config + "\n", to: "sshd_config", in: directory, mode: 0o600)
            let pid = try spawn(["/usr/sbin/sshd", "-D", "-e", "-f", directory + "/sshd_config"])
            let server = Server(pid: pid, port: port)
            if waitForListener(port: port, server: server) {
                let hostKeyFields = host.publicKey.split(separator: " ")
                let knownHosts = "[127.0.0.1]:\(port) \(hostKeyFields[0]) \(hostKeyFields[1])"
                return SSHServer(server: server, knownHostsLine: knownHosts, user: user, clientKey: client.privateKey)
            }
            server.stop()
        }
        throw Support.CommandFailure(command: ["sshd"], status: -1, output: "sshd did not start")
    }

    private static func freePort() throws -> Int {
        let port = try Support.python(
            "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1]); s.close()")
        return Int(port.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    private static func waitForListener(port: Int, server: Server) -> Bool {
        for _ in 0..<100 {
            guard server.isRunning else { return false }
            let probe = try? Support.python(
                "import socket, sys; s = socket.socket(); s.settimeout(0.2); print(s.connect_ex(('127.0.0.1', int(sys.argv[1]))))",
                arguments: [String(port)])
            if probe?.trimmingCharacters(in: .whitespacesAndNewlines) == "0" { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return false
    }
}
