import Foundation
import Logging
import Testing

@testable import GitOpsKit

/// Archiving a commit straight from the mirror gives the very bytes of export + `ArtifactArchiver`: same order
/// (byte order, not Git's tree order), modes, ignore rules (defaults, nested `.sourceignore`, `spec.ignore`
/// including `!` re-inclusions), links left out.
@Suite struct GitTreeArchiveTests {
    typealias Support = ArtifactTestSupport

    @Test(arguments: [nil, "/deploy/secret.yaml\n", "!img.png\n!logs/\n"])
    func archiveFromTheMirrorEqualsExportThenArchive(specIgnore: String?) async throws {
        let root = try Support.makeDirectory("gittreearchive")
        defer { Support.cleanUp(root) }
        let repository = try GitTestSupport.makeRepository(in: root)
        try repository.commit([
            "a.b": "file before the directory in Git's order\n", "a/x.yaml": "x: 1\n", "a-b/y.yaml": "y: 2\n",
            ".sourceignore": "*.log\n", "logs/app.log": "log\n", "sub/.sourceignore": "!keep.log\n", "sub/keep.log": "kept\n",
            ".github/ci.yml": "on: push\n", "img.png": "png", "deploy/secret.yaml": "kind: Secret\n", "empty.txt": "",
        ], message: "tree with edge cases")
        try FileManager.default.createSymbolicLink(atPath: repository.work + "/link", withDestinationPath: "README.md")
        try FileManager.default.createDirectory(atPath: repository.work + "/onlylink", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: repository.work + "/onlylink/l", withDestinationPath: "../README.md")
        let head = try repository.commit([:], message: "links")

        let mirrors = GitRepositoryMirror(root: root + "/mirrors", logger: Logger(label: "test"))
        let commit = try await mirrors.fetch(key: "ns/app", url: repository.url, reference: GitReference(branch: "main"),
                                             credentials: .none)
        #expect(commit.hash == head)
        try await mirrors.export(key: "ns/app", commit: head, to: root + "/checkout")
        let rules = try IgnoreRules.forSource(root: root + "/checkout", specIgnore: specIgnore)
        let expected = try await ArtifactArchiver(ignoreRules: rules).archive(directory: root + "/checkout", to: root + "/a.tar.gz")
        let actual = try await mirrors.archive(key: "ns/app", commit: head, to: root + "/out/b.tar.gz", specIgnore: specIgnore)
        #expect(actual == expected)
        #expect(try Support.bytes(root + "/a.tar.gz") == Support.bytes(root + "/out/b.tar.gz"))
        let names = try Support.run(["tar", "tzf", root + "/out/b.tar.gz"]).split(separator: "\n").map(String.init)
        #expect(!names.contains("link") && !names.contains("onlylink/l"))
        #expect(names.contains("sub/keep.log") && !names.contains("logs/app.log") == (specIgnore != "!img.png\n!logs/\n"))
    }

    @Test func unknownCommitIsAnError() async throws {
        let root = try Support.makeDirectory("gittreearchive-bad")
        defer { Support.cleanUp(root) }
        let repository = try GitTestSupport.makeRepository(in: root)
        let mirrors = GitRepositoryMirror(root: root + "/mirrors", logger: Logger(label: "test"))
        _ = try await mirrors.fetch(key: "ns/app", url: repository.url, reference: GitReference(branch: "main"), credentials: .none)
        await #expect(throws: GitError.self) {
            try await mirrors.archive(key: "ns/app", commit: String(repeating: "ab", count: 20), to: root + "/x.tar.gz", specIgnore: nil)
        }
        await #expect(throws: GitError.self) {
            try await mirrors.archive(key: "ns/app", commit: "not-a-hash", to: root + "/x.tar.gz", specIgnore: nil)
        }
        #expect(!Support.exists(root + "/x.tar.gz"))
    }
}
