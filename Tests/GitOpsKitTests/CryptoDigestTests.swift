import Foundation
import Testing

@testable import GitOpsKit

/// SHA vectors from FIPS 180 examples (NIST), checked against `openssl dgst` on this machine.
struct CryptoDigestTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        var algorithm: DigestAlgorithm
        var message: String
        var hex: String
        var testDescription: String { "\(algorithm.rawValue)(\(message.prefix(12)))" }
    }

    static let vectors: [Vector] = [
        Vector(algorithm: .sha1, message: "abc", hex: "a9993e364706816aba3e25717850c26c9cd0d89d"),
        Vector(algorithm: .sha1, message: "", hex: "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
        Vector(
            algorithm: .sha1, message: "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            hex: "84983e441c3bd26ebaae4aa1f95129e5e54670f1"),
        Vector(algorithm: .sha256, message: "abc", hex: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        Vector(algorithm: .sha256, message: "", hex: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        Vector(
            algorithm: .sha256, message: "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            hex: "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        Vector(
            algorithm: .sha512, message: "abc",
            hex: "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"),
        Vector(
            algorithm: .sha512, message: "",
            hex: "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
                + "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"),
        Vector(
            algorithm: .sha512,
            message: "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            hex: "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
                + "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909"),
    ]

    @Test(arguments: vectors)
    func oneShotMatchesVector(_ vector: Vector) {
        let digest = Digest.compute(vector.algorithm, Array(vector.message.utf8))
        #expect(digest.hexString == vector.hex)
        #expect(digest.count == vector.algorithm.byteCount)
        // A non-array sequence takes the copying path and must agree.
        #expect(Digest.compute(vector.algorithm, vector.message.utf8.lazy.map { $0 }).hexString == vector.hex)
    }

    @Test(arguments: vectors)
    func streamingByteByByteMatchesVector(_ vector: Vector) {
        var digest = StreamingDigest(vector.algorithm)
        for byte in vector.message.utf8 { digest.update([byte]) }
        #expect(digest.finalize().hexString == vector.hex)
    }

    @Test func millionAsInUnevenChunks() {
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 7_919)
        var digest = StreamingDigest(.sha256)
        var remaining = 1_000_000
        while remaining > 0 {
            let n = min(remaining, chunk.count)
            chunk.withUnsafeBytes { digest.update(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            remaining -= n
        }
        #expect(digest.finalize().hexString == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func finalizeDoesNotDisturbAndCopiesFork() {
        var digest = StreamingDigest(.sha256)
        digest.update(Array("ab".utf8))
        let fork = digest
        #expect(digest.finalize() == Digest.compute(.sha256, Array("ab".utf8)))
        digest.update(Array("c".utf8))
        #expect(digest.finalize().hexString == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // The copy taken before "c" still hashes "ab" only.
        #expect(fork.finalize() == Digest.compute(.sha256, Array("ab".utf8)))
        var other = fork
        other.update("c".utf8)
        #expect(other.finalize() == digest.finalize())
        #expect(fork.finalize() != digest.finalize())
    }

    @Test func helpers() {
        #expect(Digest.sha256Hex("abc".utf8) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.prefixedHex(.sha1, "abc".utf8) == "sha1:a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(DigestAlgorithm(rawValue: "sha256") == .sha256)
        #expect(DigestAlgorithm(rawValue: "md5") == nil)
    }

    /// Differential check against the machine's own tools on data nobody chose.
    @Test func agreesWithSystemTools() throws {
        let data = SecureRandom.bytes(100_003)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gok-digest-\(UUID().uuidString)")
        try Data(data).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let sha256sum = try run("/usr/bin/env", ["sha256sum", url.path])
        #expect(sha256sum.split(separator: " ").first.map(String.init) == Digest.compute(.sha256, data).hexString)
        let openssl = try run("/usr/bin/env", ["openssl", "dgst", "-sha512", "-r", url.path])
        #expect(openssl.split(separator: " ").first.map(String.init) == Digest.compute(.sha512, data).hexString)
        let sha1sum = try run("/usr/bin/env", ["sha1sum", url.path])
        #expect(sha1sum.split(separator: " ").first.map(String.init) == Digest.compute(.sha1, data).hexString)
    }

    private func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(arguments.joined(separator: " ")) failed")
        return String(decoding: output, as: UTF8.self)
    }
}
