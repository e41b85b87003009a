import Foundation
import GitOpsKit
import GitOpsTestSupport
import Testing

/// The working-copy operations the automation uses, on a real repository: every kind of checkout reference, the
/// switch to a push branch, the reset to the remote after it moved.
@Suite struct ImageUpdateGitCheckoutTests {
    typealias Git = GitTestSupport
    typealias Support = ArtifactTestSupport

    @Test func checksOutEveryKindOfReference() async throws {
        let root = try Support.makeDirectory("iua-checkout")
        defer { Support.cleanUp(root) }
        let repository = try Git.makeRepository(in: root)
        let first = try repository.commit(["a.yaml": "v: 1\n"], message: "one")
        try repository.tag("v1.0.0", annotated: true)
        let second = try repository.commit(["a.yaml": "v: 2\n"], message: "two")
        try repository.tag("v1.1.0")
        try repository.tag("v2.0.0-rc.1")
        try Git.git(["push", "-q", "origin", "HEAD:refs/heads/other"], in: repository.work)
        let third = try repository.commit(["a.yaml": "v: 3\n"], message: "three")

        func clone(_ reference: GitReference, _ name: String) async throws -> (GitWorkingCopy, GitCommit) {
            let result = try await GitWorkingCopy.clone(url: repository.url, reference: reference, into: root + "/" + name,
                                                        credentials: .none)
            return (result.copy, result.commit)
        }
        let (branchCopy, branch) = try await clone(GitReference(branch: "main"), "branch")
        #expect(branch.hash == third)
        #expect(branch.reference == "refs/heads/main")
        #expect(try Support.read(branchCopy.directory + "/a.yaml") == "v: 3\n")
        let (tagCopy, tag) = try await clone(GitReference(tag: "v1.0.0"), "tag")
        #expect(tag.hash == first)
        #expect(tag.revision == "v1.0.0@sha1:\(first)")
        #expect(try Support.read(tagCopy.directory + "/a.yaml") == "v: 1\n")
        let (_, semver) = try await clone(GitReference(semver: ">=1.0.0 <2.0.0"), "semver")
        #expect(semver.hash == second)
        #expect(semver.reference == "refs/tags/v1.1.0")
        let (pinnedCopy, pinned) = try await clone(GitReference(branch: "main", commit: first), "pinned")
        #expect(pinned.hash == first)
        #expect(try await pinnedCopy.head().reference == "refs/heads/main")
        let (_, bare) = try await clone(GitReference(commit: second), "commit")
        #expect(bare.revision == "sha1:\(second)")
        let (_, named) = try await clone(GitReference(name: "refs/heads/other"), "named")
        #expect(named.hash == second)
        await #expect(throws: GitError.self) { _ = try await clone(GitReference(branch: "missing"), "missing") }
        await #expect(throws: GitError.self) { _ = try await clone(GitReference(tag: "v9"), "missing-tag") }
        await #expect(throws: GitError.self) {
            _ = try await clone(GitReference(branch: "other", commit: third), "not-on-branch")
        }
    }

    @Test func switchesBranchAndResetsToTheRemote() async throws {
        let root = try Support.makeDirectory("iua-switch")
        defer { Support.cleanUp(root) }
        let repository = try Git.makeRepository(in: root)
        let base = try repository.head()
        try Git.git(["push", "-q", "origin", "HEAD:refs/heads/existing"], in: repository.work)
        let main = try repository.commit(["a.yaml": "v: 1\n"], message: "main moves")
        let (copy, _) = try await GitWorkingCopy.clone(url: repository.url, reference: GitReference(branch: "main"),
                                                       into: root + "/copy", credentials: .none)
        // A branch the remote has: taken from there.
        #expect(try await copy.switchBranch("existing"))
        #expect(try await copy.head().hash == base)
        #expect(try await copy.head().reference == "refs/heads/existing")
        #expect(!Support.exists(copy.directory + "/a.yaml"))
        // A new one: made from the current commit.
        #expect(try await !copy.switchBranch("fresh"))
        #expect(try await copy.head().hash == base)

        // Someone pushes to `existing`; the copy's own commit is dropped by the reset.
        try Git.git(["push", "-q", "origin", "\(main):refs/heads/existing"], in: repository.work)
        try await copy.switchBranch("existing")
        try Support.write("local\n", to: "local.yaml", in: copy.directory)
        _ = try await copy.commitAll(message: "local", author: .init(name: "bot", email: "bot@example.com"))
        await #expect(throws: GitError.self) {
            try await copy.push(branch: "existing", credentials: .none)
        }
        let reset = try await copy.resetToRemote(branch: "existing", credentials: .none)
        #expect(reset.hash == main)
        #expect(try Support.read(copy.directory + "/a.yaml") == "v: 1\n")
        try Support.write("local\n", to: "local.yaml", in: copy.directory)
        let commit = try #require(try await copy.commitAll(message: "local", author: .init(name: "bot", email: "bot@example.com")))
        try await copy.push(refspecs: ["refs/heads/existing:refs/heads/existing", "refs/heads/existing:refs/heads/copy"],
                            credentials: .none)
        #expect(try Git.git(["rev-parse", "existing", "copy"], in: repository.bare) == "\(commit.hash)\n\(commit.hash)")
    }
}
