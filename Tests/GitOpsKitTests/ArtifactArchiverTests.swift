import Foundation
import Testing

@testable import GitOpsKit

@Suite struct ArtifactArchiverTests {
    typealias Support = ArtifactTestSupport

    /// A path longer than 100 bytes that fits ustar's prefix/name split, one that does not (PAX), and a non-ASCII name.
    static let longPath = String(repeating: "d", count: 60) + "/" + String(repeating: "e", count: 60) + "/file.yaml"
    static let veryLongPath = String(repeating: "x", count: 120) + "/" + String(repeating: "y", count: 120) + ".yaml"
    static let unicodePath = "naïve/ünïcode.yaml"

    /// Builds the same tree in `root`; `reverse` creates entries in the opposite order with other modes and times.
    static func makeTree(in root: String, reverse: Bool) throws {
        var files: [(String, String, Int)] = [
            ("README.md", "# hello\n", 0o644),
            ("deploy/app.yaml", "kind: Deployment\n", 0o644),
            ("deploy/nested/svc.yaml", "kind: Service\n", 0o664),
            ("scripts/run.sh", "#!/bin/sh\necho hi\n", 0o755),
            (longPath, "long\n", 0o644),
            (veryLongPath, "very long\n", 0o600),
            (unicodePath, "unicode\n", 0o644),
            ("big.bin", String(repeating: "0123456789abcdef", count: 20_000), 0o644),
        ]
        if reverse {
            files.reverse()
            files = files.map { ($0.0, $0.1, $0.2 & 0o100 != 0 ? 0o711 : 0o600) }
        }
        for (path, text, mode) in files { try Support.write(text, to: path, in: root, mode: mode) }
        try FileManager.default.createDirectory(atPath: root + "/empty", withIntermediateDirectories: true)
        let stamp = reverse ? Date(timeIntervalSince1970: 1_000_000) : Date(timeIntervalSince1970: 1_700_000_000)
        for (path, _, _) in files {
            try FileManager.default.setAttributes([.modificationDate: stamp], ofItemAtPath: root + "/" + path)
        }
    }

    @Test func sameTreeGivesSameBytesAndDigest() async throws {
        let work = try Support.makeDirectory("det")
        defer { Support.cleanUp(work) }
        let previous = umask(0o022)
        try Self.makeTree(in: work + "/a", reverse: false)
        umask(0o077)
        try Self.makeTree(in: work + "/b", reverse: true)
        umask(previous)

        let archiver = ArtifactArchiver()
        let first = try await archiver.archive(directory: work + "/a", to: work + "/out/a.tar.gz")
        let second = try await archiver.archive(directory: work + "/b", to: work + "/out/b.tar.gz")
        let bytesA = try Support.bytes(work + "/out/a.tar.gz")
        let bytesB = try Support.bytes(work + "/out/b.tar.gz")
        #expect(bytesA == bytesB)
        #expect(first == second)
        #expect(first.digest == "sha256:" + Digest.sha256Hex(bytesA))
        #expect(first.size == Int64(bytesA.count))
        #expect(first.entryCount == 16)
        // gzip header: magic, deflate, no flags, zero mtime.
        #expect(Array(bytesA.prefix(8)) == [0x1F, 0x8B, 8, 0, 0, 0, 0, 0])
        // No temporary files are left next to the artifact.
        #expect(try FileManager.default.contentsOfDirectory(atPath: work + "/out").sorted() == ["a.tar.gz", "b.tar.gz"])
    }

    @Test func differentContentGivesDifferentDigest() async throws {
        let work = try Support.makeDirectory("diff")
        defer { Support.cleanUp(work) }
        try Support.write("a", to: "x.yaml", in: work + "/a")
        try Support.write("b", to: "x.yaml", in: work + "/b")
        try Support.write("a", to: "x.yaml", in: work + "/c", mode: 0o755)
        let archiver = ArtifactArchiver()
        let a = try await archiver.archive(directory: work + "/a", to: work + "/a.tgz")
        let b = try await archiver.archive(directory: work + "/b", to: work + "/b.tgz")
        let c = try await archiver.archive(directory: work + "/c", to: work + "/c.tgz")
        #expect(a.digest != b.digest)
        #expect(a.digest != c.digest)  // the executable bit is content
    }

    @Test func realTarReadsModesOwnersAndLongNames() async throws {
        let work = try Support.makeDirectory("tar")
        defer { Support.cleanUp(work) }
        try Self.makeTree(in: work + "/src", reverse: false)
        try FileManager.default.createSymbolicLink(atPath: work + "/src/link.yaml", withDestinationPath: "README.md")
        _ = try await ArtifactArchiver().archive(directory: work + "/src", to: work + "/a.tar.gz")

        let listing = try Support.run(["tar", "--numeric-owner", "-tzvf", work + "/a.tar.gz"])
        let lines = listing.split(separator: "\n").map(String.init)
        func line(_ name: String) -> String? { lines.first { $0.hasSuffix(" " + name) } }
        #expect(line("README.md")?.hasPrefix("-rw------- 0/0") == true)
        #expect(line("scripts/run.sh")?.hasPrefix("-rwx------ 0/0") == true)
        #expect(line("deploy/")?.hasPrefix("drwxr-x--- 0/0") == true)
        #expect(line("empty/")?.hasPrefix("drwxr-x--- 0/0") == true)
        #expect(line(Self.longPath) != nil)
        #expect(line(Self.veryLongPath) != nil)
        #expect(line(Self.unicodePath) != nil)
        #expect(lines.allSatisfy { $0.contains("1970-01-01") })
        #expect(line("link.yaml") == nil)  // symbolic links are skipped

        let names = try Support.run(["tar", "-tzf", work + "/a.tar.gz"]).split(separator: "\n").map(String.init)
        #expect(names.first == "README.md")
        #expect(names.firstIndex(of: "deploy/")! < names.firstIndex(of: "deploy/app.yaml")!)
        #expect(names.firstIndex(of: "deploy/app.yaml")! < names.firstIndex(of: "deploy/nested/")!)

        try FileManager.default.createDirectory(atPath: work + "/x", withIntermediateDirectories: true)
        try Support.run(["tar", "-xzf", work + "/a.tar.gz", "-C", work + "/x"])
        #expect(try Support.read(work + "/x/" + Self.veryLongPath) == "very long\n")
        #expect(try Support.read(work + "/x/big.bin") == String(repeating: "0123456789abcdef", count: 20_000))
    }

    @Test func ignoreRulesAndHookExcludePaths() async throws {
        let work = try Support.makeDirectory("ign")
        defer { Support.cleanUp(work) }
        let src = work + "/src"
        try Support.write("k", to: "app.yaml", in: src)
        try Support.write("x", to: ".git/config", in: src)
        try Support.write("x", to: "logo.png", in: src)
        try Support.write("x", to: ".github/workflows/ci.yaml", in: src)
        try Support.write("x", to: "docs/notes.md", in: src)
        try Support.write("x", to: "docs/keep.md", in: src)
        try Support.write("x", to: "secret/key.txt", in: src)
        var rules = IgnoreRules.fluxDefaults
        rules.append(patterns: "docs/*.md\n!docs/keep.md\n")
        let archiver = ArtifactArchiver(ignoreRules: rules) { path, _ in path.hasPrefix("secret") }
        let summary = try await archiver.archive(directory: src, to: work + "/a.tgz")
        let names = try Support.run(["tar", "-tzf", work + "/a.tgz"]).split(separator: "\n").map(String.init).sorted()
        #expect(names == ["app.yaml", "docs/", "docs/keep.md"])
        #expect(summary.entryCount == 3)
    }

    @Test func missingSourceDirectoryIsAnError() async throws {
        let work = try Support.makeDirectory("miss")
        defer { Support.cleanUp(work) }
        await #expect(throws: ArchiveError.self) {
            try await ArtifactArchiver().archive(directory: work + "/nope", to: work + "/a.tgz")
        }
        #expect(!Support.exists(work + "/a.tgz"))
    }
}
