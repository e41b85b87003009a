import Foundation
import Testing

@testable import GitOpsKit

@Suite struct ArtifactIgnoreRulesTests {
    /// (patterns, path, isDirectory, excluded)
    static let cases: [(String, String, Bool, Bool)] = [
        // Plain names match at any depth.
        ("*.md", "README.md", false, true),
        ("*.md", "docs/guide.md", false, true),
        ("*.md", "docs/guide.yaml", false, false),
        // Negation: the last matching line wins.
        ("*.md\n!README.md", "README.md", false, false),
        ("*.md\n!README.md", "docs/guide.md", false, true),
        ("!README.md\n*.md", "README.md", false, true),
        // Directory-only patterns.
        ("build/", "build", true, true),
        ("build/", "build", false, false),
        ("build/", "build/out.yaml", false, true),
        ("build/", "src/build/out.yaml", false, true),
        // A leading slash anchors to the ignore file's directory.
        ("/root.txt", "root.txt", false, true),
        ("/root.txt", "sub/root.txt", false, false),
        // An inner slash anchors too, and `*` does not cross `/`.
        ("docs/*.txt", "docs/a.txt", false, true),
        ("docs/*.txt", "x/docs/a.txt", false, false),
        ("docs/*.txt", "docs/sub/a.txt", false, false),
        // Everything below a matched directory is matched.
        ("config/dev", "config/dev/app.yaml", false, true),
        // `**` for any number of directories.
        ("**/foo", "foo", false, true),
        ("**/foo", "a/b/foo", false, true),
        ("a/**/b", "a/b", false, true),
        ("a/**/b", "a/x/y/b", false, true),
        ("a/**/b", "a/x/y/c", false, false),
        ("logs/**", "logs/2024/app.log", false, true),
        ("logs/**", "logs", true, true),  // Flux (go-git) semantics: the directory itself matches too
        // Character classes, `?` and escapes.
        ("file[0-9].txt", "file7.txt", false, true),
        ("file[0-9].txt", "filex.txt", false, false),
        ("file[^0-9].txt", "filex.txt", false, true),
        ("?.yaml", "a.yaml", false, true),
        ("?.yaml", "ab.yaml", false, false),
        ("\\#notes", "#notes", false, true),
        // Comments, blank lines and trailing spaces.
        ("# comment\n\n*.tmp   ", "x.tmp", false, true),
        ("# *.yaml", "a.yaml", false, false),
        // A malformed pattern matches nothing.
        ("[", "[", false, false),
    ]

    @Test(arguments: 0..<cases.count)
    func gitignoreCase(_ index: Int) {
        let (patterns, path, isDirectory, excluded) = Self.cases[index]
        let rules = IgnoreRules(patterns: patterns)
        #expect(
            rules.isExcluded(path, isDirectory: isDirectory) == excluded,
            "patterns \(patterns.debugDescription) on \(path) (dir: \(isDirectory))")
    }

    @Test func domainScopesPatternsToTheirDirectory() {
        let rules = IgnoreRules(patterns: "*.yaml\n/top.txt\n", domain: "sub")
        #expect(rules.isExcluded("sub/a.yaml", isDirectory: false))
        #expect(rules.isExcluded("sub/deeper/a.yaml", isDirectory: false))
        #expect(!rules.isExcluded("a.yaml", isDirectory: false))
        #expect(rules.isExcluded("sub/top.txt", isDirectory: false))
        #expect(!rules.isExcluded("sub/x/top.txt", isDirectory: false))
        #expect(!rules.isExcluded("sub", isDirectory: true))
    }

    @Test func fluxDefaultsExcludeVCSMediaCIAndSecretsConfigs() {
        let rules = IgnoreRules.fluxDefaults
        for path in [
            ".git/HEAD", ".gitignore", ".gitmodules", "logo.png", "img/a.JPG.jpg", "bundle.tar.gz", "x.zip",
            ".github/workflows/ci.yaml", ".circleci/config.yml", ".travis.yml", ".gitlab-ci.yml",
            "deep/dir/.sops.yaml", ".goreleaser.yml", "apps/.flux.yaml",
        ] {
            #expect(rules.isExcluded(path, isDirectory: false), "\(path) should be excluded")
        }
        for path in ["app.yaml", "kustomization.yaml", "charts/podinfo/Chart.yaml", "github/readme.md", "a.tar"] {
            #expect(!rules.isExcluded(path, isDirectory: false), "\(path) should be kept")
        }
        #expect(rules.isExcluded(".git", isDirectory: true))
        #expect(!rules.hasInclusions)
    }

    @Test func specIgnoreCanReincludeADefault() {
        var rules = IgnoreRules.fluxDefaults
        rules.append(patterns: "!logo.png\n")
        #expect(!rules.isExcluded("logo.png", isDirectory: false))
        #expect(rules.isExcluded("other.png", isDirectory: false))
        #expect(rules.hasInclusions)
    }

    @Test func sourceIgnoreFilesAreLoadedPerDirectory() throws {
        let root = try ArtifactTestSupport.makeDirectory("srcign")
        defer { ArtifactTestSupport.cleanUp(root) }
        try ArtifactTestSupport.write("*.txt\n", to: ".sourceignore", in: root)
        try ArtifactTestSupport.write("/local.yaml\n!keep.txt\n", to: "apps/.sourceignore", in: root)
        try ArtifactTestSupport.write("*\n", to: ".git/.sourceignore", in: root)  // never read
        let rules = try IgnoreRules.forSource(root: root, specIgnore: "extra/\n")
        #expect(rules.isExcluded("a.txt", isDirectory: false))
        #expect(rules.isExcluded("apps/a.txt", isDirectory: false))
        #expect(!rules.isExcluded("apps/keep.txt", isDirectory: false))
        #expect(rules.isExcluded("apps/local.yaml", isDirectory: false))
        #expect(!rules.isExcluded("local.yaml", isDirectory: false))
        #expect(!rules.isExcluded("app.yaml", isDirectory: false))
        #expect(rules.isExcluded("extra", isDirectory: true))
        #expect(rules.isExcluded("x.png", isDirectory: false))
    }
}
