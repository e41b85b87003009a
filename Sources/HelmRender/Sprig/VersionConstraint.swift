/// A Masterminds/semver v3 constraint (Helm's `semverCompare`, chart dependency `version:` ranges):
/// comparisons `= != > < >= <= =>  =<`, tilde `~1.2` (`~>`), caret `^1.2`, wildcards `1.x`/`1.2.*`/`*`, hyphen
/// ranges `1.2 - 1.4`, AND by spaces or commas, OR by `||`.
///
/// A version with a pre-release only satisfies a comparison whose own version has a pre-release
/// (`>=1.0.0-0` admits `1.2.0-rc.1`; `>=1.0.0` does not).
///
/// Usage:
/// ```swift
/// let constraint = try VersionConstraint(parsing: ">=1.21.0-0 <2")
/// constraint.isSatisfied(by: try SemanticVersion(parsing: "v1.27.3-gke.100"))   // true
/// ```
public struct VersionConstraint: Sendable, CustomStringConvertible {
    /// One comparison: an operator and its (possibly wildcarded) version.
    struct Comparison: Sendable {
        var operation: String
        var version: SemanticVersion
        /// The version text as written (`1.2.x`).
        var written: String
        /// Which parts were wildcards or missing.
        var dirty: Bool
        var minorDirty: Bool
        var patchDirty: Bool
    }

    /// Alternatives (`||`), each a conjunction of comparisons.
    let alternatives: [[Comparison]]

    /// Parses `text`; errors carry Masterminds' messages (`improper constraint: …`).
    public init(parsing text: String) throws(SemanticVersionError) {
        let rewritten = ConstraintSyntax.rewriteRanges(text)
        var alternatives: [[Comparison]] = []
        for part in ConstraintSyntax.split(rewritten, on: "||") {
            guard ConstraintSyntax.isValid(part) else { throw SemanticVersionError("improper constraint: \(part)") }
            var comparisons: [Comparison] = []
            let found = ConstraintSyntax.comparisons(in: part)
            for piece in found.isEmpty ? [part] : found {
                comparisons.append(try Self.parseComparison(piece))
            }
            alternatives.append(comparisons)
        }
        self.alternatives = alternatives
    }

    private static func parseComparison(_ text: String) throws(SemanticVersionError) -> Comparison {
        guard let parts = ConstraintSyntax.parseComparison(text) else {
            throw SemanticVersionError("improper constraint: \(text)")
        }
        func isWildcard(_ part: String) -> Bool { part == "x" || part == "X" || part == "*" }
        var versionText = parts.version
        var dirty = false
        var minorDirty = false
        var patchDirty = false
        if isWildcard(parts.major) || parts.major.isEmpty {
            versionText = "0.0.0" + parts.prerelease
            dirty = true
        } else if parts.minor.isEmpty || isWildcard(parts.minor) {
            versionText = parts.major + ".0.0" + parts.prerelease
            dirty = true
            minorDirty = true
        } else if parts.patch.isEmpty || isWildcard(parts.patch) {
            versionText = parts.major + "." + parts.minor + ".0" + parts.prerelease
            dirty = true
            patchDirty = true
        }
        guard let version = try? SemanticVersion(parsing: versionText) else {
            throw SemanticVersionError("constraint Parser Error")
        }
        return Comparison(operation: parts.operation, version: version, written: parts.version, dirty: dirty,
                          minorDirty: minorDirty, patchDirty: patchDirty)
    }

    /// Whether `version` satisfies every comparison of at least one alternative.
    public func isSatisfied(by version: SemanticVersion) -> Bool {
        alternatives.contains { comparisons in comparisons.allSatisfy { $0.admits(version) } }
    }

    /// The constraint in Masterminds' normalized form (`>=1.2 <2 || ~3`).
    public var description: String {
        alternatives.map { $0.map { $0.operation + $0.written }.joined(separator: " ") }.joined(separator: " || ")
    }
}

extension VersionConstraint.Comparison {
    func admits(_ v: SemanticVersion) -> Bool {
        let c = version
        switch operation {
        case "!=": return notEqual(v)
        case ">": return greater(v)
        case "<": return releaseRuleAllows(v) && v.compare(c) < 0
        case ">=", "=>": return releaseRuleAllows(v) && v.compare(c) >= 0
        case "<=", "=<": return lessOrEqual(v)
        case "~", "~>": return tilde(v)
        case "^": return caret(v)
        default: return releaseRuleAllows(v) && (dirty ? tilde(v) : v.compare(c) == 0)
        }
    }

    /// A pre-release version only matches a comparison that names a pre-release itself.
    private func releaseRuleAllows(_ v: SemanticVersion) -> Bool { v.prerelease.isEmpty || !version.prerelease.isEmpty }

    private func notEqual(_ v: SemanticVersion) -> Bool {
        let c = version
        if dirty {
            if !releaseRuleAllows(v) { return false }
            if c.major != v.major { return true }
            if c.minor != v.minor && !minorDirty { return true }
            if minorDirty { return false }
            if c.patch != v.patch && !patchDirty { return true }
            if patchDirty {
                if !v.prerelease.isEmpty || !c.prerelease.isEmpty {
                    return SemanticVersion.comparePrerelease(v.prerelease, c.prerelease) != 0
                }
                return false
            }
        }
        return v.compare(c) != 0
    }

    private func greater(_ v: SemanticVersion) -> Bool {
        let c = version
        guard releaseRuleAllows(v) else { return false }
        if !dirty { return v.compare(c) == 1 }
        if v.major > c.major { return true }
        if v.major < c.major || minorDirty { return false }
        if patchDirty { return v.minor > c.minor }
        return v.compare(c) == 1
    }

    private func lessOrEqual(_ v: SemanticVersion) -> Bool {
        let c = version
        guard releaseRuleAllows(v) else { return false }
        if !dirty { return v.compare(c) <= 0 }
        if v.major > c.major { return false }
        if v.major == c.major && v.minor > c.minor && !minorDirty { return false }
        return true
    }

    private func tilde(_ v: SemanticVersion) -> Bool {
        let c = version
        guard releaseRuleAllows(v), v.compare(c) >= 0 else { return false }
        if c.major == 0 && c.minor == 0 && c.patch == 0 && !minorDirty && !patchDirty { return true }
        if v.major != c.major { return false }
        if v.minor != c.minor && !minorDirty { return false }
        return true
    }

    private func caret(_ v: SemanticVersion) -> Bool {
        let c = version
        guard releaseRuleAllows(v), v.compare(c) >= 0 else { return false }
        if c.major > 0 || minorDirty { return v.major == c.major }
        if v.major > 0 { return false }
        if c.minor > 0 || patchDirty { return v.minor == c.minor }
        if v.minor > 0 { return false }
        return c.patch == v.patch
    }
}

/// The constraint grammar Masterminds/semver v3 accepts (it uses regular expressions; these scanners accept the
/// same texts).
enum ConstraintSyntax {
    static let operators = ["!=", ">=", "=>", "<=", "=<", "~>", "=", ">", "<", "~", "^", ""]

    struct ParsedComparison {
        var operation: String
        var version: String
        var major: String
        var minor: String
        var patch: String
        /// `-PRE` including the dash, or empty.
        var prerelease: String
    }

    /// Splits on a literal separator.
    static func split(_ text: String, on separator: String) -> [String] {
        GoStrings.split(text, separator: separator, limit: -1)
    }

    /// A version operand (`v?` digits-or-wildcards, up to three parts, optional `-pre` and `+meta`) at the
    /// scanner's position.
    static func operand(_ scanner: inout VersionScanner) -> ParsedComparison? {
        let start = scanner.position
        _ = scanner.consume("v")
        guard let major = scanner.digits(allowWildcards: true) else {
            scanner.position = start
            return nil
        }
        var minor = ""
        var patch = ""
        if scanner.peek(".") {
            let mark = scanner.position
            scanner.advance()
            if let digits = scanner.digits(allowWildcards: true) { minor = digits } else { scanner.position = mark }
        }
        if !minor.isEmpty, scanner.peek(".") {
            let mark = scanner.position
            scanner.advance()
            if let digits = scanner.digits(allowWildcards: true) { patch = digits } else { scanner.position = mark }
        }
        var prerelease = ""
        if scanner.peek("-") {
            let mark = scanner.position
            scanner.advance()
            if let identifiers = scanner.identifiers() { prerelease = "-" + identifiers } else { scanner.position = mark }
        }
        if scanner.peek("+") {
            let mark = scanner.position
            scanner.advance()
            if scanner.identifiers() == nil { scanner.position = mark }
        }
        let text = String(decoding: scanner.bytes[start..<scanner.position], as: UTF8.self)
        return ParsedComparison(operation: "", version: text, major: major, minor: minor, patch: patch, prerelease: prerelease)
    }

    /// `OP? VERSION` at the scanner's position (spaces allowed between).
    static func comparison(_ scanner: inout VersionScanner) -> ParsedComparison? {
        let start = scanner.position
        for operation in operators {
            scanner.position = start
            if !operation.isEmpty {
                guard operation.utf8.elementsEqual(scanner.bytes[start..<min(start + operation.utf8.count, scanner.bytes.count)])
                else { continue }
                scanner.position += operation.utf8.count
            }
            scanner.skipSpaces()
            if var parsed = operand(&scanner) {
                parsed.operation = operation
                return parsed
            }
        }
        scanner.position = start
        return nil
    }

    /// The whole text is one comparison, with optional surrounding spaces.
    static func parseComparison(_ text: String) -> ParsedComparison? {
        var scanner = VersionScanner(text)
        scanner.skipSpaces()
        guard let parsed = comparison(&scanner) else { return nil }
        scanner.skipSpaces()
        return scanner.isAtEnd ? parsed : nil
    }

    /// Comparisons separated by spaces or commas, nothing else.
    static func isValid(_ text: String) -> Bool {
        var scanner = VersionScanner(text)
        scanner.skipSpaces()
        guard comparison(&scanner) != nil else { return false }
        while true {
            scanner.skipSpaces()
            if scanner.isAtEnd { return true }
            let before = scanner.position
            let hadSpace = before > 0 && [0x20, 0x09, 0x0A, 0x0D, 0x0C].contains(scanner.bytes[before - 1])
            if scanner.consume(",") {
                scanner.skipSpaces()
            } else if !hadSpace {
                return false
            }
            guard comparison(&scanner) != nil else { return false }
        }
    }

    /// Every `OP VERSION` in the text, left to right.
    static func comparisons(in text: String) -> [String] {
        var scanner = VersionScanner(text)
        var found: [String] = []
        while !scanner.isAtEnd {
            let start = scanner.position
            if comparison(&scanner) != nil {
                found.append(String(decoding: scanner.bytes[start..<scanner.position], as: UTF8.self))
            } else {
                scanner.position = start + 1
            }
        }
        return found
    }

    /// `A - B` hyphen ranges become `>= A, <= B `.
    static func rewriteRanges(_ text: String) -> String {
        var scanner = VersionScanner(text)
        var out: [UInt8] = []
        var copied = 0
        while !scanner.isAtEnd {
            let start = scanner.position
            var probe = scanner
            probe.skipSpaces()
            let operandStart = probe.position
            if let low = operand(&probe) {
                let afterLow = probe.position
                probe.skipSpaces()
                if probe.position > afterLow, probe.consume("-") {
                    let beforeHigh = probe.position
                    probe.skipSpaces()
                    if probe.position > beforeHigh, let high = operand(&probe) {
                        probe.skipSpaces()
                        out += scanner.bytes[copied..<start]
                        out += Array(">= \(low.version), <= \(high.version) ".utf8)
                        copied = probe.position
                        scanner.position = probe.position
                        continue
                    }
                }
                _ = operandStart
            }
            scanner.position = start + 1
        }
        out += scanner.bytes[copied...]
        return String(decoding: out, as: UTF8.self)
    }
}
