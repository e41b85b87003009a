import GitOpsKit

/// A regular expression over tags with the parts of Go's `regexp` that Flux uses: `MatchString` (unanchored
/// search), `FindStringSubmatchIndex` + `ExpandString` for `filterTags.extract` (`$1`, `$name`, `${name}`, `$$`).
///
/// RE2 syntax for tag patterns is a subset of Swift Regex syntax (named groups as `(?P<name>…)` or
/// `(?<name>…)`); matching is per Unicode scalar, as Go matches runes. Tags never contain newlines, so the one
/// difference of `$` (Swift also matches before a final newline) cannot show.
///
/// Not `Sendable` (Swift's `Regex` is not): compile one inside the reconcile that uses it.
struct TagPattern {
    let pattern: String
    private let regex: Regex<AnyRegexOutput>
    /// `^.*\.sig$`-style patterns (the default exclusion) matched without the regex engine.
    private let literalSuffix: String?

    /// Compiles `pattern`; the error says what is wrong in the engine's words.
    init(_ pattern: String) throws(TagPatternError) {
        self.pattern = pattern
        do {
            regex = try Regex(pattern).matchingSemantics(.unicodeScalar)
        } catch {
            throw TagPatternError(pattern: pattern, reason: "\(error)")
        }
        literalSuffix = Self.literalSuffix(of: pattern)
    }

    /// Whether the pattern matches somewhere in `tag`.
    func matches(_ tag: String) -> Bool {
        if let literalSuffix { return tag.hasSuffix(literalSuffix) }
        return (try? regex.firstMatch(in: tag)) != nil
    }

    /// `template` expanded with the first match in `tag` (Go's `ExpandString`), or nil when there is no match.
    /// An empty template gives the tag itself.
    func extract(_ template: String, from tag: String) -> String? {
        guard let match = try? regex.firstMatch(in: tag) else { return nil }
        guard !template.isEmpty else { return tag }
        return GoRegexpExpansion.expand(template, match)
    }

    /// `S` when the pattern is exactly `^.*S$` (or `.*S$`) with `S` made of escaped dots and plain letters/digits.
    private static func literalSuffix(of pattern: String) -> String? {
        var rest = Substring(pattern)
        if rest.hasPrefix("^") { rest = rest.dropFirst() }
        guard rest.hasPrefix(".*"), rest.hasSuffix("$") else { return nil }
        rest = rest.dropFirst(2).dropLast()
        var suffix = ""
        var escaped = false
        for character in rest {
            if escaped {
                guard character == "." || character == "-" else { return nil }
                suffix.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character.isASCII, character.isLetter || character.isNumber || character == "_" {
                suffix.append(character)
            } else {
                return nil
            }
        }
        return escaped || suffix.isEmpty ? nil : suffix
    }
}

/// A pattern that does not compile.
struct TagPatternError: Error, Sendable, Hashable, CustomStringConvertible {
    var pattern: String
    var reason: String
    var description: String { "invalid regular expression pattern '\(pattern)': \(reason)" }
}
