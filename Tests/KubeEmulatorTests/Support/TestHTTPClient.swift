import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GitOpsKit
import Synchronization

/// A response as the tests see it.
struct TestResponse: Sendable {
    var status: Int
    var body: JSONValue
    var raw: Data
    var headers: [String: String]

    /// `metadata.resourceVersion` of the body.
    var resourceVersion: String { body[path: "metadata", "resourceVersion"]?.stringValue ?? "" }
}

/// A minimal HTTP client for the semantics tests (plain HTTP; TLS is exercised by kubectl and helm).
struct TestHTTPClient: Sendable {
    var baseURL: String
    var token: String?

    func request(_ method: String, _ path: String, body: JSONValue? = nil, rawBody: Data? = nil,
                 contentType: String = "application/json", accept: String? = nil) async throws -> TestResponse {
        guard let url = URL(string: baseURL + path) else { throw TestFailure("bad URL \(path)") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let accept { request.setValue(accept, forHTTPHeaderField: "Accept") }
        if let body {
            request.httpBody = body.jsonData()
            request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        } else if let rawBody {
            request.httpBody = rawBody
            request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw TestFailure("not an HTTP response") }
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields {
            if let key = key as? String, let value = value as? String { headers[key.lowercased()] = value }
        }
        let parsed = (try? JSONValue(json: Array(data))) ?? .null
        return TestResponse(status: http.statusCode, body: parsed, raw: data, headers: headers)
    }

    func get(_ path: String) async throws -> TestResponse { try await request("GET", path) }
    func post(_ path: String, _ body: JSONValue) async throws -> TestResponse { try await request("POST", path, body: body) }
    func put(_ path: String, _ body: JSONValue) async throws -> TestResponse { try await request("PUT", path, body: body) }
    func delete(_ path: String, _ body: JSONValue? = nil) async throws -> TestResponse {
        try await request("DELETE", path, body: body)
    }
    func patch(_ path: String, _ body: JSONValue, type: String = "application/merge-patch+json") async throws -> TestResponse {
        try await request("PATCH", path, body: body, contentType: type)
    }

    /// Opens a watch; events arrive on the returned stream until it is cancelled or the server ends it.
    func watch(_ path: String) -> WatchConnection {
        WatchConnection(url: URL(string: baseURL + path), token: token)
    }
}

/// A failure inside test helpers.
struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A streaming watch over URLSession's data delegate; lines become JSON events.
final class WatchConnection: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    // `state` (a Mutex) guards the buffered bytes; the session and task are set once in init.
    private let state = Mutex<(buffer: [UInt8], done: Bool)>(([], false))
    private let continuation: AsyncStream<JSONValue>.Continuation
    let events: AsyncStream<JSONValue>
    private var session: URLSession?
    private var task: URLSessionDataTask?

    init(url: URL?, token: String?) {
        (events, continuation) = AsyncStream.makeStream()
        super.init()
        guard let url else {
            continuation.finish()
            return
        }
        let session = URLSession(configuration: .ephemeral, delegate: self, delegateQueue: nil)
        var request = URLRequest(url: url)
        request.timeoutInterval = 120
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let task = session.dataTask(with: request)
        self.session = session
        self.task = task
        task.resume()
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let lines: [[UInt8]] = state.withLock { state in
            state.buffer.append(contentsOf: data)
            var lines: [[UInt8]] = []
            while let newline = state.buffer.firstIndex(of: UInt8(ascii: "\n")) {
                lines.append(Array(state.buffer[..<newline]))
                state.buffer.removeSubrange(...newline)
            }
            return lines
        }
        for line in lines where !line.isEmpty {
            if let event = try? JSONValue(json: line) { continuation.yield(event) }
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        continuation.finish()
        session.finishTasksAndInvalidate()
    }

    func cancel() {
        task?.cancel()
        continuation.finish()
    }

    /// The next event, or nil when the stream ended or nothing came within `timeout`.
    func next(timeout: Duration = .seconds(30)) async -> JSONValue? {
        let events = self.events
        return await withTaskGroup(of: JSONValue?.self) { group in
            group.addTask {
                var iterator = events.makeAsyncIterator()
                return await iterator.next()
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    /// Events until one satisfies `predicate` (included), or nil on timeout.
    func collect(until predicate: (JSONValue) -> Bool, timeout: Duration = .seconds(30)) async -> [JSONValue]? {
        var seen: [JSONValue] = []
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard let event = await next(timeout: deadline - ContinuousClock.now) else { return nil }
            seen.append(event)
            if predicate(event) { return seen }
        }
        return nil
    }
}
