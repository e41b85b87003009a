import Foundation
import GitOpsKit
import GitOpsTestSupport

/// A stand-in for Slack, Teams, Discord, GitHub's API and plain webhooks: a separate process (Python's
/// `http.server`) that records every request's method, path, headers and body and answers as the real service
/// does on success — `200 ok` (Slack, Teams, webhooks), `204` under `/discord`, `201` for a commit status.
struct RequestRecorder {
    struct Request: Sendable {
        var method: String
        var path: String
        var headers: [String: String]
        var body: String

        var json: JSONValue? { try? JSONValue(json: Array(body.utf8)) }
        func header(_ name: String) -> String? { headers.first { $0.key.lowercased() == name.lowercased() }?.value }
    }

    let server: GitTestSupport.Server
    let file: String

    func url(_ path: String) -> String { "http://127.0.0.1:\(server.port)\(path)" }

    static func start(in directory: String) throws -> RequestRecorder {
        let file = directory + "/requests-\(UUID().uuidString).jsonl"
        FileManager.default.createFile(atPath: file, contents: nil)
        let script = """
            import http.server, json, sys, threading
            path = sys.argv[1]
            lock = threading.Lock()
            class Handler(http.server.BaseHTTPRequestHandler):
                protocol_version = "HTTP/1.1"
                def log_message(self, *args): pass
                def do_POST(self):
                    body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                    record = {"method": self.command, "path": self.path, "headers": dict(self.headers.items()),
                              "body": body.decode("utf-8", "replace")}
                    with lock, open(path, "a") as f: f.write(json.dumps(record) + "\\n")
                    status, answer = 200, b"ok"
                    if self.path.startswith("/discord"): status, answer = 204, b""
                    if "/statuses/" in self.path: status, answer = 201, b"{}"
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
            print(server.server_address[1], flush=True)
            server.serve_forever()
            """
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw EndToEndError("pipe failed") }
        let pid = try GitTestSupport.spawn(["python3", "-c", script, file], stdout: fds[1])
        close(fds[1])
        let reader = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true)
        return RequestRecorder(server: GitTestSupport.Server(pid: pid, port: try GitTestSupport.readPort(from: reader)),
                               file: file)
    }

    /// Every request so far, oldest first.
    func requests() -> [Request] {
        let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            guard let record = try? JSONValue(json: Array(line.utf8)) else { return nil }
            return Request(method: record["method"]?.stringValue ?? "", path: record["path"]?.stringValue ?? "",
                           headers: record["headers"]?.objectValue?.compactMapValues(\.stringValue) ?? [:],
                           body: record["body"]?.stringValue ?? "")
        }
    }

    /// The requests whose path starts with `prefix`.
    func requests(to prefix: String) -> [Request] { requests().filter { $0.path.hasPrefix(prefix) } }
}
