import Foundation
import Testing

@testable import GitOpsKit

@Suite struct ArtifactExtractorTests {
    typealias Support = ArtifactTestSupport

    /// Writes a .tar.gz with Python's tarfile; `entries` is Python code adding members to `t` (a TarFile).
    static func pythonArchive(_ path: String, format: String = "PAX_FORMAT", _ entries: String) throws {
        let script = """
            import io, sys, tarfile
            t = tarfile.open(sys.argv[1], "w:gz", format=tarfile.\(format))
            def add(name, data=b"x", type=tarfile.REGTYPE, link="", mode=0o644):
                info = tarfile.TarInfo(name)
                info.type = type
                info.linkname = link
                info.mode = mode
                if type == tarfile.REGTYPE:
                    info.size = len(data)
                    t.addfile(info, io.BytesIO(data))
                else:
                    t.addfile(info)
            \(entries.split(separator: "\n").joined(separator: "\n"))
            t.close()
            """
        try Support.python(script, arguments: [path])
    }

    func extract(_ archive: String, into target: String, limits: ArtifactExtractor.Limits = .default) async throws
        -> ArtifactExtractor.Summary
    {
        try await ArtifactExtractor(limits: limits).extract(archiveAt: archive, into: target)
    }

    @Test func roundTripsTheArchiverOutput() async throws {
        let work = try Support.makeDirectory("rt")
        defer { Support.cleanUp(work) }
        try ArtifactArchiverTests.makeTree(in: work + "/src", reverse: false)
        _ = try await ArtifactArchiver().archive(directory: work + "/src", to: work + "/a.tgz")
        let summary = try await extract(work + "/a.tgz", into: work + "/out")
        #expect(summary.files == 8)
        #expect(summary.directories == 8)
        #expect(summary.skipped.isEmpty)
        #expect(try Support.read(work + "/out/" + ArtifactArchiverTests.veryLongPath) == "very long\n")
        #expect(try Support.read(work + "/out/" + ArtifactArchiverTests.unicodePath) == "unicode\n")
        #expect(try Support.read(work + "/out/scripts/run.sh") == "#!/bin/sh\necho hi\n")
        let mode = try FileManager.default.attributesOfItem(atPath: work + "/out/scripts/run.sh")[.posixPermissions] as? Int
        #expect(mode == 0o700)
        #expect(Support.exists(work + "/out/empty"))
    }

    @Test func readsGNULongNamesAndPAX() async throws {
        let work = try Support.makeDirectory("gnu")
        defer { Support.cleanUp(work) }
        let long = String(repeating: "n", count: 150) + "/" + String(repeating: "m", count: 150) + ".yaml"
        try Self.pythonArchive(work + "/gnu.tgz", format: "GNU_FORMAT", "add(\"\(long)\", b\"gnu\")")
        try Self.pythonArchive(work + "/pax.tgz", format: "PAX_FORMAT", "add(\"\(long)\", b\"pax\")")
        _ = try await extract(work + "/gnu.tgz", into: work + "/g")
        _ = try await extract(work + "/pax.tgz", into: work + "/p")
        #expect(try Support.read(work + "/g/" + long) == "gnu")
        #expect(try Support.read(work + "/p/" + long) == "pax")
    }

    @Test func rejectsParentTraversal() async throws {
        let work = try Support.makeDirectory("trav")
        defer { Support.cleanUp(work) }
        try Self.pythonArchive(work + "/a.tgz", "add(\"ok.yaml\")\nadd(\"../evil.yaml\")")
        await #expect(throws: ArchiveError.pathTraversal("../evil.yaml")) {
            try await extract(work + "/a.tgz", into: work + "/out")
        }
        #expect(!Support.exists(work + "/evil.yaml"))
        #expect(ArchiveError.pathTraversal("../x").description == "path traversal in archive: ../x")

        try Self.pythonArchive(work + "/b.tgz", "add(\"a/../../evil2.yaml\")")
        await #expect(throws: ArchiveError.pathTraversal("a/../../evil2.yaml")) {
            try await extract(work + "/b.tgz", into: work + "/out2")
        }
        #expect(!Support.exists(work + "/evil2.yaml"))
    }

    @Test func rejectsAbsolutePaths() async throws {
        let work = try Support.makeDirectory("abs")
        defer { Support.cleanUp(work) }
        let target = work + "/abs-target.yaml"
        try Self.pythonArchive(work + "/a.tgz", "add(\"\(target)\")")
        await #expect(throws: ArchiveError.absolutePath(target)) {
            try await extract(work + "/a.tgz", into: work + "/out")
        }
        #expect(!Support.exists(target))
        #expect(ArchiveError.absolutePath("/etc/x").description == "absolute path in archive: /etc/x")
    }

    @Test func skipsSymbolicAndHardLinks() async throws {
        let work = try Support.makeDirectory("links")
        defer { Support.cleanUp(work) }
        try FileManager.default.createDirectory(atPath: work + "/outside", withIntermediateDirectories: true)
        try Self.pythonArchive(
            work + "/a.tgz",
            """
            add("link", type=tarfile.SYMTYPE, link="\(work)/outside")
            add("link/planted.yaml", b"through the link")
            add("hard", type=tarfile.LNKTYPE, link="/etc/passwd")
            add("dotdot", type=tarfile.SYMTYPE, link="../../..")
            add("real.yaml", b"real")
            """)
        let summary = try await extract(work + "/a.tgz", into: work + "/out")
        #expect(summary.skipped.sorted() == ["dotdot", "hard", "link"])
        #expect(summary.files == 2)
        // The link was never created, so the file landed in a real directory inside the target.
        #expect(try Support.read(work + "/out/link/planted.yaml") == "through the link")
        #expect(try FileManager.default.contentsOfDirectory(atPath: work + "/outside").isEmpty)
        let linkType = try FileManager.default.attributesOfItem(atPath: work + "/out/link")[.type] as? FileAttributeType
        #expect(linkType == .typeDirectory)
        #expect(!Support.lexists(work + "/out/hard"))
        #expect(!Support.lexists(work + "/out/dotdot"))
    }

    @Test func doesNotFollowASymlinkPlantedInTheTarget() async throws {
        let work = try Support.makeDirectory("plant")
        defer { Support.cleanUp(work) }
        try FileManager.default.createDirectory(atPath: work + "/out", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: work + "/elsewhere", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: work + "/out/dir", withDestinationPath: work + "/elsewhere")
        try Self.pythonArchive(work + "/a.tgz", "add(\"dir/x.yaml\")")
        await #expect(throws: ArchiveError.conflict("dir")) {
            try await extract(work + "/a.tgz", into: work + "/out")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: work + "/elsewhere").isEmpty)
    }

    @Test func rejectsAHugeFileFromItsHeaderAlone() async throws {
        let work = try Support.makeDirectory("huge")
        defer { Support.cleanUp(work) }
        // A header announcing 10 GiB with no data behind it: rejected before anything is read or written.
        try Support.python(
            """
            import gzip, sys, tarfile
            info = tarfile.TarInfo("huge.bin")
            info.size = 10 * 1024 ** 3
            with gzip.open(sys.argv[1], "wb") as f:
                f.write(info.tobuf(format=tarfile.GNU_FORMAT))
            """, arguments: [work + "/a.tgz"])
        await #expect(throws: ArchiveError.fileTooLarge(path: "huge.bin", size: 10 << 30, limit: 100 << 20)) {
            try await extract(work + "/a.tgz", into: work + "/out")
        }
        #expect(!Support.exists(work + "/out/huge.bin"))
    }

    @Test func enforcesTotalSizeAndEntryCount() async throws {
        let work = try Support.makeDirectory("limits")
        defer { Support.cleanUp(work) }
        try Self.pythonArchive(work + "/a.tgz", "for i in range(5):\n    add(\"f%d\" % i, b\"x\" * 4000)")
        await #expect(throws: ArchiveError.totalSizeExceeded(limit: 10_000)) {
            try await extract(work + "/a.tgz", into: work + "/out", limits: .init(maxTotalSize: 10_000))
        }
        await #expect(throws: ArchiveError.tooManyEntries(limit: 3)) {
            try await extract(work + "/a.tgz", into: work + "/out2", limits: .init(maxEntries: 3))
        }
        await #expect(throws: ArchiveError.fileTooLarge(path: "f0", size: 4000, limit: 1000)) {
            try await extract(work + "/a.tgz", into: work + "/out3", limits: .init(maxFileSize: 1000))
        }
        let summary = try await extract(work + "/a.tgz", into: work + "/ok", limits: .init(maxTotalSize: 20_000, maxEntries: 5))
        #expect(summary.bytes == 20_000)
    }

    @Test func rejectsDevicesAndCorruptInput() async throws {
        let work = try Support.makeDirectory("corrupt")
        defer { Support.cleanUp(work) }
        try Self.pythonArchive(work + "/dev.tgz", "add(\"null\", type=tarfile.CHRTYPE)")
        await #expect(throws: ArchiveError.unsupportedEntry(path: "null", type: UInt8(ascii: "3"))) {
            try await extract(work + "/dev.tgz", into: work + "/out")
        }

        try Self.pythonArchive(work + "/ok.tgz", "add(\"a.yaml\", b\"y\" * 5000)")
        let bytes = try Support.bytes(work + "/ok.tgz")
        try Data(bytes.prefix(bytes.count / 2)).write(to: URL(fileURLWithPath: work + "/truncated.tgz"))
        await #expect(throws: ArchiveError.self) { try await extract(work + "/truncated.tgz", into: work + "/t") }

        try Data("not a gzip stream at all".utf8).write(to: URL(fileURLWithPath: work + "/plain.tgz"))
        await #expect {
            try await extract(work + "/plain.tgz", into: work + "/p")
        } throws: { error in
            guard case .corrupt(let reason) = error as? ArchiveError else { return false }
            return reason.hasPrefix("gzip")
        }

        // A tar header with a wrong checksum.
        try Support.python(
            """
            import gzip, sys, tarfile
            info = tarfile.TarInfo("a.yaml")
            buf = bytearray(info.tobuf(format=tarfile.USTAR_FORMAT))
            buf[0] = ord("b")
            with gzip.open(sys.argv[1], "wb") as f:
                f.write(bytes(buf) + b"\\0" * 1024)
            """, arguments: [work + "/checksum.tgz"])
        await #expect(throws: ArchiveError.corrupt("header checksum mismatch")) {
            try await extract(work + "/checksum.tgz", into: work + "/c")
        }
    }

    @Test func streamingExtractionAcceptsArbitraryChunks() throws {
        let work = try Support.makeDirectory("chunks")
        defer { Support.cleanUp(work) }
        try Self.pythonArchive(work + "/a.tgz", "add(\"dir/a.yaml\", b\"abc\" * 3000)\nadd(\"b.yaml\", b\"b\")")
        let bytes = try Support.bytes(work + "/a.tgz")
        let stream = try ArtifactExtractionStream(directory: work + "/out")
        var offset = 0
        var size = 1
        while offset < bytes.count {
            let end = min(bytes.count, offset + size)
            try bytes[offset..<end].withUnsafeBytes { try stream.write($0) }
            offset = end
            size = size * 3 % 1000 + 1
        }
        let summary = try stream.finish()
        #expect(summary.files == 2)
        #expect(try Support.read(work + "/out/dir/a.yaml") == String(repeating: "abc", count: 3000))
    }
}
