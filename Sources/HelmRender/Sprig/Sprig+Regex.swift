import GitOpsKit
import GoTemplate

/// Regular expressions with Go's `regexp` API semantics over Swift Regex: leftmost-first matching per Unicode
/// scalar, Go's rules for empty matches in `FindAll`/`ReplaceAll`/`Split`, and `$1`/`${name}` expansion.
///
/// RE2 syntax is (almost) a subset of Swift's: patterns RE2 rejects (backreferences, lookarounds) are accepted
/// here, and `$` is translated to Go's end-of-text meaning outside multi-line mode.
extension Sprig {
    static var regexFunctions: [TemplateFunction] {
        var functions: [TemplateFunction] = []
        func pair(_ name: String, _ parameters: [TemplateFunction.ParameterType],
                  _ body: @escaping @Sendable (GoRegex, [TemplateValue]) -> TemplateValue) {
            functions.append(function(name, parameters) { args in
                body(try GoRegex.compile(text(args[0]), panicking: true), args)
            })
            functions.append(function("must" + name.prefix(1).uppercased() + name.dropFirst(), parameters) { args in
                body(try GoRegex.compile(text(args[0]), panicking: false), args)
            })
        }
        // No match is Go's nil slice (`null` in JSON).
        pair("regexFindAll", [.string, .string, .int]) { regex, args in
            let matches = regex.findAll(text(args[1]), limit: integer(args[2]))
            return matches.isEmpty ? .nilList : .list(matches.map { .string(String($0.0)) })
        }
        pair("regexFind", [.string, .string]) { regex, args in
            .string(regex.findAll(text(args[1]), limit: 1).first.map { String($0.0) } ?? "")
        }
        pair("regexReplaceAll", [.string, .string, .string]) { regex, args in
            .string(regex.replaceAll(text(args[1]), template: text(args[2]), literal: false))
        }
        pair("regexReplaceAllLiteral", [.string, .string, .string]) { regex, args in
            .string(regex.replaceAll(text(args[1]), template: text(args[2]), literal: true))
        }
        pair("regexSplit", [.string, .string, .int]) { regex, args in
            if integer(args[2]) == 0 { return .nilList }
            return .list(regex.split(text(args[1]), limit: integer(args[2])).map(TemplateValue.string))
        }
        functions.append(function("regexMatch", [.string, .string]) { args in
            guard let regex = try? GoRegex.compile(text(args[0]), panicking: false) else { return .bool(false) }
            return .bool(!regex.findAll(text(args[1]), limit: 1).isEmpty)
        })
        functions.append(function("mustRegexMatch", [.string, .string]) { args in
            .bool(!(try GoRegex.compile(text(args[0]), panicking: false)).findAll(text(args[1]), limit: 1).isEmpty)
        })
        functions.append(function("regexQuoteMeta", [.string]) { args in
            var out = ""
            for scalar in text(args[0]).unicodeScalars {
                if #"\.+*?()|[]{}^$"#.unicodeScalars.contains(scalar) { out += "\\" }
                out.unicodeScalars.append(scalar)
            }
            return .string(out)
        })
        return functions
    }
}

/// A compiled Go regular expression.
struct GoRegex: @unchecked Sendable {
    // Regex<AnyRegexOutput> is not Sendable; a GoRegex is created and used inside one function call.
    let regex: Regex<AnyRegexOutput>

    /// Compiles `pattern`; the error text is Go's `Compile` error, or `MustCompile`'s panic when `panicking`.
    static func compile(_ pattern: String, panicking: Bool) throws(SprigError) -> GoRegex {
        do {
            if let problem = unbalanced(pattern) { throw SprigError(problem) }
            let regex = try Regex(translate(pattern)).matchingSemantics(.unicodeScalar)
            return GoRegex(regex: regex)
        } catch {
            let reason = "error parsing regexp: \(error)"
            throw SprigError(panicking ? "regexp: Compile(" + GoFormat.sprintf("%#q", [.string(pattern)]) + "): " + reason : reason)
        }
    }

    /// RE2's messages for the commonest syntax errors: unclosed `[` or `(`, a stray `)`, a backwards class range.
    private static func unbalanced(_ pattern: String) -> String? {
        let scalars = Array(pattern.unicodeScalars)
        var depth = 0
        var classStart: Int?
        var index = 0
        func quoted(_ from: Int) -> String { "`" + String(String.UnicodeScalarView(scalars[from...])) + "`" }
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\\" {
                index += 2
                continue
            }
            if let start = classStart {
                // `]` right after `[` or `[^` is a literal member.
                let first = start + 1 + (start + 1 < scalars.count && scalars[start + 1] == "^" ? 1 : 0)
                if scalar == "]" && index > first { classStart = nil }
                // A literal range `a-b` needs a <= b (escapes and classes as bounds are left to the engine).
                if scalar != "]" || index == first, !(scalar == "^" && index == start + 1), index + 2 < scalars.count, scalars[index + 1] == "-",
                   scalars[index + 2] != "]", scalars[index + 2] != "\\", scalars[index + 2] != "[",
                   scalar.value > scalars[index + 2].value {
                    return "invalid character class range: " + "`" + String(String.UnicodeScalarView(scalars[index...(index + 2)])) + "`"
                }
                if scalar == "[" && index + 1 < scalars.count && scalars[index + 1] == ":" {
                    if let close = (index + 2..<scalars.count).first(where: { scalars[$0] == "]" && scalars[$0 - 1] == ":" }) {
                        index = close + 1
                        continue
                    }
                }
                index += 1
                continue
            }
            switch scalar {
            case "[": classStart = index
            case "(": depth += 1
            case ")":
                depth -= 1
                if depth < 0 { return "unexpected ): " + quoted(0) }
            default: break
            }
            index += 1
        }
        if let start = classStart { return "missing closing ]: " + quoted(start) }
        if depth > 0 { return "missing closing ): " + quoted(0) }
        return nil
    }

    /// Go's `$` (outside `(?m)`) is the end of the text, not "before a final newline".
    private static func translate(_ pattern: String) -> String {
        if pattern.contains("(?m") || pattern.contains("(?sm") || pattern.contains("(?im") { return pattern }
        var out = ""
        var escaped = false
        var inClass = false
        for character in pattern {
            if escaped {
                out.append(character)
                escaped = false
                continue
            }
            switch character {
            case "\\": escaped = true; out.append(character)
            case "[": inClass = true; out.append(character)
            case "]": inClass = false; out.append(character)
            case "$" where !inClass: out += "\\z"
            default: out.append(character)
            }
        }
        return out
    }

    /// Go's `FindAllStringSubmatch`-style enumeration: successive non-overlapping matches, without empty matches
    /// right after a previous match; `limit` < 0 means all.
    func findAll(_ text: String, limit: Int) -> [(Substring, Regex<AnyRegexOutput>.Match)] {
        if limit == 0 { return [] }
        var results: [(Substring, Regex<AnyRegexOutput>.Match)] = []
        var previousEnd: String.Index?
        for match in text.matches(of: regex) {
            let range = match.range
            if range.isEmpty, range.lowerBound == previousEnd {
                previousEnd = range.upperBound
                continue
            }
            previousEnd = range.upperBound
            results.append((text[range], match))
            if limit > 0 && results.count == limit { break }
        }
        return results
    }

    func replaceAll(_ text: String, template: String, literal: Bool) -> String {
        var out = ""
        var lastEnd = text.startIndex
        for match in text.matches(of: regex) {
            let range = match.range
            out += text[lastEnd..<range.lowerBound]
            if range.upperBound > lastEnd || range.lowerBound == text.startIndex {
                out += literal ? template : GoRegexpExpansion.expand(template, match)
            }
            lastEnd = range.upperBound
        }
        out += text[lastEnd...]
        return out
    }

    /// Go's `Regexp.Split`.
    func split(_ text: String, limit: Int) -> [String] {
        if limit == 0 { return [] }
        if text.isEmpty { return [""] }
        var parts: [String] = []
        var begin = text.startIndex
        var end = text.startIndex
        for (_, match) in findAll(text, limit: limit) {
            if limit > 0 && parts.count == limit - 1 { break }
            end = match.range.lowerBound
            if match.range.upperBound != text.startIndex { parts.append(String(text[begin..<end])) }
            begin = match.range.upperBound
        }
        if end != text.endIndex { parts.append(String(text[begin...])) }
        return parts
    }
}
