/// One path component pattern with Go `filepath.Match` semantics (`*`, `?`, `[a-z]`, `[^a]`, `\` escapes), the
/// syntax `.sourceignore` and gitignore patterns use for each `/`-separated segment.
///
/// A malformed pattern (`[`, `[]`, `[a-`, a trailing `\`) never matches, as `filepath.Match` reports
/// `ErrBadPattern` and Flux treats that as no match.
struct GlobPattern: Sendable, Hashable {
    private enum Token: Sendable, Hashable {
        case star
        case anyCharacter
        case literal(Unicode.Scalar)
        case set(negated: Bool, ranges: [ClosedRange<Unicode.Scalar>])
    }

    private let tokens: [Token]
    /// False when the pattern is malformed.
    let isValid: Bool

    init(_ pattern: Substring) {
        var tokens: [Token] = []
        var scalars = pattern.unicodeScalars[...]
        var valid = true
        parsing: while let scalar = scalars.popFirst() {
            switch scalar {
            case "*":
                if tokens.last != .star { tokens.append(.star) }
            case "?":
                tokens.append(.anyCharacter)
            case "\\":
                guard let escaped = scalars.popFirst() else { valid = false; break parsing }
                tokens.append(.literal(escaped))
            case "[":
                guard let set = Self.parseSet(&scalars) else { valid = false; break parsing }
                tokens.append(set)
            default:
                tokens.append(.literal(scalar))
            }
        }
        self.tokens = valid ? tokens : []
        self.isValid = valid
    }

    /// `[` already consumed: `[^]? range+ ]`.
    private static func parseSet(_ scalars: inout Substring.UnicodeScalarView.SubSequence) -> Token? {
        var negated = false
        if scalars.first == "^" {
            negated = true
            scalars.removeFirst()
        }
        var ranges: [ClosedRange<Unicode.Scalar>] = []
        while true {
            guard let next = scalars.first else { return nil }
            if next == "]" && !ranges.isEmpty {
                scalars.removeFirst()
                return .set(negated: negated, ranges: ranges)
            }
            guard let low = escapedCharacter(&scalars) else { return nil }
            var high = low
            if scalars.first == "-" {
                scalars.removeFirst()
                guard let upper = escapedCharacter(&scalars) else { return nil }
                high = upper
            }
            guard low <= high else { return nil }
            ranges.append(low...high)
        }
    }

    /// One class character: `\x` or a plain character other than `-` and `]`.
    private static func escapedCharacter(_ scalars: inout Substring.UnicodeScalarView.SubSequence) -> Unicode.Scalar? {
        guard let first = scalars.popFirst(), first != "-", first != "]" else { return nil }
        if first == "\\" { return scalars.popFirst() }
        return first
    }

    /// Whether `name` (a single path component) matches the whole pattern.
    func matches(_ name: Substring) -> Bool {
        guard isValid else { return false }
        let text = Array(name.unicodeScalars)
        var textIndex = 0
        var tokenIndex = 0
        var starToken: Int? = nil
        var starText = 0
        while textIndex < text.count {
            if tokenIndex < tokens.count {
                switch tokens[tokenIndex] {
                case .star:
                    starToken = tokenIndex
                    starText = textIndex
                    tokenIndex += 1
                    continue
                case .anyCharacter where text[textIndex] != "/":
                    tokenIndex += 1
                    textIndex += 1
                    continue
                case .literal(let scalar) where scalar == text[textIndex]:
                    tokenIndex += 1
                    textIndex += 1
                    continue
                case .set(let negated, let ranges)
                where text[textIndex] != "/" && ranges.contains(where: { $0.contains(text[textIndex]) }) != negated:
                    tokenIndex += 1
                    textIndex += 1
                    continue
                default:
                    break
                }
            }
            // Mismatch: let the last `*` swallow one more character (never a separator) and retry.
            guard let star = starToken, text[starText] != "/" else { return false }
            starText += 1
            textIndex = starText
            tokenIndex = star + 1
        }
        while tokenIndex < tokens.count, tokens[tokenIndex] == .star { tokenIndex += 1 }
        return tokenIndex == tokens.count
    }
}
