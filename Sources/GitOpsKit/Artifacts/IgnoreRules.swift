/// Which paths to leave out of an artifact, in `.sourceignore` (gitignore) syntax with Flux's semantics: the last
/// matching pattern decides, `!pattern` re-includes, `dir/` excludes a directory and everything below it.
///
/// Usage:
/// ```swift
/// var rules = IgnoreRules.fluxDefaults
/// rules.append(patterns: "*.md\n!README.md\n")
/// rules.isExcluded("docs/guide.md", isDirectory: false)   // true
/// ```
public struct IgnoreRules: Sendable, Hashable {
    private(set) var patterns: [IgnorePattern]

    /// No rules: nothing is excluded.
    public init() {
        patterns = []
    }

    /// Rules parsed from the lines of an ignore file that lives in `domain` (a `/`-separated directory relative to
    /// the archive root; empty for the root).
    public init(patterns text: String, domain: String = "") {
        patterns = []
        append(patterns: text, domain: domain)
    }

    /// Adds the lines of an ignore file after the existing rules (so they take precedence).
    public mutating func append(patterns text: String, domain: String = "") {
        let domainComponents = domain.split(separator: "/").filter { $0 != "." }
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if let pattern = IgnorePattern(line: line, domain: domainComponents) { patterns.append(pattern) }
        }
    }

    /// Adds another rule set after this one.
    public mutating func append(contentsOf other: IgnoreRules) {
        patterns += other.patterns
    }

    /// Whether no rule is present.
    public var isEmpty: Bool { patterns.isEmpty }

    /// Whether some rule re-includes (`!`); without one an excluded directory's whole subtree is excluded, so a walker
    /// may skip it.
    public var hasInclusions: Bool { patterns.contains { $0.isInclusion } }

    /// Whether `path` (relative, `/`-separated) is excluded. Directories are matched as directories, so `dir/`
    /// patterns apply to them; a file below an excluded directory is excluded unless a later `!` rule re-includes it.
    public func isExcluded(_ path: String, isDirectory: Bool) -> Bool {
        let components = path.split(separator: "/").filter { $0 != "." }
        guard !components.isEmpty else { return false }
        for pattern in patterns.reversed() {
            switch pattern.match(components, isDirectory: isDirectory) {
            case .noMatch: continue
            case .exclude: return true
            case .include: return false
            }
        }
        return false
    }
}

extension IgnoreRules {
    /// Version-control files Flux never archives.
    public static let vcsPatterns = ".git/\n.gitignore\n.gitmodules\n.gitattributes\n"

    /// Flux's default exclusions besides VCS files: media and archives, CI configuration, release and SOPS configs.
    public static let defaultExclusionPatterns = """
        *.jpg
        *.jpeg
        *.gif
        *.png
        *.wmv
        *.flv
        *.tar.gz
        *.zip
        .github/
        .circleci/
        .travis.yml
        .gitlab-ci.yml
        appveyor.yml
        .drone.yml
        cloudbuild.yaml
        codeship-services.yml
        codeship-steps.yml
        **/.goreleaser.yml
        **/.sops.yaml
        **/.flux.yaml

        """

    /// The name of the per-directory ignore file.
    public static let sourceIgnoreFileName = ".sourceignore"

    /// Flux's built-in rules (VCS files plus the default exclusions), applied before any user rule.
    public static let fluxDefaults = IgnoreRules(patterns: vcsPatterns + defaultExclusionPatterns)
}
