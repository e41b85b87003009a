/// The glob syntax of `.Files.Glob` (gobwas/glob compiled with `/` as separator): `*` within one path segment,
/// `**` across segments, `?` one non-separator character, `[abc]`/`[a-z]`/`[!abc]` classes, `{a,b}` alternatives
/// and `\` escapes.
struct GlobPattern: Sendable {
    indirect enum Token: Sendable {
        case literal(Character)
        case any                       // ?
        case star                      // *
        case superStar                 // **
        case set([ClosedRange<Character>], negated: Bool)
        case alternatives([[Token]])
    }

    let tokens: [Token]

    /// Matches every name (what Helm falls back to when a pattern does not compile).
    static let everything = GlobPattern(tokens: [.superStar])

    private init(tokens: [Token]) { self.tokens = tokens }

    /// Compiles `pattern`; nil when it is malformed (an unclosed `[` or `{`).
    init?(_ pattern: String) {
        var index = pattern.startIndex
        guard let tokens = Self.parse(pattern, &index, inAlternative: false), index == pattern.endIndex else {
            return nil
        }
        self.tokens = tokens
    }

    private static func parse(_ text: String, _ index: inout String.Index, inAlternative: Bool) -> [Token]? {
        var tokens: [Token] = []
        while index < text.endIndex {
            let character = text[index]
            if inAlternative, character == "," || character == "}" { return tokens }
            index = text.index(after: index)
            switch character {
            case "\\":
                guard index < text.endIndex else { return nil }
                tokens.append(.literal(text[index]))
                index = text.index(after: index)
            case "?": tokens.append(.any)
            case "*":
                if index < text.endIndex, text[index] == "*" {
                    index = text.index(after: index)
                    tokens.append(.superStar)
                } else {
                    tokens.append(.star)
                }
            case "[":
                var negated = false
                if index < text.endIndex, text[index] == "!" || text[index] == "^" {
                    negated = true
                    index = text.index(after: index)
                }
                var ranges: [ClosedRange<Character>] = []
                while true {
                    guard index < text.endIndex else { return nil }
                    let low = text[index]
                    index = text.index(after: index)
                    if low == "]" { break }
                    if index < text.endIndex, text[index] == "-" {
                        let after = text.index(after: index)
                        guard after < text.endIndex else { return nil }
                        let high = text[after]
                        guard low <= high else { return nil }
                        ranges.append(low...high)
                        index = text.index(after: after)
                    } else {
                        ranges.append(low...low)
                    }
                }
                tokens.append(.set(ranges, negated: negated))
            case "{":
                var alternatives: [[Token]] = []
                while true {
                    guard let alternative = parse(text, &index, inAlternative: true), index < text.endIndex else {
                        return nil
                    }
                    alternatives.append(alternative)
                    let separator = text[index]
                    index = text.index(after: index)
                    if separator == "}" { break }
                }
                tokens.append(.alternatives(alternatives))
            default:
                tokens.append(.literal(character))
            }
        }
        return inAlternative ? nil : tokens
    }

    func matches(_ name: String) -> Bool {
        Self.match(tokens[...], Array(name)[...])
    }

    private static func match(_ tokens: ArraySlice<Token>, _ name: ArraySlice<Character>) -> Bool {
        guard let token = tokens.first else { return name.isEmpty }
        let rest = tokens.dropFirst()
        switch token {
        case .literal(let character):
            return name.first == character && match(rest, name.dropFirst())
        case .any:
            guard let first = name.first, first != "/" else { return false }
            return match(rest, name.dropFirst())
        case .star, .superStar:
            var remaining = name
            while true {
                if match(rest, remaining) { return true }
                guard let first = remaining.first else { return false }
                if case .star = token, first == "/" { return false }
                remaining = remaining.dropFirst()
            }
        case .set(let ranges, let negated):
            guard let first = name.first, first != "/" else { return false }
            guard ranges.contains(where: { $0.contains(first) }) != negated else { return false }
            return match(rest, name.dropFirst())
        case .alternatives(let alternatives):
            return alternatives.contains { match($0[...] + rest, name) }
        }
    }
}
