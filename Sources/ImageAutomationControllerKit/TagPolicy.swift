import GitOpsKit

/// How an ImagePolicy elects the latest tag, with Flux's semantics (`internal/policy`):
///
/// - `semver`: tags that are strict SemVer (three numbers, no leading zeros; a `v` prefix allowed) and satisfy
///   the Masterminds range; the highest wins (the first of equal versions). A range without a pre-release part
///   never matches pre-releases.
/// - `alphabetical`: byte-wise string order; `asc` (default) elects the last, `desc` the first.
/// - `numerical`: every candidate must parse as a number; `asc` (default) elects the largest, `desc` the
///   smallest (a later equal value wins).
///
/// With `filterTags`, only tags the pattern matches are candidates, each replaced by `extract` (Go's
/// `ExpandString`; default the tag) for ordering; the elected value maps back to its tag.
struct TagPolicy {
    enum Ordering {
        case semver(SemverConstraint)
        case alphabetical(ImagePolicy.SortOrder)
        case numerical(ImagePolicy.SortOrder)
    }

    let ordering: Ordering
    let filter: (pattern: TagPattern, extract: String)?

    /// Compiles the policy of `spec`.
    ///
    /// - Throws: ``TagPolicyError/invalidPolicy(_:)`` for a bad range, order or regex (only a spec change fixes it).
    init(_ spec: ImagePolicy.Spec) throws(TagPolicyError) {
        let choice = spec.policy
        if let semver = choice.semver {
            do {
                ordering = .semver(try SemverConstraint(semver.range))
            } catch {
                throw .invalidPolicy("invalid policy: \(error)")
            }
        } else if let alphabetical = choice.alphabetical {
            ordering = .alphabetical(try Self.order(alphabetical))
        } else if let numerical = choice.numerical {
            ordering = .numerical(try Self.order(numerical))
        } else {
            throw .invalidPolicy("invalid policy: given ImagePolicyChoice object is invalid")
        }
        if let filterTags = spec.filterTags {
            do {
                filter = (try TagPattern(filterTags.pattern ?? ""), filterTags.extract ?? "")
            } catch {
                throw .invalidPolicy("failed to filter tags: \(error)")
            }
        } else {
            filter = nil
        }
    }

    private static func order(_ policy: ImagePolicy.OrderPolicy) throws(TagPolicyError) -> ImagePolicy.SortOrder {
        switch policy.order?.rawValue.lowercased() ?? "" {
        case "", "asc": return .ascending
        case "desc": return .descending
        case let other:
            throw .invalidPolicy("invalid policy: invalid order argument provided: '\(other.uppercased())', must be one of: ASC, DESC")
        }
    }

    /// The elected tag among `tags`.
    ///
    /// - Throws: ``TagPolicyError/noMatch(_:)`` when no tag qualifies (or, for `numerical`, one does not parse).
    func latest(of tags: [String]) throws(TagPolicyError) -> String {
        var candidates: [(value: String, tag: String)] = []
        candidates.reserveCapacity(tags.count)
        if let filter {
            for tag in tags {
                if let value = filter.pattern.extract(filter.extract, from: tag) { candidates.append((value, tag)) }
            }
            guard !candidates.isEmpty else {
                throw .noMatch("no tag matches the filterTags pattern '\(filter.pattern.pattern)' (\(tags.count) tags scanned)")
            }
        } else {
            candidates = tags.map { ($0, $0) }
            guard !candidates.isEmpty else { throw .noMatch("the image repository has no tags") }
        }
        switch ordering {
        case .semver(let constraint):
            var best: (version: SemanticVersion, tag: String)?
            for candidate in candidates {
                guard let version = Self.strictVersion(candidate.value), constraint.isSatisfied(by: version) else { continue }
                if let current = best, version <= current.version { continue }
                best = (version, candidate.tag)
            }
            guard let best else {
                throw .noMatch("no tag satisfies the semver range '\(constraint.text)' (\(candidates.count) candidate tags)")
            }
            return best.tag
        case .alphabetical(let order):
            var best = candidates[0]
            for candidate in candidates.dropFirst() {
                let before = candidate.value.utf8.lexicographicallyPrecedes(best.value.utf8)
                let after = best.value.utf8.lexicographicallyPrecedes(candidate.value.utf8)
                if order == .descending ? before : after { best = candidate }
            }
            return best.tag
        case .numerical(let order):
            var best: (number: Double, tag: String)?
            for candidate in candidates {
                guard let number = Double(candidate.value) else {
                    throw .noMatch("failed to parse invalid numeric value '\(candidate.value)'")
                }
                if let current = best {
                    if order == .ascending ? number < current.number : number > current.number { continue }
                }
                best = (number, candidate.tag)
            }
            // Non-empty candidates always elect one.
            return best?.tag ?? candidates[0].tag
        }
    }

    /// `fluxcd/pkg/version.ParseVersion`: Masterminds' strict SemVer, plus an optional leading `v`.
    static func strictVersion(_ tag: String) -> SemanticVersion? {
        var core = Substring(tag)
        if core.hasPrefix("v") { core = core.dropFirst() }
        if let end = core.firstIndex(where: { $0 == "-" || $0 == "+" }) { core = core[..<end] }
        let numbers = core.split(separator: ".", omittingEmptySubsequences: false)
        guard numbers.count == 3,
              numbers.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isDecimalDigitASCII) && ($0 == "0" || !$0.hasPrefix("0")) })
        else { return nil }
        return SemanticVersion(tag)
    }
}

/// Why a policy elected nothing.
enum TagPolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The policy cannot be used as written (bad range, order or regex): Stalled, reason `InvalidPolicy`.
    case invalidPolicy(String)
    /// The scanned tags hold no candidate: Ready=False, retried.
    case noMatch(String)

    var description: String {
        switch self {
        case .invalidPolicy(let message), .noMatch(let message): message
        }
    }
}
