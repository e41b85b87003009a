import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization
import Testing

@testable import GitOpsKit

struct HTTPClientTests {
    /// Echoes method, path, query, selected headers and the body as JSON.
    static let echo: TestHandler = { request, _ in
        var request = request
        let body = try await request.collectBody(upTo: 64 << 20)
        let answer: JSONValue = [
            "method": .string(request.method.rawValue),
            "path": .string(request.uri.path),
            "query": .string(request.uri.query ?? ""),
            "authorization": .string(request.headers[.authorization] ?? ""),
            "contentType": .string(request.headers[.contentType] ?? ""),
            "custom": .string(request.headers[HTTPField.Name("X-Custom")!] ?? ""),
            "expect": .string(request.headers[.expect] ?? ""),
            "bodySize": .int(Int64(body.readableBytes)),
            "body": .string(String(buffer: body)),
        ]
        return .text(answer.jsonString(), contentType: "application/json")
    }

    @Test func executesRequestsWithEveryMethod() async throws {
        try await withTestServer(handler: Self.echo) { port in
            let client = HTTPClient()
            let base = "http://127.0.0.1:\(port)"
            var get = HTTPClientRequest(url: base + "/things?a=b%20c")
            get.headers["X-Custom"] = "yes"
            let got = try await client.execute(get)
            #expect(got.status == 200)
            #expect(got.headers["content-type"] == "application/json")
            let echo = try JSONValue(json: got.body)
            #expect(echo["method"] == "GET")
            #expect(echo["path"] == "/things")
            #expect(echo["query"] == "a=b%20c")
            #expect(echo["custom"] == "yes")

            for method in [HTTPClientRequest.Method.post, .put, .patch, .delete] {
                var request = HTTPClientRequest(method: method, url: base + "/x", body: Array("payload-\(method)".utf8))
                request.headers["Content-Type"] = "application/json"
                let answer = try JSONValue(json: try await client.execute(request).body)
                #expect(answer["method"] == .string(method.rawValue))
                #expect(answer["body"] == .string("payload-\(method)"))
                #expect(answer["contentType"] == "application/json")
                #expect(answer["expect"] == "")
            }
            let delete = try JSONValue(json: try await client.execute(HTTPClientRequest(method: .delete, url: base + "/y")).body)
            #expect(delete["method"] == "DELETE")
            #expect(delete["bodySize"] == 0)
            let head = try await client.execute(HTTPClientRequest(method: .head, url: base + "/y"))
            #expect(head.status == 200)
            #expect(head.body.isEmpty)
        }
    }

    @Test func errorStatusesAreResponsesNotErrors() async throws {
        try await withTestServer(handler: { _, _ in .text("nope", status: .notFound) }) { port in
            let response = try await HTTPClient().execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/missing"))
            #expect(response.status == 404)
            #expect(response.bodyText == "nope")
        }
    }

    @Test func sendsConfiguredCredentialsUnlessTheRequestHasItsOwn() async throws {
        try await withTestServer(handler: Self.echo) { port in
            let url = "http://127.0.0.1:\(port)/"
            let bearer = HTTPClient(configuration: .init(authorization: .bearer("s3cret")))
            func authorization(_ client: HTTPClient, _ request: HTTPClientRequest) async throws -> JSONValue? {
                try JSONValue(json: try await client.execute(request).body)["authorization"]
            }
            let configured = try await authorization(bearer, HTTPClientRequest(url: url))
            #expect(configured == "Bearer s3cret")
            var own = HTTPClientRequest(url: url)
            own.headers["Authorization"] = "Bearer mine"
            #expect(try await authorization(bearer, own) == "Bearer mine")
            let basic = HTTPClient(configuration: .init(authorization: .basic(username: "u", password: "p:w")))
            #expect(try await authorization(basic, HTTPClientRequest(url: url)) == "Basic dTpwOnc=")
        }
    }

    @Test func movesLargeBodiesBothWays() async throws {
        let size = 6 << 20
        let big = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let handler: TestHandler = { request, _ in
            var request = request
            let body = try await request.collectBody(upTo: 64 << 20)
            return Response(status: .ok, body: .init(byteBuffer: body))
        }
        try await withTestServer(handler: handler) { port in
            let response = try await HTTPClient().execute(HTTPClientRequest(method: .post, url: "http://127.0.0.1:\(port)/", body: big))
            #expect(response.body.count == size)
            #expect(response.body == big)
        }
    }

    @Test func abortsResponsesOverTheSizeLimit() async throws {
        let handler: TestHandler = { request, _ in
            let size = 4 << 20
            if request.uri.path == "/known" {
                return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(repeating: 0x61, count: size)))
            }
            // Chunked: no Content-Length, so the limit trips while receiving.
            return .chunks(Array(repeating: Array(repeating: 0x62, count: 64 << 10), count: size / (64 << 10)))
        }
        try await withTestServer(handler: handler) { port in
            let client = HTTPClient(configuration: .init(maximumResponseSize: 1 << 20))
            for path in ["/known", "/chunked"] {
                let error = await #expect(throws: HTTPClientError.self) {
                    try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)"))
                }
                #expect(error?.code == .tooLarge, "\(path): \(String(describing: error))")
                #expect(error?.url == "http://127.0.0.1:\(port)\(path)")
            }
            // A per-request limit overrides the client's.
            var roomy = HTTPClientRequest(url: "http://127.0.0.1:\(port)/chunked")
            roomy.maximumResponseSize = 8 << 20
            let roomyResponse = try await client.execute(roomy)
            #expect(roomyResponse.body.count == 4 << 20)
        }
    }

    @Test func reportsUnreachableServersAndBadURLs() async throws {
        let port = try closedLoopbackPort()
        let client = HTTPClient()
        let refused = await #expect(throws: HTTPClientError.self) {
            try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/"))
        }
        #expect(refused?.code == .connectFailed)
        #expect(refused?.message.isEmpty == false)
        let malformed = await #expect(throws: HTTPClientError.self) {
            try await client.execute(HTTPClientRequest(url: "ftp://127.0.0.1/file"))
        }
        #expect(malformed?.code == .invalidRequest)
    }

    @Test func timesOutSlowResponses() async throws {
        // Answers only once the test is done (or after 30 s, which the bounds below reject).
        let release = AsyncGate()
        let handler: TestHandler = { _, _ in
            _ = await release.wait(upTo: .seconds(30))
            return .text("late")
        }
        try await withTestServer(handler: handler) { port in
            defer { release.open() }
            let client = HTTPClient(configuration: .init(requestTimeout: .milliseconds(300)))
            let started = ContinuousClock.now
            let error = await #expect(throws: HTTPClientError.self) {
                try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/"))
            }
            let elapsed = ContinuousClock.now - started
            #expect(error?.code == .timedOut)
            #expect(elapsed >= .milliseconds(300), "timed out after \(elapsed)")
            #expect(elapsed < .seconds(20), "timed out after \(elapsed)")
            // The request's own timeout wins over the client's.
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/")
            request.timeout = .milliseconds(100)
            let own = await #expect(throws: HTTPClientError.self) { try await HTTPClient().execute(request) }
            #expect(own?.code == .timedOut)
        }
    }

    @Test func cancellingTheTaskStopsTheTransferPromptly() async throws {
        let (arrivals, arrived) = AsyncStream.makeStream(of: Void.self)
        let release = AsyncGate()
        // Answers only once the test is done (or after 30 s, which the bound below rejects).
        let handler: TestHandler = { _, _ in
            arrived.yield()
            _ = await release.wait(upTo: .seconds(30))
            return .text("late")
        }
        try await withTestServer(handler: handler) { port in
            defer { release.open() }
            let client = HTTPClient()
            let task = Task {
                defer { arrived.finish() }
                return try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/"))
            }
            // Cancel while the transfer is in flight: once the server has the request, not after a guessed delay.
            var iterator = arrivals.makeAsyncIterator()
            guard await iterator.next() != nil else {
                let result = await task.result
                Issue.record("the request ended before the server saw it: \(result)")
                return
            }
            let cancelled = ContinuousClock.now
            task.cancel()
            let result = await task.result
            #expect(ContinuousClock.now - cancelled < .seconds(20))
            guard case .failure(let error) = result else {
                Issue.record("a cancelled request succeeded")
                return
            }
            #expect((error as? HTTPClientError)?.code == .cancelled)
        }
    }

    @Test func concurrentRequestsShareALimitedSetOfConnections() async throws {
        let ports = LockedValue<[Int: Int]>([:])
        let handler: TestHandler = { _, context in
            ports.withLock { $0[context.remotePort ?? -1, default: 0] += 1 }
            try await Task.sleep(for: .milliseconds(5))
            return .text("ok")
        }
        try await withTestServer(handler: handler) { port in
            let client = HTTPClient(configuration: .init(maximumConnectionsPerHost: 4))
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<100 {
                    group.addTask { try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/\(index)")).status }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.count == 100)
            #expect(statuses.allSatisfy { $0 == 200 })
            let seen = ports.value
            #expect(seen.values.reduce(0, +) == 100)
            #expect(seen.count <= 4, "connections used: \(seen.count)")

            // Sequential requests reuse one connection.
            ports.value = [:]
            let sequential = HTTPClient()
            for _ in 0..<10 { _ = try await sequential.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/")) }
            #expect(ports.withLock { $0.count } == 1)
        }
    }

    @Test func followsRedirectsOnlyWhenAsked() async throws {
        let handler: TestHandler = { request, _ in
            if request.uri.path == "/old" {
                var headers = HTTPFields()
                headers[.location] = "/new"
                return Response(status: .found, headers: headers)
            }
            return .text("moved here")
        }
        try await withTestServer(handler: handler) { port in
            let client = HTTPClient()
            let url = "http://127.0.0.1:\(port)/old"
            #expect(try await client.execute(HTTPClientRequest(url: url)).status == 302)
            let followed = try await client.execute(HTTPClientRequest(url: url, followRedirects: true))
            #expect(followed.status == 200)
            #expect(followed.bodyText == "moved here")
        }
    }

    @Test func sendsRequestsThroughAnExplicitProxy() async throws {
        // The "proxy" answers itself, with the request target it received: absolute-form means a proxy request.
        let handler: TestHandler = { request, _ in .text("proxied \(request.head.authority ?? "") \(request.uri.path)") }
        try await withTestServer(handler: handler) { port in
            let client = HTTPClient(configuration: .init(proxy: .url("http://127.0.0.1:\(port)")))
            let response = try await client.execute(HTTPClientRequest(url: "http://upstream.invalid:8080/hello"))
            #expect(response.status == 200)
            #expect(response.bodyText == "proxied upstream.invalid:8080 /hello")
        }
    }
}
