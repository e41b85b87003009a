import Foundation
import Testing

@testable import GitOpsKit

struct KubeTokenSourceTests {
    @Test func rereadsARotatedTokenAfterTheInterval() throws {
        let path = NSTemporaryDirectory() + "gok-token-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "first\n".write(toFile: path, atomically: true, encoding: .utf8)
        let source = KubeTokenSource(path: path, refreshInterval: .seconds(60))
        let start = ContinuousClock.now
        #expect(try source.token(now: start) == "first")
        try "second".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try source.token(now: start + .seconds(59)) == "first", "cached within the interval")
        #expect(try source.token(now: start + .seconds(61)) == "second")
        try FileManager.default.removeItem(atPath: path)
        #expect(try source.token(now: start + .seconds(200)) == "second", "a failed re-read keeps the last good token")
        let missing = KubeTokenSource(path: path)
        #expect(throws: KubeError.self) { try missing.token() }
    }
}
