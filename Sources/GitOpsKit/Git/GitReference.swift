/// What to check out of a repository: Flux's `spec.ref` (`branch`, `tag`, `semver`, `name`, `commit`).
///
/// When several are set the most specific wins: **commit > name > semver > tag > branch**; a commit together with
/// a branch is looked up on that branch. With nothing set the branch is `master`, as in Flux.
public struct GitReference: Sendable, Hashable, Codable {
    public var branch: String?
    public var tag: String?
    public var semver: String?
    /// A full reference name, e.g. `refs/pull/420/head`.
    public var name: String?
    /// A full 40-hex commit SHA-1.
    public var commit: String?

    public init(branch: String? = nil, tag: String? = nil, semver: String? = nil, name: String? = nil, commit: String? = nil) {
        self.branch = branch
        self.tag = tag
        self.semver = semver
        self.name = name
        self.commit = commit
    }

    /// The branch Flux uses when `spec.ref` is empty.
    public static let defaultBranch = "master"

    /// The reference after applying precedence.
    public enum Resolved: Sendable, Hashable {
        case commit(String, branch: String?)
        case name(String)
        case semver(String)
        case tag(String)
        case branch(String)
    }

    /// Which of the set fields takes effect.
    public var resolved: Resolved {
        if let commit = nonEmpty(commit) { return .commit(commit.lowercased(), branch: nonEmpty(branch)) }
        if let name = nonEmpty(name) { return .name(name) }
        if let semver = nonEmpty(semver) { return .semver(semver) }
        if let tag = nonEmpty(tag) { return .tag(tag) }
        return .branch(nonEmpty(branch) ?? Self.defaultBranch)
    }

    private func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}

extension GitReference {
    /// The reference a GitRepository's `spec.ref` asks for (nil: the default branch).
    public init(_ reference: GitRepository.Reference?) {
        self.init(
            branch: reference?.branch, tag: reference?.tag, semver: reference?.semver, name: reference?.name,
            commit: reference?.commit)
    }
}
