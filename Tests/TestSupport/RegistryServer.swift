import Foundation
import GitOpsKit

/// A real container registry for the image tests: Debian's `docker-registry` (distribution 2.8) on a loopback
/// port, filesystem storage in a scratch directory, htpasswd (bcrypt) basic auth. Images are pushed through the
/// registry's own HTTP API (blob upload POST + PUT for a config and a layer, then PUT of a Docker v2 manifest per
/// tag), so what the controller reads is what a real registry serves.
///
/// Usage:
/// ```swift
/// let registry = try await RegistryServer.start()
/// defer { registry.stop() }
/// let digests = try await registry.push("team/app", tags: ["1.0.0", "1.1.0"])
/// // spec.image: "\(registry.host)/team/app"
/// ```
public final class RegistryServer: Sendable {
    public let root: String
    public let port: Int
    public let username: String
    public let password: String
    private let server: GitTestSupport.Server
    private let client = HTTPClient()

    /// `127.0.0.1:<port>`.
    public var host: String { "127.0.0.1:\(port)" }
    public var baseURL: String { "http://\(host)" }

    private init(root: String, port: Int, username: String, password: String, server: GitTestSupport.Server) {
        self.root = root
        self.port = port
        self.username = username
        self.password = password
        self.server = server
    }

    /// Starts a registry requiring `username`/`password`; waits until it listens.
    public static func start(username: String = "registry", password: String = "s3cret-pass") async throws -> RegistryServer {
        let root = try ArtifactTestSupport.makeDirectory("registry")
        let htpasswd = try ArtifactTestSupport.run(["htpasswd", "-Bbn", username, password])
        try ArtifactTestSupport.write(htpasswd, to: "htpasswd", in: root, mode: 0o600)
        try ArtifactTestSupport.write("""
            version: 0.1
            log:
              level: info
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: \(root)/data
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:0
              secret: gitopskit-tests
            auth:
              htpasswd:
                realm: gitopskit-tests
                path: \(root)/htpasswd
            """, to: "config.yml", in: root)
        let log = root + "/registry.log"
        // The registry logs (including the bound address) to stderr only; a shell sends it to a file.
        let pid = try GitTestSupport.spawn(["sh", "-c", "exec docker-registry serve \"$0\" 2>\"$1\"", root + "/config.yml", log])
        let server = GitTestSupport.Server(pid: pid, port: 0)
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            let text = (try? ArtifactTestSupport.read(log)) ?? ""
            if let range = text.range(of: "listening on 127.0.0.1:") {
                let digits = text[range.upperBound...].prefix { $0.isNumber }
                if let port = Int(digits) {
                    return RegistryServer(root: root, port: port, username: username, password: password, server: server)
                }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        server.stop()
        let text = (try? ArtifactTestSupport.read(log)) ?? ""
        ArtifactTestSupport.cleanUp(root)
        throw ArtifactTestSupport.CommandFailure(command: ["docker-registry", "serve"], status: -1,
                                                 output: "the registry did not announce its address: \(text)")
    }

    public func stop() {
        server.stop()
        ArtifactTestSupport.cleanUp(root)
    }

    /// Pushes one small image per tag to `repository` (each with its own config, so each tag has its own
    /// digest) and returns the manifest digests by tag.
    @discardableResult
    public func push(_ repository: String, tags: [String]) async throws -> [String: String] {
        let layer = Array("layer of \(repository)".utf8)
        let layerDigest = try await uploadBlob(layer, repository: repository)
        var digests: [String: String] = [:]
        for tag in tags {
            let config = Array(#"{"architecture":"amd64","os":"linux","config":{"Labels":{"tag":"\#(tag)"}},"rootfs":{"type":"layers","diff_ids":["\#(layerDigest)"]}}"#.utf8)
            let configDigest = try await uploadBlob(config, repository: repository)
            let manifest = Array("""
                {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",\
                "config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":\(config.count),"digest":"\(configDigest)"},\
                "layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":\(layer.count),"digest":"\(layerDigest)"}]}
                """.utf8)
            var request = HTTPClientRequest(method: .put, url: "\(baseURL)/v2/\(repository)/manifests/\(tag)", body: manifest)
            request.headers["Content-Type"] = "application/vnd.docker.distribution.manifest.v2+json"
            let response = try await send(request)
            guard response.status == 201 else { throw failure("PUT manifest \(tag)", response) }
            digests[tag] = "sha256:" + Digest.sha256Hex(manifest)
        }
        return digests
    }

    /// Monolithic upload in two steps: `POST /blobs/uploads/` → `Location`, then `PUT <Location>&digest=…`.
    private func uploadBlob(_ bytes: [UInt8], repository: String) async throws -> String {
        let digest = "sha256:" + Digest.sha256Hex(bytes)
        let start = try await send(HTTPClientRequest(method: .post, url: "\(baseURL)/v2/\(repository)/blobs/uploads/", body: []))
        guard start.status == 202, let location = start.headers["Location"] else { throw failure("POST upload", start) }
        let absolute = location.hasPrefix("http") ? location : baseURL + location
        var put = HTTPClientRequest(method: .put, url: absolute + (absolute.contains("?") ? "&" : "?") + "digest=" + digest, body: bytes)
        put.headers["Content-Type"] = "application/octet-stream"
        let response = try await send(put)
        guard response.status == 201 else { throw failure("PUT blob", response) }
        return digest
    }

    private func send(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        var request = request
        request.headers["Authorization"] = "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
        return try await client.execute(request)
    }

    private func failure(_ what: String, _ response: HTTPClientResponse) -> any Error {
        ArtifactTestSupport.CommandFailure(command: [what], status: Int32(response.status), output: response.bodyText)
    }
}
