import Foundation
import Logging
import Testing

@testable import GitOpsKit

@Suite struct GitRepositoryMirrorTests {
    typealias Support = ArtifactTestSupport
    typealias Git = GitTestSupport

    static let logger = Logger(label: "test.git")

    func mirror(_ root: String) -> GitRepositoryMirror {
        GitRepositoryMirror(root: root + "/mirrors", logger: Self.logger)
    }

    @Test func fetchesABranchAndExportsItsTree() async throws {
        let root = try Support.makeDirectory("gitbranch")
        defer { Support.cleanUp(root) }
        let repository = try Git.makeRepository(in: root)
        let mirrors = mirror(root)

        let commit = try await mirrors.fetch(
            key: "default/demo", url: repository.url, reference: GitReference(branch: "main"), credentials: .none)
        let head = try repository.head()
        #expect(commit.hash == head)
        #expect(commit.revision == "main@sha1:\(head)")
        #expect(commit.reference == "refs/heads/main")
        #expect(commit.message == "Make run.sh executable\n")
        #expect(commit.author.name == "Test Author")
        #expect(commit.author.email == "author@example.com")
        #expect(commit.author.time == 1_600_000_100)
        #expect(commit.committer.name == "Test Committer")

        try await mirrors.export(key: "default/demo", commit: commit.hash, to: root + "/out")
        #expect(try Support.read(root + "/out/deploy/app.yaml") == "kind: Deployment\n")
        #expect(!Support.exists(root + "/out/.git"))
        let mode = try FileManager.default.attributesOfItem(atPath: root + "/out/scripts/run.sh")[.posixPermissions] as? Int
        #expect(mode == 0o755)
        // The mirror is bare and keeps what it fetched.
        #expect(try Git.git(["rev-parse", "refs/heads/main"], in: try mirrors.path(forKey: "default/demo")) == head)
        await #expect(throws: GitError.self) {
            try await mirrors.export(key: "default/demo", commit: commit.hash, to: root + "/out")  // not empty
        }
    }

    @Test func fetchesIncrementallyAfterANewCommit() async throws {
        let root = try Support.makeDirectory("gitincr")
        defer { Support.cleanUp(root) }
        let repository = try Git.makeRepository(in: root)
        let mirrors = mirror(root)
        let first = try await mirrors.fetch(key: "ns/app", url: repository.url, reference: GitReference(branch: "main"), credentials: .none)
        let unchanged = try await mirrors.fetch(key: "ns/app", url: repository.url, reference: GitReference(branch: "main"), credentials: .none)
        #expect(unchanged == first)

        let next = try repository.commit(["deploy/app.yaml": "kind: Deployment\nreplicas: 2\n"], message: "Scale up")
        let second = try await mirrors.fetch(key: "ns/app", url: repository.url, reference: GitReference(branch: "main"), credentials: .none)
        #expect(second.hash == next)
        #expect(second.hash != first.hash)
        #expect(second.shortMessage == "Scale up")
        try await mirrors.export(key: "ns/app", commit: second.hash, to: root + "/out")
        #expect(try Support.read(root + "/out/deploy/app.yaml") == "kind: Deployment\nreplicas: 2\n")
        // The old commit is still in the mirror.
        try await mirrors.export(key: "ns/app", commit: first.hash, to: root + "/old")
        #expect(try Support.read(root + "/old/deploy/app.yaml") == "kind: Deployment\n")
    }

    @Test func selectsTagsBySemverConstraint() async throws {
        let root = try Support.makeDirectory("gitsemver")
        defer { Support.cleanUp(root) }
        let repository = try Git.makeRepository(in: root)
        try repository.tag("v1.0.0")
        let v110 = try repository.commit(["v": "1.1.0"], message: "1.1.0")
        try repository.tag("v1.1.0", annotated: true)
        let v120 = try repository.commit(["v": "1.2.0"], message: "1.2.0")
        try repository.tag("1.2.0")
        let rc = try repository.commit(["v": "2.0.0-rc.1"], message: "rc")
        try repository.tag("v2.0.0-rc.1")
        try repository.tag("not-a-version")
        let mirrors = mirror(root)

        func select(_ expression: String) async throws -> GitCommit {
            try await mirrors.fetch(key: "ns/semver", url: repository.url, reference: GitReference(semver: expression), credentials: .none)
        }
        let latest1 = try await select(">=1.0.0 <2.0.0")
        #expect(latest1.hash == v120)
        #expect(latest1.revision == "1.2.0@sha1:\(v120)")
        let tilde = try await select("~1.1")
        #expect(tilde.hash == v110)  // the annotated tag is peeled to its commit
        #expect(tilde.revision == "v1.1.0@sha1:\(v110)")
        let pre = try await select(">=2.0.0-0")
        #expect(pre.hash == rc)
        let star = try await select("*")
        #expect(star.hash == v120)  // prereleases only when asked for

        await #expect {
            try await select(">=3.0.0")
        } throws: { error in
            (error as? GitError) == GitError(.noSemverMatch, "no match found for semver: >=3.0.0")
        }
        await #expect {
            try await select("not a constraint")
        } throws: { error in
            (error as? GitError)?.code == .noSemverMatch
        }
    }

    @Test func pinsCommitsAndResolvesTagsAndNames() async throws {
        let root = try Support.makeDirectory("gitpin")
        defer { Support.cleanUp(root) }
        let repository = try Git.makeRepository(in: root)
        let first = try repository.head("HEAD~1")
        try repository.tag("v0.1.0", annotated: true)
        let tagged = try repository.head()
        try Git.git(["checkout", "-q", "-b", "feature"], in: repository.work)
        let feature = try repository.commit(["feature.yaml": "x: 1\n"], message: "Feature")
        try Git.git(["push", "-q", "origin", "HEAD:refs/pull/1/head"], in: repository.work)
        try Git.git(["checkout", "-q", "main"], in: repository.work)
        let mirrors = mirror(root)

        func fetch(_ reference: GitReference) async throws -> GitCommit {
            try await mirrors.fetch(key: "ns/pin", url: repository.url, reference: reference, credentials: .none)
        }
        let pinned = try await fetch(GitReference(commit: first))
        #expect(pinned.hash == first)
        #expect(pinned.revision == "sha1:\(first)")
        let pinnedOnBranch = try await fetch(GitReference(branch: "main", commit: first))
        #expect(pinnedOnBranch.revision == "main@sha1:\(first)")
        // Commit wins over every other field.
        let precedence = try await fetch(GitReference(branch: "main", tag: "v0.1.0", semver: "*", name: "refs/pull/1/head", commit: first))
        #expect(precedence.hash == first)

        let tag = try await fetch(GitReference(tag: "v0.1.0"))
        #expect(tag.revision == "v0.1.0@sha1:\(tagged)")
        let named = try await fetch(GitReference(branch: "main", name: "refs/pull/1/head"))
        #expect(named.revision == "refs/pull/1/head@sha1:\(feature)")

        await #expect {
            try await fetch(GitReference(branch: "main", commit: feature))
        } throws: { error in
            (error as? GitError)?.code == .referenceNotFound && "\(error)".contains("not on branch main")
        }
        await #expect {
            try await fetch(GitReference(commit: String(repeating: "ab", count: 20)))
        } throws: { error in
            (error as? GitError)?.code == .referenceNotFound && "\(error)".contains("not found")
        }
    }

    @Test func unknownReferencesFailClearly() async throws {
        let root = try Support.makeDirectory("gitunknown")
        defer { Support.cleanUp(root) }
        let repository = try Git.makeRepository(in: root)
        let mirrors = mirror(root)
        for (reference, fragment) in [
            (GitReference(branch: "nope"), "\"refs/heads/nope\""),
            (GitReference(), "\"refs/heads/master\""),  // Flux's default branch
            (GitReference(tag: "v9"), "\"refs/tags/v9\""),
            (GitReference(name: "refs/pull/9/head"), "\"refs/pull/9/head\""),
            (GitReference(name: "main"), "full name"),
            (GitReference(commit: "abc"), "40-character"),
        ] {
            await #expect {
                try await mirrors.fetch(key: "ns/x", url: repository.url, reference: reference, credentials: .none)
            } throws: { error in
                guard let error = error as? GitError else { return false }
                return error.code == .referenceNotFound && error.message.contains(fragment)
            }
        }
        await #expect {
            try await mirrors.fetch(key: "ns/x", url: "ftp://example.com/repo", reference: GitReference(), credentials: .none)
        } throws: { error in
            (error as? GitError)?.code == .invalidURL
        }
        await #expect {
            try await mirrors.fetch(key: "ns/x", url: "file://" + root + "/missing.git", reference: GitReference(), credentials: .none)
        } throws: { error in
            (error as? GitError)?.code == .operationFailed
        }
    }

    @Test func aChangedURLStartsAFreshMirror() async throws {
        let root = try Support.makeDirectory("giturl")
        defer { Support.cleanUp(root) }
        let one = try Git.makeRepository(in: root + "/one")
        try one.commit(["only-in-one": "1"], message: "one only")
        let two = try Git.makeRepository(in: root + "/two")
        try two.commit(["other": "x"], message: "other repo")
        let mirrors = mirror(root)
        let fromOne = try await mirrors.fetch(key: "ns/r", url: one.url, reference: GitReference(branch: "main"), credentials: .none)
        _ = try await mirrors.fetch(key: "ns/r", url: two.url, reference: GitReference(branch: "main"), credentials: .none)
        // A commit of the first repository must not be served for the second one.
        await #expect {
            try await mirrors.fetch(key: "ns/r", url: two.url, reference: GitReference(commit: fromOne.hash), credentials: .none)
        } throws: { error in
            (error as? GitError)?.code == .referenceNotFound
        }
        try await mirrors.remove(key: "ns/r")
        #expect(!Support.exists(try mirrors.path(forKey: "ns/r")))
    }

    @Test func commitsAndPushesFromAWorkingCopy() async throws {
        let root = try Support.makeDirectory("gitpush")
        defer { Support.cleanUp(root) }
        let repository = try Git.makeRepository(in: root)
        let copy = try await GitWorkingCopy.clone(url: repository.url, branch: "main", into: root + "/copy", credentials: .none)
        #expect(try Support.read(root + "/copy/deploy/app.yaml") == "kind: Deployment\n")
        #expect(try await copy.commitAll(message: "nothing", author: .init(name: "bot", email: "bot@example.com")) == nil)

        try Support.write("kind: Deployment\nimage: app:2\n", to: "deploy/app.yaml", in: root + "/copy")
        try Support.write("new\n", to: "new.yaml", in: root + "/copy")
        try FileManager.default.removeItem(atPath: root + "/copy/README.md")
        let author = GitCommit.Signature(name: "Flux Bot", email: "bot@example.com", time: 1_700_000_500)
        let commit = try #require(try await copy.commitAll(message: "Update image\n", author: author))
        #expect(commit.reference == "refs/heads/main")
        #expect(commit.author == author)
        try await copy.push(branch: "automation", credentials: .none)

        #expect(try Git.git(["rev-parse", "refs/heads/automation"], in: repository.bare) == commit.hash)
        #expect(try Git.git(["log", "-1", "--format=%an <%ae> %s", "automation"], in: repository.bare) == "Flux Bot <bot@example.com> Update image")
        let files = try Git.git(["ls-tree", "-r", "--name-only", "automation"], in: repository.bare)
        #expect(files.split(separator: "\n").sorted() == ["deploy/app.yaml", "new.yaml", "scripts/run.sh"])

        // A push that is not a fast-forward is rejected with a clear error.
        _ = try repository.commit(["conflict": "x"], message: "upstream moved")
        try Git.git(["push", "-q", "origin", "HEAD:refs/heads/automation", "--force"], in: repository.work)
        try Support.write("again\n", to: "new.yaml", in: root + "/copy")
        _ = try await copy.commitAll(message: "again", author: author)
        await #expect {
            try await copy.push(branch: "automation", credentials: .none)
        } throws: { error in
            (error as? GitError)?.code == .pushRejected
        }

        await #expect {
            try await GitWorkingCopy.clone(url: repository.url, branch: "nope", into: root + "/copy2", credentials: .none)
        } throws: { error in
            (error as? GitError)?.code == .referenceNotFound
        }
    }
}
