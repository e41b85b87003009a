/// xstrings' word-based case conversions behind Sprig's `snakecase`, `kebabcase` and `camelcase`.
///
/// Words are runs of upper-case letters (an acronym keeps its last capital for the next word: `HTTPServer` →
/// `http_server`), lower-case letters, digits (a number joins the word before it when letters follow:
/// `Bld4Floor` → `bld4_floor`), punctuation or connectors (`-`, `_`, spaces).
enum CaseConversion {
    private enum WordType { case invalid, number, upperCase, alphabet, connector, punct, other }

    private typealias Scalars = ArraySlice<Unicode.Scalar>

    static func isConnector(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "-" || scalar == "_" || GoUnicode.isSpace(scalar)
    }

    private static func isAlphabet(_ scalar: Unicode.Scalar) -> Bool { GoUnicode.isLetter(scalar) }

    /// xstrings `ToPascalCase`: connectors dropped, the letter after each (and the first) upper-cased.
    static func pascalCased(_ text: String) -> String {
        var scalars = Array(text.unicodeScalars)[...]
        if scalars.isEmpty { return "" }
        var out = String.UnicodeScalarView()
        var r0: Unicode.Scalar = " "
        var found = false
        while let first = scalars.first {
            scalars = scalars.dropFirst()
            if !isConnector(first) {
                r0 = GoUnicode.upper(first)
                found = true
                break
            }
            out.append(first)
        }
        if scalars.isEmpty {
            if found { out.append(r0) }
            return String(out)
        }
        while let next = scalars.first {
            scalars = scalars.dropFirst()
            let r1 = r0
            r0 = next
            if isConnector(r0) && isConnector(r1) {
                out.append(r1)
                continue
            }
            if isConnector(r1) {
                r0 = GoUnicode.upper(r0)
            } else {
                out.append(r1)
            }
        }
        out.append(r0)
        return String(out)
    }

    /// xstrings `camelCaseToLowerCase`.
    static func lowerCased(_ text: String, connector: Unicode.Scalar) -> String {
        let all = Array(text.unicodeScalars)[...]
        if all.isEmpty { return "" }
        var out = String.UnicodeScalarView()
        var (type, word, remaining) = nextWord(all)
        while !remaining.isEmpty {
            if type != .connector { lower(&out, type, word, connector) }
            let previous = type
            let last = word
            (type, word, remaining) = nextWord(remaining)
            switch previous {
            case .number:
                while type == .alphabet || type == .number {
                    lower(&out, type, word, connector)
                    (type, word, remaining) = nextWord(remaining)
                }
                if type != .invalid && type != .punct && type != .connector { out.append(connector) }
            case .connector:
                lower(&out, previous, last, connector)
            case .punct:
                break
            default:
                if type != .number {
                    if type != .connector && type != .punct { out.append(connector) }
                    break
                }
                if remaining.isEmpty { break }
                let number = word
                (type, word, remaining) = nextWord(remaining)
                if type != .alphabet {
                    lower(&out, .number, number, connector)
                    if type != .connector && type != .punct { out.append(connector) }
                    break
                }
                out.append(connector)
                lower(&out, .number, number, connector)
                while type == .alphabet || type == .number {
                    lower(&out, type, word, connector)
                    (type, word, remaining) = nextWord(remaining)
                }
                if type != .invalid && type != .connector && type != .punct { out.append(connector) }
            }
        }
        lower(&out, type, word, connector)
        return String(out)
    }

    private static func lower(_ out: inout String.UnicodeScalarView, _ type: WordType, _ word: Scalars,
                              _ connector: Unicode.Scalar) {
        if type != .upperCase && type != .connector {
            out.append(contentsOf: word)
            return
        }
        for scalar in word {
            if isConnector(scalar) {
                out.append(connector)
            } else if GoUnicode.isUpper(scalar) {
                out.append(GoUnicode.lower(scalar))
            } else {
                out.append(scalar)
            }
        }
    }

    private static func nextWord(_ text: Scalars) -> (WordType, Scalars, Scalars) {
        guard let first = text.first else { return (.invalid, text, text) }
        var end = text.index(after: text.startIndex)
        func advance(while predicate: (Unicode.Scalar) -> Bool) {
            while end < text.endIndex, predicate(text[end]) { end = text.index(after: end) }
        }
        let type: WordType
        if isConnector(first) {
            type = .connector
            advance(while: isConnector)
        } else if GoUnicode.isPunct(first) {
            type = .punct
            advance(while: GoUnicode.isPunct)
        } else if GoUnicode.isUpper(first) {
            type = .upperCase
            if end < text.endIndex {
                let second = text[end]
                if GoUnicode.isUpper(second) {
                    advance(while: GoUnicode.isUpper)
                    // An acronym followed by a lower-case word gives its last capital to that word.
                    if end < text.endIndex, isAlphabet(text[end]) { end = text.index(before: end) }
                } else if isAlphabet(second) {
                    advance { isAlphabet($0) && !GoUnicode.isUpper($0) }
                }
            }
        } else if isAlphabet(first) {
            type = .alphabet
            advance { isAlphabet($0) && !GoUnicode.isUpper($0) }
        } else if GoUnicode.isNumber(first) {
            type = .number
            advance(while: GoUnicode.isNumber)
        } else {
            type = .other
            advance { !(isConnector($0) || isAlphabet($0) || GoUnicode.isNumber($0) || GoUnicode.isPunct($0)) }
        }
        return (type, text[text.startIndex..<end], text[end...])
    }
}
