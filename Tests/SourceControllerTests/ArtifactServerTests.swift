import Foundation
import GitOpsKit
import GitOpsTestSupport
import Logging
import ServiceLifecycle
import Testing

@testable import SourceControllerKit

/// The artifact file server: files under the root are served (streamed, `HEAD` too, links inside the root
/// followed); directories, hidden files, traversal and links out of the root are 404.
@Suite struct ArtifactServerTests {
    @Test func servesFilesAndNothingElse() async throws {
        let root = try ArtifactTestSupport.makeDirectory("artifact-server")
        defer { ArtifactTestSupport.cleanUp(root) }
        let outside = try ArtifactTestSupport.makeDirectory("artifact-outside")
        defer { ArtifactTestSupport.cleanUp(outside) }
        let big = String(repeating: "0123456789abcdef", count: 64 * 1024)  // 1 MiB: streamed in chunks
        try ArtifactTestSupport.write(big, to: "gitrepository/ns/app/abc.tar.gz", in: root)
        try ArtifactTestSupport.write("tmp", to: "gitrepository/ns/app/.abc.tar.gz.tmp-1", in: root)
        try ArtifactTestSupport.write("secret", to: "passwd", in: outside)
        try FileManager.default.createSymbolicLink(atPath: root + "/gitrepository/ns/app/latest.tar.gz", withDestinationPath: "abc.tar.gz")
        try FileManager.default.createSymbolicLink(atPath: root + "/gitrepository/ns/app/escape", withDestinationPath: outside + "/passwd")

        var logger = Logger(label: "artifact-server-test")
        logger.logLevel = .warning
        let announced = AsyncGate()
        let server = ArtifactServer(storageRoot: root, address: ListenAddress(host: "127.0.0.1", port: 0), logger: logger) { _ in
            announced.open()
        }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [server], logger: logger))
        let running = Task { try await group.run() }
        defer { running.cancel() }
        let port = try await server.boundPort()
        try await announced.wait()
        let base = "http://127.0.0.1:\(port)"
        let http = HTTPClient()

        let file = try await http.execute(HTTPClientRequest(url: base + "/gitrepository/ns/app/abc.tar.gz"))
        #expect(file.status == 200)
        #expect(file.body.count == big.utf8.count)
        #expect(file.body == Array(big.utf8))
        let latest = try await http.execute(HTTPClientRequest(url: base + "/gitrepository/ns/app/latest.tar.gz"))
        #expect(latest.status == 200 && latest.body.count == big.utf8.count)
        var head = HTTPClientRequest(url: base + "/gitrepository/ns/app/abc.tar.gz")
        head.method = .head
        let headResponse = try await http.execute(head)
        #expect(headResponse.status == 200)
        #expect(headResponse.headers["Content-Length"] == String(big.utf8.count))

        for path in ["/gitrepository/ns/app/missing.tar.gz", "/gitrepository/ns/app", "/gitrepository/",
                     "/gitrepository/ns/app/.abc.tar.gz.tmp-1", "/gitrepository/ns/app/escape",
                     "/gitrepository/ns/app/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd"] {
            let response = try await http.execute(HTTPClientRequest(url: base + path))
            #expect(response.status == 404, "\(path) answered \(response.status)")
        }
        // The readiness probe path answers without listing anything.
        let index = try await http.execute(HTTPClientRequest(url: base + "/"))
        #expect(index.status == 200)
        #expect(!index.bodyText.contains("gitrepository"))
        await group.triggerGracefulShutdown()
        try await running.value
    }

    @Test func resolveRejectsUnsafePaths() throws {
        let root = try ArtifactTestSupport.makeDirectory("artifact-resolve")
        defer { ArtifactTestSupport.cleanUp(root) }
        try ArtifactTestSupport.write("x", to: "a/b.tar.gz", in: root)
        let resolvedRoot = try #require(ArtifactServer.realPath(root))
        #expect(ArtifactServer.resolve("/a/b.tar.gz", root: resolvedRoot) == resolvedRoot + "/a/b.tar.gz")
        #expect(ArtifactServer.resolve("/a/%62.tar.gz", root: resolvedRoot) == resolvedRoot + "/a/b.tar.gz")
        for unsafe in ["/../etc/passwd", "/a/../a/b.tar.gz", "/a/./b.tar.gz", "/a/%2e%2e/a/b.tar.gz", "/.hidden",
                       "/a/b.tar.gz%00", "/", "", "/a/missing"] {
            #expect(ArtifactServer.resolve(unsafe, root: resolvedRoot) == nil, "\(unsafe)")
        }
    }
}
