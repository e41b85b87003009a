import Foundation
import GitOpsKit
import GitOpsTestSupport
@testable import ImageAutomationControllerKit
import Testing

/// ``RegistryClient`` against the real `docker-registry` (basic auth, pushed images) and a registry look-alike
/// (pagination, Bearer tokens, malformed and oversized answers).
@Suite(.serialized)
struct ImageRegistryClientTests {
    func client(_ host: String, repository: String, credentials: RegistryCredentials? = nil, pageSize: Int = 1000,
                timeout: Duration = .seconds(10)) throws -> RegistryClient {
        RegistryClient(http: HTTPClient(), image: try ImageReference(parsing: "\(host)/\(repository)", insecure: true),
                       credentials: credentials, timeout: timeout, pageSize: pageSize)
    }

    @Test func realRegistryBasicAuthTagsAndDigests() async throws {
        let registry = try await RegistryServer.start()
        defer { registry.stop() }
        let digests = try await registry.push("team/app", tags: ["1.0.0", "1.1.0", "1.2.0-rc.1", "2.0.0"])
        let good = try client(registry.host, repository: "team/app",
                              credentials: RegistryCredentials(username: registry.username, password: registry.password))
        #expect(try await good.listTags().sorted() == ["1.0.0", "1.1.0", "1.2.0-rc.1", "2.0.0"])
        #expect(try await good.digest(ofTag: "1.1.0") == digests["1.1.0"])
        // Pages of one tag each: the registry's own `Link` headers.
        var paged = good
        paged.pageSize = 1
        #expect(try await paged.listTags().sorted() == ["1.0.0", "1.1.0", "1.2.0-rc.1", "2.0.0"])

        let wrong = try client(registry.host, repository: "team/app",
                               credentials: RegistryCredentials(username: registry.username, password: "nope"))
        await #expect {
            _ = try await wrong.listTags()
        } throws: { error in
            guard let error = error as? RegistryError, case .unauthorized(_, _, 401, _, true) = error else { return false }
            return error.description.contains("401 Unauthorized") && error.description.contains("rejected the credentials")
        }
        let anonymous = try client(registry.host, repository: "team/app")
        await #expect {
            _ = try await anonymous.listTags()
        } throws: { error in
            (error as? RegistryError)?.description.contains("the registry requires credentials (set spec.secretRef)") == true
        }
        await #expect {
            _ = try await good.digest(ofTag: "9.9.9")
        } throws: { error in
            guard let error = error as? RegistryError, case .status(_, _, 404, _) = error else { return false }
            return true
        }
    }

    @Test func paginatesWithLinkHeaders() async throws {
        let tags = (0..<250).map { String(format: "tag-%03d", $0) }
        let fake = try FakeRegistryServer.start(.init(tags: tags))
        defer { fake.stop() }
        let listed = try await client(fake.host, repository: "org/app", pageSize: 100).listTags()
        #expect(listed == tags)
        let pages = try await fake.requests().filter { $0.contains("/tags/list") }
        #expect(pages == ["/v2/org/app/tags/list?n=100", "/v2/org/app/tags/list?n=100&last=tag-099",
                          "/v2/org/app/tags/list?n=100&last=tag-199"])
    }

    @Test func bearerTokenFlow() async throws {
        let fake = try FakeRegistryServer.start(.init(tags: ["1.0.0", "2.0.0"], auth: "token", username: "robot", password: "pw"))
        defer { fake.stop() }
        let good = try client(fake.host, repository: "org/app", credentials: RegistryCredentials(username: "robot", password: "pw"),
                              pageSize: 1)
        #expect(try await good.listTags() == ["1.0.0", "2.0.0"])
        // One token for every page: 401, token, then both pages with the token.
        let requests = try await fake.requests()
        #expect(requests.filter { $0.hasPrefix("/token") }.count == 1, "\(requests)")
        #expect(try await good.digest(ofTag: "2.0.0") == FakeRegistryServer.digest(for: "2.0.0"))

        let wrong = try client(fake.host, repository: "org/app", credentials: RegistryCredentials(username: "robot", password: "x"))
        await #expect {
            _ = try await wrong.listTags()
        } throws: { error in
            guard let error = error as? RegistryError, error.isAuthenticationFailure else { return false }
            return error.description.hasPrefix("GET http://\(fake.host)/token?service=fake-registry&scope=repository%3Aorg%2Fapp%3Apull: 401")
        }
    }

    @Test func malformedUnreachableAndTooLarge() async throws {
        let fake = try FakeRegistryServer.start(.init(tags: ["1.0.0"], malformed: true))
        defer { fake.stop() }
        await #expect {
            _ = try await client(fake.host, repository: "org/app").listTags()
        } throws: { error in
            guard let error = error as? RegistryError, case .malformed = error else { return false }
            return error.description.hasPrefix("GET http://\(fake.host)/v2/org/app/tags/list?n=1000: malformed tag list: invalid JSON")
        }

        // A closed port: nothing listens there any more.
        let closed = try FakeRegistryServer.start(.init(tags: []))
        let host = closed.host
        closed.stop()
        await #expect {
            _ = try await client(host, repository: "org/app").listTags()
        } throws: { error in
            guard let error = error as? RegistryError, case .unreachable = error else { return false }
            return error.description.hasPrefix("GET http://\(host)/v2/org/app/tags/list?n=1000: connectFailed")
        }

        let huge = (0..<20_000).map { "a-rather-long-tag-name-to-fill-the-page-\($0)" }
        try fake.update(.init(tags: huge))
        var limited = try client(fake.host, repository: "org/app", pageSize: 20_000)
        limited.tagListLimit = 64 << 10
        await #expect {
            _ = try await limited.listTags()
        } throws: { error in
            guard let error = error as? RegistryError, case .tooLarge(_, _, 65536) = error else { return false }
            return error.description.hasSuffix("response larger than the limit of 65536 bytes")
        }
    }
}
