/// A version constraint in Masterminds/semver v3 syntax (the `spec.ref.semver` of a GitRepository, the `version` of a
/// HelmChart): comparators `=`, `!=`, `>`, `<`, `>=`, `<=`, `~`, `~>`, `^`, wildcards (`1.2.x`, `*`), hyphen ranges
/// (`1.2 - 1.4.5`), AND with spaces or commas, OR with `||`.
///
/// Prereleases only match when a comparator in the same `||` group names a prerelease (`>=1.0.0-0`), as in
/// Masterminds/semver.
///
/// Usage:
/// ```swift
/// let constraint = try SemverConstraint(">=1.0.0 <2.0.0")
/// constraint.isSatisfied(by: SemanticVersion("v1.4.2")!)   // true
/// ```
public struct SemverConstraint: Sendable, Hashable, CustomStringConvertible {
    /// The text the constraint was parsed from.
    public let text: String
    private let groups: [[Comparator]]

    /// Parses `text`; throws for anything Masterminds/semver would reject (`improper constraint: …`).
    public init(_ text: String) throws(SemverConstraintError) {
        self.text = text
        let rewritten = Self.rewriteHyphenRanges(text)
        var groups: [[Comparator]] = []
        for part in rewritten.split(separator: "||", omittingEmptySubsequences: false) {
            groups.append(try Self.parseGroup(Substring(part)))
        }
        self.groups = groups
    }

    public var description: String { text }

    /// Whether `version` satisfies some `||` group.
    public func isSatisfied(by version: SemanticVersion) -> Bool {
        groups.contains { group in
            let includePrerelease = group.contains { $0.version.isPrerelease }
            return group.allSatisfy { $0.admits(version, includePrerelease: includePrerelease) }
        }
    }

    /// The highest of `versions` that satisfies the constraint.
    public func highest(in versions: some Sequence<SemanticVersion>) -> SemanticVersion? {
        versions.filter(isSatisfied(by:)).max()
    }
}

/// A constraint that could not be parsed.
public struct SemverConstraintError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The offending part of the expression.
    public var constraint: String
    public var description: String { "improper constraint: \(constraint)" }
}

// MARK: - Parsing

extension SemverConstraint {
    private static let operators = ["!=", ">=", "=>", "<=", "=<", "~>", "=", ">", "<", "~", "^"]

    /// One parsed version token: the numeric parts as written (`1`, `x`, `*`, or absent), prerelease and metadata.
    fileprivate struct VersionToken {
        var original: Substring
        var parts: [Substring]
        var prerelease: Substring?
        var metadata: Substring?
    }

    /// `A - B` → `>= A, <= B`, as Masterminds does before anything else.
    private static func rewriteHyphenRanges(_ text: String) -> String {
        var scanner = Substring(text)
        var output = ""
        while !scanner.isEmpty {
            // A range is `<version> - <version>` with whitespace on both sides of the dash.
            var probe = scanner.drop(while: \.isWhitespace)
            let leading = scanner[scanner.startIndex..<probe.startIndex]
            if let first = parseVersionToken(&probe) {
                var afterFirst = probe
                let spaceBefore = afterFirst.prefix(while: \.isWhitespace)
                afterFirst = afterFirst.dropFirst(spaceBefore.count)
                if !spaceBefore.isEmpty, afterFirst.hasPrefix("-") {
                    var afterDash = afterFirst.dropFirst()
                    let spaceAfter = afterDash.prefix(while: \.isWhitespace)
                    afterDash = afterDash.dropFirst(spaceAfter.count)
                    if !spaceAfter.isEmpty, let second = parseVersionToken(&afterDash) {
                        output += ">= \(first.original), <= \(second.original) "
                        scanner = afterDash.drop(while: \.isWhitespace)
                        continue
                    }
                }
                output += leading + first.original
                scanner = probe
                continue
            }
            if let next = scanner.first {
                output.append(next)
                scanner = scanner.dropFirst()
            }
        }
        return output
    }

    /// `v?[0-9xX*]+(\.[0-9xX*]+)?(\.[0-9xX*]+)?(-ids)?(\+ids)?` at the start of `text`.
    private static func parseVersionToken(_ text: inout Substring) -> VersionToken? {
        let start = text.startIndex
        var rest = text
        if rest.hasPrefix("v") { rest = rest.dropFirst() }
        var parts: [Substring] = []
        let isPartCharacter: (Character) -> Bool = { $0.isASCII && ($0.isNumber || $0 == "x" || $0 == "X" || $0 == "*") }
        let first = rest.prefix(while: isPartCharacter)
        guard !first.isEmpty else { return nil }
        parts.append(first)
        rest = rest.dropFirst(first.count)
        while parts.count < 3, rest.hasPrefix(".") {
            let part = rest.dropFirst().prefix(while: isPartCharacter)
            guard !part.isEmpty else { break }
            parts.append(part)
            rest = rest.dropFirst(1 + part.count)
        }
        var prerelease: Substring? = nil
        if rest.hasPrefix("-"), let ids = identifiers(rest.dropFirst()) {
            prerelease = ids
            rest = rest.dropFirst(1 + ids.count)
        }
        var metadata: Substring? = nil
        if rest.hasPrefix("+"), let ids = identifiers(rest.dropFirst()) {
            metadata = ids
            rest = rest.dropFirst(1 + ids.count)
        }
        let token = VersionToken(original: text[start..<rest.startIndex], parts: parts, prerelease: prerelease, metadata: metadata)
        text = rest
        return token
    }

    /// `[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*` at the start of `text`.
    private static func identifiers(_ text: Substring) -> Substring? {
        let isIdentifierCharacter: (Character) -> Bool = { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        var end = text.startIndex
        var rest = text
        while true {
            let identifier = rest.prefix(while: isIdentifierCharacter)
            guard !identifier.isEmpty else { break }
            end = identifier.endIndex
            rest = rest[identifier.endIndex...]
            guard rest.hasPrefix("."), let next = rest.dropFirst().first, isIdentifierCharacter(next) else { break }
            rest = rest.dropFirst()
        }
        return end == text.startIndex ? nil : text[text.startIndex..<end]
    }

    /// One `||` alternative: comparators separated by whitespace or commas.
    private static func parseGroup(_ group: Substring) throws(SemverConstraintError) -> [Comparator] {
        var rest = group.drop(while: \.isWhitespace)
        var comparators: [Comparator] = []
        while true {
            let op = operators.first { rest.hasPrefix($0) } ?? ""
            var afterOperator = rest.dropFirst(op.count).drop(while: \.isWhitespace)
            guard let token = parseVersionToken(&afterOperator) else {
                throw SemverConstraintError(constraint: String(group))
            }
            comparators.append(try Comparator(op: op, token: token, group: group))
            let spaces = afterOperator.prefix(while: \.isWhitespace)
            rest = afterOperator.dropFirst(spaces.count)
            if rest.isEmpty { return comparators }
            if rest.hasPrefix(",") {
                rest = rest.dropFirst().drop(while: \.isWhitespace)
            } else if spaces.isEmpty {
                throw SemverConstraintError(constraint: String(group))
            }
        }
    }
}

// MARK: - Comparators

extension SemverConstraint {
    fileprivate struct Comparator: Sendable, Hashable {
        var op: String
        var version: SemanticVersion
        /// Some part was a wildcard or missing (`1.2`, `1.x`, `*`).
        var dirty: Bool
        var minorDirty: Bool
        var patchDirty: Bool

        init(op: String, token: VersionToken, group: Substring) throws(SemverConstraintError) {
            self.op = op
            func isWildcard(_ part: Substring?) -> Bool {
                guard let part else { return true }
                return part == "x" || part == "X" || part == "*"
            }
            let parts = token.parts
            let pre = token.prerelease.map { "-" + $0 } ?? ""
            var text = String(token.original)
            (dirty, minorDirty, patchDirty) = (false, false, false)
            if isWildcard(parts.first) {
                text = "0.0.0" + pre
                dirty = true
            } else if isWildcard(parts.count > 1 ? parts[1] : nil) {
                text = "\(parts[0]).0.0" + pre
                (dirty, minorDirty) = (true, true)
            } else if isWildcard(parts.count > 2 ? parts[2] : nil) {
                text = "\(parts[0]).\(parts[1]).0" + pre
                (dirty, patchDirty) = (true, true)
            }
            guard let version = SemanticVersion(text) else { throw SemverConstraintError(constraint: String(group)) }
            self.version = version
        }

        func admits(_ v: SemanticVersion, includePrerelease: Bool) -> Bool {
            if v.isPrerelease && !includePrerelease { return false }
            let c = version
            switch op {
            case "", "=":
                return dirty ? tilde(v) : v == c
            case "!=":
                if dirty {
                    if c.major != v.major { return true }
                    if c.minor != v.minor && !minorDirty { return true }
                    if minorDirty { return false }
                    if c.patch != v.patch && !patchDirty { return true }
                    if patchDirty {
                        if v.isPrerelease || c.isPrerelease {
                            return SemanticVersion.compare(
                                SemanticVersion(major: 0, minor: 0, patch: 0, prerelease: v.prerelease),
                                SemanticVersion(major: 0, minor: 0, patch: 0, prerelease: c.prerelease)) != 0
                        }
                        return false
                    }
                }
                return v != c
            case ">":
                if !dirty { return v > c }
                if v.major > c.major { return true }
                if v.major < c.major || minorDirty { return false }
                if patchDirty { return v.minor > c.minor }
                return v > c
            case "<":
                return v < c
            case ">=", "=>":
                return v >= c
            case "<=", "=<":
                if !dirty { return v <= c }
                if v.major > c.major { return false }
                if v.major == c.major && v.minor > c.minor && !minorDirty { return false }
                return true
            case "~", "~>":
                return tilde(v)
            case "^":
                return caret(v)
            default:
                return false
            }
        }

        private func tilde(_ v: SemanticVersion) -> Bool {
            let c = version
            if v < c { return false }
            if c.major == 0 && c.minor == 0 && c.patch == 0 && !minorDirty && !patchDirty { return true }
            if v.major != c.major { return false }
            if v.minor != c.minor && !minorDirty { return false }
            return true
        }

        private func caret(_ v: SemanticVersion) -> Bool {
            let c = version
            if v < c { return false }
            if c.major > 0 || minorDirty { return v.major == c.major }
            if v.major > 0 { return false }
            if c.minor > 0 || patchDirty { return v.minor == c.minor }
            if v.minor > 0 { return false }
            return v.patch == c.patch
        }
    }
}
