import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization
import Testing

@testable import GitOpsKit

/// libcurl hands over at most this much per write callback (`CURL_MAX_WRITE_SIZE`), decompression aside.
let CURL_MAX_WRITE_SIZE_FOR_TESTS = 16 << 10

struct HTTPStreamingTests {
    @Test func streamsLinesSplitAcrossChunks() async throws {
        let text = "{\"type\":\"ADDED\",\"n\":1}\n{\"type\":\"MODIFIED\",\"n\":2}\r\n{\"type\":\"DELETED\",\"n\":3}\nunterminated"
        let bytes = Array(text.utf8)
        // Cut inside a line, right after a newline and between \r and \n.
        let cuts = [0, 5, 23, 24, 47, 48, 60, bytes.count]
        let pieces = zip(cuts, cuts.dropFirst()).map { Array(bytes[$0..<$1]) }.filter { !$0.isEmpty }
        try await withTestServer(handler: { _, _ in .chunks(pieces, pause: .milliseconds(20)) }) { port in
            let response = try await HTTPClient().stream(HTTPClientRequest(url: "http://127.0.0.1:\(port)/watch"))
            #expect(response.status == 200)
            let lines = try await collectLines(response)
            #expect(lines == ["{\"type\":\"ADDED\",\"n\":1}", "{\"type\":\"MODIFIED\",\"n\":2}", "{\"type\":\"DELETED\",\"n\":3}", "unterminated"])
        }
    }

    @Test func deliversTheHeadBeforeAnyBody() async throws {
        let release = LockedValue<CheckedContinuation<Void, Never>?>(nil)
        let handler: TestHandler = { _, _ in
            var headers = HTTPFields()
            headers[HTTPField.Name("X-Stream")!] = "yes"
            return Response(status: .accepted, headers: headers, body: ResponseBody { writer in
                // Nothing is written until the test has seen the head.
                await withCheckedContinuation { continuation in release.withLock { $0 = continuation } }
                try await writer.write(ByteBuffer(string: "late line\n"))
                try await writer.finish(nil)
            })
        }
        try await withTestServer(handler: handler) { port in
            let response = try await HTTPClient().stream(HTTPClientRequest(url: "http://127.0.0.1:\(port)/"))
            #expect(response.status == 202)
            #expect(response.headers["x-stream"] == "yes")
            while release.withLock({ $0 == nil }) { try await Task.sleep(for: .milliseconds(10)) }
            release.withLock { $0?.resume(); $0 = nil }
            #expect(try await collectLines(response) == ["late line"])
        }
    }

    @Test func failsALineOverTheLimit() async throws {
        let long = Array(repeating: UInt8(ascii: "x"), count: 300 << 10)
        let pieces = [Array("short\n".utf8)] + stride(from: 0, to: long.count, by: 16 << 10).map { Array(long[$0..<min($0 + (16 << 10), long.count)]) }
        try await withTestServer(handler: { _, _ in .chunks(pieces) }) { port in
            let client = HTTPClient(configuration: .init(maximumLineSize: 64 << 10))
            let response = try await client.stream(HTTPClientRequest(url: "http://127.0.0.1:\(port)/"))
            var lines: [String] = []
            let error = await #expect(throws: HTTPClientError.self) {
                for try await line in response.lines { lines.append(String(decoding: line, as: UTF8.self)) }
            }
            #expect(lines == ["short"])
            #expect(error?.code == .tooLarge)
        }
    }

    @Test func pausesTheTransferWhileTheReaderLags() async throws {
        let total = 96 << 20
        let chunk = 64 << 10
        let written = LockedValue<Int>(0)
        let handler: TestHandler = { _, _ in
            Response(status: .ok, body: ResponseBody { writer in
                let buffer = ByteBuffer(repeating: 0x7A, count: chunk)
                for _ in 0..<(total / chunk) {
                    try await writer.write(buffer)
                    written.withLock { $0 += chunk }
                }
                try await writer.finish(nil)
            })
        }
        try await withTestServer(handler: handler) { port in
            let client = HTTPClient(configuration: .init(streamBufferSize: 256 << 10))
            let response = try await client.stream(HTTPClientRequest(url: "http://127.0.0.1:\(port)/"))
            try await Task.sleep(for: .milliseconds(700))
            // Without backpressure the whole body would be in client memory by now; with it, the client holds at
            // most its buffer plus one chunk. (Hummingbird buffers its own writes, so the server's count says little.)
            let held = response.body.lifetime.buffer.bufferedByteCount
            #expect(written.value > 1 << 20, "the server should have sent more than the client buffers")
            #expect(held <= (256 << 10) + CURL_MAX_WRITE_SIZE_FOR_TESTS, "the client buffered \(held) bytes")
            var received = 0
            for try await piece in response.body { received += piece.count }
            #expect(received == total)
        }
    }

    @Test func timesOutAnIdleStream() async throws {
        let idle = Duration.seconds(2)
        let release = AsyncGate()
        let handler: TestHandler = { _, _ in
            Response(status: .ok, body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: "first\n"))
                // Silent until the test is done; ending normally (after 30 s) would fail the test.
                _ = await release.wait(upTo: .seconds(30))
                try await writer.finish(nil)
            })
        }
        try await withTestServer(handler: handler) { port in
            defer { release.open() }
            let client = HTTPClient(configuration: .init(streamIdleTimeout: idle))
            let started = ContinuousClock.now
            let response = try await client.stream(HTTPClientRequest(url: "http://127.0.0.1:\(port)/"))
            var lines: [String] = []
            let error = await #expect(throws: HTTPClientError.self) {
                for try await line in response.lines { lines.append(String(decoding: line, as: UTF8.self)) }
            }
            let elapsed = ContinuousClock.now - started
            #expect(lines == ["first"])
            #expect(error?.code == .timedOut)
            // Not before the stream was silent for `idle`; well before the server's own end, however loaded the machine.
            #expect(elapsed >= idle, "timed out after \(elapsed)")
            #expect(elapsed < .seconds(20), "timed out after \(elapsed)")
        }
    }

    /// A server that writes a line every 20 ms until its client goes away, and records when that happened.
    private static func endlessServer(stopped: LockedValue<Bool>) -> TestHandler {
        { _, _ in
            Response(status: .ok, body: ResponseBody { writer in
                do {
                    while true {
                        try await writer.write(ByteBuffer(string: "tick\n"))
                        try await Task.sleep(for: .milliseconds(20))
                    }
                } catch {
                    stopped.value = true
                    throw error
                }
            })
        }
    }

    private static func waitUntil(_ flag: LockedValue<Bool>, within limit: Duration) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        while !flag.value, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        return flag.value
    }

    @Test func cancellingTheReaderStopsTheStream() async throws {
        let stopped = LockedValue<Bool>(false)
        try await withTestServer(handler: Self.endlessServer(stopped: stopped)) { (port: Int) async throws in
            let client = HTTPClient()
            let (reading, readingStarted) = AsyncStream.makeStream(of: Void.self)
            let reader = Task { () throws -> Int in
                defer { readingStarted.finish() }
                let response = try await client.stream(HTTPClientRequest(url: "http://127.0.0.1:\(port)/"))
                var count = 0
                for try await _ in response.lines {
                    count += 1
                    if count == 3 { readingStarted.yield() }
                }
                return count
            }
            // Cancel mid-stream: once lines are flowing, not after a guessed delay.
            var started = reading.makeAsyncIterator()
            guard await started.next() != nil else {
                let result = await reader.result
                Issue.record("the stream ended before delivering lines: \(result)")
                return
            }
            reader.cancel()
            let result = await reader.result
            guard case .failure(let error) = result else {
                Issue.record("a cancelled stream ended normally")
                return
            }
            #expect((error as? HTTPClientError)?.code == .cancelled)
            #expect(try await Self.waitUntil(stopped, within: .seconds(20)), "the server kept streaming")
        }
    }

    @Test func droppingTheResponseStopsTheStream() async throws {
        let stopped = LockedValue<Bool>(false)
        try await withTestServer(handler: Self.endlessServer(stopped: stopped)) { port in
            let client = HTTPClient()
            do {
                let response = try await client.stream(HTTPClientRequest(url: "http://127.0.0.1:\(port)/"))
                var iterator = response.lines.makeAsyncIterator()
                #expect(try await iterator.next() == Array("tick".utf8))
            }
            #expect(try await Self.waitUntil(stopped, within: .seconds(20)), "the server kept streaming")
        }
    }

    @Test func openStreamsOutliveTheirClientWhoseThreadThenEnds() async throws {
        let pieces = (0..<5).map { Array("line \($0)\n".utf8) }
        try await withTestServer(handler: { _, _ in .chunks(pieces, pause: .milliseconds(50)) }) { port in
            var client: HTTPClient? = HTTPClient()
            let loop = try #require(client?.loop)
            let response = try await #require(client).stream(HTTPClientRequest(url: "http://127.0.0.1:\(port)/"))
            client = nil
            #expect(!loop.hasExited, "the stream is still running")
            #expect(try await collectLines(response).count == 5)
            let deadline = ContinuousClock.now + .seconds(3)
            while !loop.hasExited, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            #expect(loop.hasExited, "the client's thread should end once its last transfer is done")
        }
    }

    @Test func streamsKeepFailingStatusesReadable() async throws {
        try await withTestServer(handler: { _, _ in .text("{\"kind\":\"Status\",\"code\":410}", status: .gone) }) { port in
            let response = try await HTTPClient().stream(HTTPClientRequest(url: "http://127.0.0.1:\(port)/"))
            #expect(response.status == 410)
            #expect(String(decoding: try await response.collect(upTo: 1024), as: UTF8.self) == "{\"kind\":\"Status\",\"code\":410}")
        }
    }
}
