/// One lexical item of a template (Go's `item`).
struct Token: Sendable {
    enum Kind: Sendable, Equatable {
        case error, bool, char, charConstant, complex, assign, declare, eof, field, identifier
        case leftDelim, leftParen, number, pipe, rawString, rightDelim, rightParen, space, string, text, variable
        // Keywords.
        case block, `break`, `continue`, dot, define, `else`, end, `if`, `nil`, range, template, with

        var isKeyword: Bool {
            switch self {
            case .block, .break, .continue, .dot, .define, .else, .end, .if, .nil, .range, .template, .with: return true
            default: return false
            }
        }
    }

    var kind: Kind
    /// Byte offsets of the item in the text (for an error item: where the erroneous item starts).
    var position: Int
    var end: Int
}

/// The lexer's output: the items up to EOF or the first error (whose message is kept aside, so that items stay
/// plain values), and where the newlines are, for line numbers.
struct LexedText {
    var tokens: [Token]
    var errorMessage: String
    var newlines: [Int]

    /// 1 + the number of newlines before `offset`.
    func line(at offset: Int) -> Int {
        var low = 0
        var high = newlines.count
        while low < high {
            let mid = (low + high) / 2
            if newlines[mid] < offset { low = mid + 1 } else { high = mid }
        }
        return low + 1
    }
}

/// Go's `text/template/parse` lexer with the default `{{ }}` delimiters, run to completion up front: the tokens
/// up to EOF or the first error (which ends the stream, as Go's lexer stops there).
struct TemplateLexer {
    private let input: [UInt8]
    private let breakOK: Bool
    private let continueOK: Bool
    private var pos = 0
    private var start = 0
    private var parenDepth = 0
    private(set) var tokens: [Token] = []
    private var errorMessage = ""

    private static let leftDelim = Array("{{".utf8)
    private static let rightDelim = Array("}}".utf8)
    private static let keywords: [String: Token.Kind] = [
        ".": .dot, "block": .block, "break": .break, "continue": .continue, "define": .define, "else": .else,
        "end": .end, "if": .if, "range": .range, "nil": .nil, "template": .template, "with": .with,
    ]

    static func tokenize(_ input: [UInt8], breakOK: Bool, continueOK: Bool) -> LexedText {
        var lexer = TemplateLexer(input: input, breakOK: breakOK, continueOK: continueOK)
        lexer.tokens.reserveCapacity(input.count / 4)
        lexer.run()
        var newlines: [Int] = []
        for (index, byte) in input.enumerated() where byte == 0x0A { newlines.append(index) }
        return LexedText(tokens: lexer.tokens, errorMessage: lexer.errorMessage, newlines: newlines)
    }

    private init(input: [UInt8], breakOK: Bool, continueOK: Bool) {
        self.input = input
        self.breakOK = breakOK
        self.continueOK = continueOK
    }

    // MARK: Runes

    private static let eof: UInt32 = 0xFFFF_FFFF

    /// Decodes the scalar at `offset`, returning it and its width (invalid bytes decode as U+FFFD, width 1).
    private func decode(at offset: Int) -> (UInt32, Int) {
        guard offset < input.count else { return (Self.eof, 0) }
        let lead = input[offset]
        if lead < 0x80 { return (UInt32(lead), 1) }
        var width = 0
        var value: UInt32 = 0
        if lead & 0xE0 == 0xC0 {
            width = 2
            value = UInt32(lead & 0x1F)
        } else if lead & 0xF0 == 0xE0 {
            width = 3
            value = UInt32(lead & 0x0F)
        } else if lead & 0xF8 == 0xF0 {
            width = 4
            value = UInt32(lead & 0x07)
        } else {
            return (0xFFFD, 1)
        }
        guard offset + width <= input.count else { return (0xFFFD, 1) }
        for index in 1..<width {
            let byte = input[offset + index]
            guard byte & 0xC0 == 0x80 else { return (0xFFFD, 1) }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        return (value, width)
    }

    private var atEOF = false

    private mutating func next() -> UInt32 {
        guard pos < input.count else {
            atEOF = true
            return Self.eof
        }
        let (rune, width) = decode(at: pos)
        pos += width
        return rune
    }

    private mutating func backup() {
        guard !atEOF, pos > 0 else { return }
        var start = pos - 1
        while start > 0 && input[start] & 0xC0 == 0x80 && pos - start < 4 { start -= 1 }
        pos = start
    }

    private mutating func peek() -> UInt32 {
        let rune = next()
        backup()
        return rune
    }

    private func text(_ from: Int, _ to: Int) -> String { String(decoding: input[from..<to], as: UTF8.self) }

    private mutating func emit(_ kind: Token.Kind) {
        tokens.append(Token(kind: kind, position: start, end: pos))
        start = pos
    }

    private mutating func ignore() { start = pos }

    /// Emits an error item and stops the lexer.
    private mutating func fail(_ message: String) -> State? {
        tokens.append(Token(kind: .error, position: start, end: start))
        errorMessage = message
        return nil
    }

    private mutating func accept(_ valid: String) -> Bool {
        let rune = next()
        if rune != Self.eof, let scalar = Unicode.Scalar(rune), valid.unicodeScalars.contains(scalar) { return true }
        backup()
        return false
    }

    private mutating func acceptRun(_ valid: String) {
        while true {
            let rune = next()
            guard rune != Self.eof, let scalar = Unicode.Scalar(rune), valid.unicodeScalars.contains(scalar) else { break }
        }
        backup()
    }

    private func hasPrefix(_ prefix: [UInt8], at offset: Int) -> Bool {
        guard offset >= 0, offset + prefix.count <= input.count else { return false }
        for (index, byte) in prefix.enumerated() where input[offset + index] != byte { return false }
        return true
    }

    private static func isSpace(_ rune: UInt32) -> Bool { rune == 0x20 || rune == 0x09 || rune == 0x0D || rune == 0x0A }
    private static func isSpaceByte(_ byte: UInt8) -> Bool { isSpace(UInt32(byte)) }

    static func isAlphaNumeric(_ rune: UInt32) -> Bool {
        if rune == 0x5F { return true }
        if rune < 0x80 {
            return (rune >= 0x30 && rune <= 0x39) || (rune >= 0x41 && rune <= 0x5A) || (rune >= 0x61 && rune <= 0x7A)
        }
        guard rune != eof, let scalar = Unicode.Scalar(rune) else { return false }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber: return true
        default: return false
        }
    }

    private func hasLeftTrimMarker(at offset: Int) -> Bool {
        offset + 1 < input.count && input[offset] == UInt8(ascii: "-") && Self.isSpaceByte(input[offset + 1])
    }

    private func hasRightTrimMarker(at offset: Int) -> Bool {
        offset >= 0 && offset + 1 < input.count && Self.isSpaceByte(input[offset]) && input[offset + 1] == UInt8(ascii: "-")
    }

    /// Whether the input at `pos` is a right delimiter, possibly preceded by a trim marker.
    private func atRightDelim() -> (delim: Bool, trimSpaces: Bool) {
        if hasRightTrimMarker(at: pos) && hasPrefix(Self.rightDelim, at: pos + 2) { return (true, true) }
        if hasPrefix(Self.rightDelim, at: pos) { return (true, false) }
        return (false, false)
    }

    private static func describe(_ rune: UInt32) -> String {
        GoFormat.sprintf("%#U", [.int(rune == eof ? -1 : Int(rune))])
    }

    // MARK: States

    private enum State { case text, leftDelim, comment, rightDelim, insideAction, space, identifier, field, variable
        case char, number, quote, rawQuote
    }

    private mutating func run() {
        var state: State? = .text
        while let current = state {
            switch current {
            case .text: state = lexText()
            case .leftDelim: state = lexLeftDelim()
            case .comment: state = lexComment()
            case .rightDelim: state = lexRightDelim()
            case .insideAction: state = lexInsideAction()
            case .space: state = lexSpace()
            case .identifier: state = lexIdentifier()
            case .field: state = lexFieldOrVariable(.field)
            case .variable: state = lexVariable()
            case .char: state = lexQuoted(end: UInt8(ascii: "'"), kind: .charConstant, error: "unterminated character constant")
            case .number: state = lexNumber()
            case .quote: state = lexQuoted(end: UInt8(ascii: "\""), kind: .string, error: "unterminated quoted string")
            case .rawQuote: state = lexRawQuote()
            }
        }
    }

    private mutating func lexText() -> State? {
        var index = pos
        while index + 1 < input.count, !(input[index] == UInt8(ascii: "{") && input[index + 1] == UInt8(ascii: "{")) {
            index += 1
        }
        if index + 1 < input.count {
            pos = index
            var trimLength = 0
            if hasLeftTrimMarker(at: pos + 2) {
                var cut = pos
                while cut > start && Self.isSpaceByte(input[cut - 1]) { cut -= 1 }
                trimLength = pos - cut
            }
            pos -= trimLength
            if pos > start { emit(.text) }
            pos += trimLength
            ignore()
            return .leftDelim
        }
        pos = input.count
        if pos > start { emit(.text) }
        emit(.eof)
        return nil
    }

    private mutating func lexLeftDelim() -> State? {
        pos += 2
        let trimSpace = hasLeftTrimMarker(at: pos)
        let afterMarker = trimSpace ? 2 : 0
        if hasPrefix(Array("/*".utf8), at: pos + afterMarker) {
            pos += afterMarker
            ignore()
            return .comment
        }
        emit(.leftDelim)
        pos += afterMarker
        ignore()
        parenDepth = 0
        return .insideAction
    }

    private mutating func lexComment() -> State? {
        pos += 2
        var index = pos
        while index + 1 < input.count, !(input[index] == UInt8(ascii: "*") && input[index + 1] == UInt8(ascii: "/")) {
            index += 1
        }
        guard index + 1 < input.count else { return fail("unclosed comment") }
        pos = index + 2
        let (delim, trimSpace) = atRightDelim()
        guard delim else { return fail("comment ends before closing delimiter") }
        if trimSpace { pos += 2 }
        pos += 2
        if trimSpace {
            while pos < input.count && Self.isSpaceByte(input[pos]) { pos += 1 }
        }
        ignore()
        return .text
    }

    private mutating func lexRightDelim() -> State? {
        let trimSpace = hasRightTrimMarker(at: pos)
        if trimSpace {
            pos += 2
            ignore()
        }
        pos += 2
        emit(.rightDelim)
        if trimSpace {
            while pos < input.count && Self.isSpaceByte(input[pos]) { pos += 1 }
            ignore()
        }
        return .text
    }

    private mutating func lexInsideAction() -> State? {
        let (delim, _) = atRightDelim()
        if delim {
            if parenDepth == 0 { return .rightDelim }
            return fail("unclosed left paren")
        }
        let rune = next()
        switch rune {
        case Self.eof:
            return fail("unclosed action")
        case 0x20, 0x09, 0x0D, 0x0A:
            backup()
            return .space
        case UInt32(UInt8(ascii: "=")):
            emit(.assign)
        case UInt32(UInt8(ascii: ":")):
            if next() != UInt32(UInt8(ascii: "=")) { return fail("expected :=") }
            emit(.declare)
        case UInt32(UInt8(ascii: "|")):
            emit(.pipe)
        case UInt32(UInt8(ascii: "\"")):
            return .quote
        case UInt32(UInt8(ascii: "`")):
            return .rawQuote
        case UInt32(UInt8(ascii: "$")):
            return .variable
        case UInt32(UInt8(ascii: "'")):
            return .char
        case UInt32(UInt8(ascii: ".")):
            if pos < input.count {
                let following = input[pos]
                if following < UInt8(ascii: "0") || following > UInt8(ascii: "9") { return .field }
            }
            backup()
            return .number
        case UInt32(UInt8(ascii: "+")), UInt32(UInt8(ascii: "-")), 0x30...0x39:
            backup()
            return .number
        case UInt32(UInt8(ascii: "(")):
            emit(.leftParen)
            parenDepth += 1
        case UInt32(UInt8(ascii: ")")):
            // go1.23 reports a stray ")" as a lexical error before the parser sees it.
            parenDepth -= 1
            if parenDepth < 0 { return fail("unexpected right paren") }
            emit(.rightParen)
        default:
            if Self.isAlphaNumeric(rune) {
                backup()
                return .identifier
            }
            if rune < 0x80 && rune >= 0x20 && rune < 0x7F {
                emit(.char)
            } else {
                return fail("unrecognized character in action: \(Self.describe(rune))")
            }
        }
        return .insideAction
    }

    private mutating func lexSpace() -> State? {
        var count = 0
        while Self.isSpace(peek()) {
            _ = next()
            count += 1
        }
        if hasRightTrimMarker(at: pos - 1) && hasPrefix(Self.rightDelim, at: pos - 1 + 2) {
            backup()
            if count == 1 { return .rightDelim }
        }
        emit(.space)
        return .insideAction
    }

    private mutating func lexIdentifier() -> State? {
        while true {
            let rune = next()
            if Self.isAlphaNumeric(rune) { continue }
            backup()
            let word = text(start, pos)
            if !atTerminator() { return fail("bad character \(Self.describe(rune))") }
            if let keyword = Self.keywords[word], keyword != .dot {
                if (keyword == .break && !breakOK) || (keyword == .continue && !continueOK) {
                    emit(.identifier)
                } else {
                    emit(keyword)
                }
            } else if word.hasPrefix(".") {
                emit(.field)
            } else if word == "true" || word == "false" {
                emit(.bool)
            } else {
                emit(.identifier)
            }
            return .insideAction
        }
    }

    private mutating func lexVariable() -> State? {
        if atTerminator() {
            emit(.variable)
            return .insideAction
        }
        return lexFieldOrVariable(.variable)
    }

    private mutating func lexFieldOrVariable(_ kind: Token.Kind) -> State? {
        if atTerminator() {
            emit(kind == .variable ? .variable : .dot)
            return .insideAction
        }
        var rune: UInt32
        repeat {
            rune = next()
        } while Self.isAlphaNumeric(rune)
        backup()
        if !atTerminator() { return fail("bad character \(Self.describe(rune))") }
        emit(kind)
        return .insideAction
    }

    private mutating func atTerminator() -> Bool {
        let rune = peek()
        if Self.isSpace(rune) { return true }
        switch rune {
        case Self.eof, UInt32(UInt8(ascii: ".")), UInt32(UInt8(ascii: ",")), UInt32(UInt8(ascii: "|")),
            UInt32(UInt8(ascii: ":")), UInt32(UInt8(ascii: ")")), UInt32(UInt8(ascii: "(")):
            return true
        default:
            return hasPrefix(Self.rightDelim, at: pos)
        }
    }

    private mutating func lexQuoted(end: UInt8, kind: Token.Kind, error: String) -> State? {
        while true {
            let rune = next()
            if rune == UInt32(UInt8(ascii: "\\")) {
                let escaped = next()
                if escaped != Self.eof && escaped != 0x0A { continue }
                return fail(error)
            }
            if rune == Self.eof || rune == 0x0A { return fail(error) }
            if rune == UInt32(end) { break }
        }
        emit(kind)
        return .insideAction
    }

    private mutating func lexRawQuote() -> State? {
        while true {
            let rune = next()
            if rune == Self.eof { return fail("unterminated raw quoted string") }
            if rune == UInt32(UInt8(ascii: "`")) { break }
        }
        emit(.rawString)
        return .insideAction
    }

    private mutating func lexNumber() -> State? {
        if !scanNumber() { return fail("bad number syntax: \(GoStrconv.quote(text(start, pos)))") }
        let sign = peek()
        if sign == UInt32(UInt8(ascii: "+")) || sign == UInt32(UInt8(ascii: "-")) {
            if !scanNumber() || input[pos - 1] != UInt8(ascii: "i") {
                return fail("bad number syntax: \(GoStrconv.quote(text(start, pos)))")
            }
            emit(.complex)
        } else {
            emit(.number)
        }
        return .insideAction
    }

    private mutating func scanNumber() -> Bool {
        _ = accept("+-")
        var digits = "0123456789_"
        if accept("0") {
            if accept("xX") {
                digits = "0123456789abcdefABCDEF_"
            } else if accept("oO") {
                digits = "01234567_"
            } else if accept("bB") {
                digits = "01_"
            }
        }
        acceptRun(digits)
        if accept(".") { acceptRun(digits) }
        if digits.count == 11 && accept("eE") {
            _ = accept("+-")
            acceptRun("0123456789_")
        }
        if digits.count == 23 && accept("pP") {
            _ = accept("+-")
            acceptRun("0123456789_")
        }
        _ = accept("i")
        if Self.isAlphaNumeric(peek()) {
            _ = next()
            return false
        }
        return true
    }
}
