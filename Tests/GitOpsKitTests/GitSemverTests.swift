import Testing

@testable import GitOpsKit

@Suite struct GitSemverTests {
    @Test func parsesVersionsLeniently() throws {
        let full = try #require(SemanticVersion("v1.2.3-rc.1+build.5"))
        #expect(full.major == 1 && full.minor == 2 && full.patch == 3)
        #expect(full.prerelease == "rc.1")
        #expect(full.metadata == "build.5")
        #expect(full.original == "v1.2.3-rc.1+build.5")
        #expect(full.description == "1.2.3-rc.1+build.5")
        #expect(SemanticVersion("1.2")?.description == "1.2.0")
        #expect(SemanticVersion("7")?.description == "7.0.0")
        #expect(SemanticVersion("01.2.3")?.description == "1.2.3")  // coerced, as Masterminds does
        for bad in ["", "v", "latest", "1.2.3.4", "1.2.", "1.2.3-", "1.2.3-01", "1.2.3-a..b", "V1.0.0", "1.2.3+", "x.1"] {
            #expect(SemanticVersion(bad) == nil, "\(bad) should not parse")
        }
    }

    @Test func ordersBySemverPrecedence() throws {
        let ordered = [
            "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
            "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "2.0.0",
        ].compactMap(SemanticVersion.init)
        #expect(ordered.count == 11)
        for index in 1..<ordered.count {
            #expect(ordered[index - 1] < ordered[index], "\(ordered[index - 1]) < \(ordered[index])")
        }
        #expect(SemanticVersion("1.0.0+a") == SemanticVersion("v1.0.0+b"))  // metadata is ignored
    }

    /// (constraint, version, satisfied) — cases from the Masterminds/semver documentation.
    static let checks: [(String, String, Bool)] = [
        ("=1.2.3", "1.2.3", true), ("1.2.3", "1.2.4", false), ("!=1.2.3", "1.2.4", true), ("!=1.2.3", "1.2.3", false),
        (">1.2.3", "1.2.4", true), (">1.2.3", "1.2.3", false), ("<1.2.3", "1.2.2", true), (">=1.2.3", "1.2.3", true),
        ("<=1.2.3", "1.2.3", true), ("=<1.2.3", "1.2.4", false), ("=>1.2.3", "1.2.4", true),
        // Wildcards and partial versions.
        ("1.2.x", "1.2.9", true), ("1.2.x", "1.3.0", false), ("1.2", "1.2.7", true), ("*", "3.4.5", true),
        ("1.x", "1.9.9", true), ("1.x", "2.0.0", false), (">1.x", "1.5.0", false), (">1.x", "2.0.0", true),
        (">1.2", "1.2.5", false), (">1.2", "1.3.0", true), ("<=1.2", "1.2.9", true), ("<=1.2", "1.3.0", false),
        ("!=1.2.x", "1.2.5", false), ("!=1.2.x", "1.3.0", true),
        // Tilde: patch-level changes (minor-level when only a major is given).
        ("~1.2.3", "1.2.9", true), ("~1.2.3", "1.3.0", false), ("~1.2.3", "1.2.2", false), ("~1", "1.9.0", true),
        ("~1", "2.0.0", false), ("~>1.2", "1.2.8", true), ("~0", "0.9.9", true),
        // Caret: compatible with the left-most non-zero part.
        ("^1.2.3", "1.9.0", true), ("^1.2.3", "2.0.0", false), ("^0.2.3", "0.2.9", true), ("^0.2.3", "0.3.0", false),
        ("^0.0.3", "0.0.3", true), ("^0.0.3", "0.0.4", false), ("^0", "0.9.0", true), ("^0.0", "0.1.0", false),
        // AND, OR and hyphen ranges.
        (">= 1.2, < 3.0.0", "2.9.9", true), (">= 1.2, < 3.0.0", "3.0.0", false), (">=1.0.0 <2.0.0", "1.5.0", true),
        ("<1.0.0 || >=2.0.0", "1.5.0", false), ("<1.0.0 || >=2.0.0", "2.1.0", true),
        ("1.2 - 1.4.5", "1.4.5", true), ("1.2 - 1.4.5", "1.4.6", false), ("1.2 - 1.4.5", "1.1.9", false),
        ("1.2.3 - 2", "2.9.0", true), ("1.2.3 - 2", "3.0.0", false),
        // Prereleases only when the constraint group names one.
        (">=1.0.0", "1.1.0-rc.1", false), (">=1.0.0-0", "1.1.0-rc.1", true), ("*", "1.0.0-alpha", false),
        (">=1.0.0-0 || <0.1.0", "2.0.0-beta", true), ("~1.2.3-beta.2", "1.2.3-beta.4", true),
        ("~1.2.3-beta.2", "1.2.4-beta.1", true), ("^1.2.3-beta.2", "1.2.3-beta.1", false),
        ("v1.2.3", "1.2.3", true), (">1.2.3+meta", "1.2.4", true),
    ]

    @Test(arguments: 0..<checks.count)
    func constraintCheck(_ index: Int) throws {
        let (expression, text, expected) = Self.checks[index]
        let constraint = try SemverConstraint(expression)
        let version = try #require(SemanticVersion(text))
        #expect(constraint.isSatisfied(by: version) == expected, "\(expression) vs \(text)")
    }

    @Test func rejectsMalformedConstraints() {
        for bad in ["", "latest", ">=", "1.2.3 ~", "1..2", ">=a.b", "1.2.3 || ", ">=1.0.0,,<2"] {
            #expect(throws: SemverConstraintError.self, "\(bad.debugDescription) should not parse") {
                try SemverConstraint(bad)
            }
        }
        #expect((try? SemverConstraint("1.2.3,<4"))?.text == "1.2.3,<4")
        #expect(SemverConstraintError(constraint: "x").description == "improper constraint: x")
    }

    @Test func picksTheHighestMatch() throws {
        let constraint = try SemverConstraint(">=1.0.0 <2.0.0")
        let versions = ["0.9.0", "1.0.0", "1.4.0", "1.10.0", "2.0.0", "1.11.0-rc.1"].compactMap(SemanticVersion.init)
        #expect(constraint.highest(in: versions)?.description == "1.10.0")
        #expect(try SemverConstraint(">=3").highest(in: versions) == nil)
    }

    @Test func referencePrecedenceAndRevisions() {
        #expect(GitReference().resolved == .branch("master"))
        #expect(GitReference(branch: "main", tag: "v1").resolved == .tag("v1"))
        #expect(GitReference(tag: "v1", semver: "1.x").resolved == .semver("1.x"))
        #expect(GitReference(semver: "1.x", name: "refs/pull/1/head").resolved == .name("refs/pull/1/head"))
        #expect(GitReference(branch: "dev", name: "refs/x", commit: "ABC").resolved == .commit("abc", branch: "dev"))
        #expect(GitReference(branch: "", tag: "").resolved == .branch("master"))
        #expect(GitReference(nil as GitRepository.Reference?).resolved == .branch("master"))
        #expect(GitReference(GitRepository.Reference(branch: "main", semver: ">=1")).resolved == .semver(">=1"))

        let signature = GitCommit.Signature(name: "a", email: "b")
        let hash = String(repeating: "a", count: 40)
        func commit(_ reference: String, absolute: Bool = false) -> GitCommit {
            GitCommit(hash: hash, reference: reference, message: "m", author: signature, committer: signature, keepsAbsoluteReference: absolute)
        }
        #expect(commit("refs/heads/main").revision == "main@sha1:\(hash)")
        #expect(commit("refs/heads/feature/x").revision == "feature/x@sha1:\(hash)")
        #expect(commit("refs/tags/v1.0").revision == "v1.0@sha1:\(hash)")
        #expect(commit("refs/pull/1/head", absolute: true).revision == "refs/pull/1/head@sha1:\(hash)")
        #expect(commit("").revision == "sha1:\(hash)")
        let long = GitCommit(
            hash: hash, reference: "", message: String(repeating: "é", count: 60) + "\nbody", author: signature, committer: signature)
        #expect(long.shortMessage == String(repeating: "é", count: 50) + "...")
    }
}
