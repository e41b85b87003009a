import GoTemplate

/// One JSON value read from the front of a text, as Go's `json.Decoder.Decode` into an `interface{}` reads it for
/// `--set-json`: numbers become `float64`, and whatever follows the value is left for the strvals scanner (so
/// `a=1,b=2` and even `a=1 b=2` set two keys).
struct GoJSONPrefixDecoder {
    /// A document Go's decoder refuses.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Deeper nesting is refused instead of exhausting the stack (Go allows 10000 levels).
    static let maximumDepth = 512

    let input: [Unicode.Scalar]
    /// Where the next unread scalar is; after ``decodeValue()`` it is just past the value.
    private(set) var position: Int
    private var depth = 0

    init(input: [Unicode.Scalar], position: Int) {
        self.input = input
        self.position = position
    }

    mutating func decodeValue() throws(Failure) -> TemplateValue {
        skipWhitespace()
        guard let scalar = peek() else { throw Failure(description: "unexpected EOF") }
        switch scalar {
        case "{": return try object()
        case "[": return try array()
        case "\"": return .string(try string())
        case "t": return try literal("true", .bool(true))
        case "f": return try literal("false", .bool(false))
        case "n": return try literal("null", .null)
        case "-", "0"..."9": return try number()
        default: throw invalidCharacter(scalar, "looking for beginning of value")
        }
    }

    private func peek() -> Unicode.Scalar? { position < input.count ? input[position] : nil }

    private mutating func skipWhitespace() {
        while let scalar = peek(), scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" {
            position += 1
        }
    }

    private func invalidCharacter(_ scalar: Unicode.Scalar, _ context: String) -> Failure {
        Failure(description: "invalid character \(GoFormat.sprintf("%q", [.string(String(scalar))])) \(context)")
    }

    private mutating func expect(_ expected: Unicode.Scalar, _ context: String) throws(Failure) {
        skipWhitespace()
        guard let scalar = peek() else { throw Failure(description: "unexpected EOF") }
        guard scalar == expected else { throw invalidCharacter(scalar, context) }
        position += 1
    }

    private mutating func nested<T>(_ body: (inout Self) throws(Failure) -> T) throws(Failure) -> T {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maximumDepth { throw Failure(description: "exceeded max depth") }
        return try body(&self)
    }

    private mutating func object() throws(Failure) -> TemplateValue {
        try nested { (decoder: inout Self) throws(Failure) -> TemplateValue in
            decoder.position += 1
            var members: [String: TemplateValue] = [:]
            decoder.skipWhitespace()
            if decoder.peek() == "}" {
                decoder.position += 1
                return .map(members)
            }
            while true {
                decoder.skipWhitespace()
                guard let scalar = decoder.peek() else { throw Failure(description: "unexpected EOF") }
                guard scalar == "\"" else {
                    throw decoder.invalidCharacter(scalar, "looking for beginning of object key string")
                }
                let key = try decoder.string()
                try decoder.expect(":", "after object key")
                members[key] = try decoder.decodeValue()
                decoder.skipWhitespace()
                guard let next = decoder.peek() else { throw Failure(description: "unexpected EOF") }
                decoder.position += 1
                if next == "}" { return .map(members) }
                guard next == "," else { throw decoder.invalidCharacter(next, "after object key:value pair") }
            }
        }
    }

    private mutating func array() throws(Failure) -> TemplateValue {
        try nested { (decoder: inout Self) throws(Failure) -> TemplateValue in
            decoder.position += 1
            var elements: [TemplateValue] = []
            decoder.skipWhitespace()
            if decoder.peek() == "]" {
                decoder.position += 1
                return .list(elements)
            }
            while true {
                elements.append(try decoder.decodeValue())
                decoder.skipWhitespace()
                guard let next = decoder.peek() else { throw Failure(description: "unexpected EOF") }
                decoder.position += 1
                if next == "]" { return .list(elements) }
                guard next == "," else { throw decoder.invalidCharacter(next, "after array element") }
            }
        }
    }

    private mutating func literal(_ word: String, _ value: TemplateValue) throws(Failure) -> TemplateValue {
        for expected in word.unicodeScalars {
            guard let scalar = peek() else { throw Failure(description: "unexpected EOF") }
            guard scalar == expected else { throw invalidCharacter(scalar, "in literal \(word) (expecting \(GoFormat.sprintf("%q", [.string(String(expected))])))") }
            position += 1
        }
        return value
    }

    private mutating func number() throws(Failure) -> TemplateValue {
        let start = position
        if peek() == "-" { position += 1 }
        guard let first = peek() else { throw Failure(description: "unexpected EOF") }
        if first == "0" {
            position += 1
        } else if ("1"..."9").contains(first) {
            skipDigits()
        } else {
            throw invalidCharacter(first, "in numeric literal")
        }
        if peek() == "." {
            position += 1
            guard let digit = peek() else { throw Failure(description: "unexpected EOF") }
            guard ("0"..."9").contains(digit) else { throw invalidCharacter(digit, "after decimal point in numeric literal") }
            skipDigits()
        }
        if let e = peek(), e == "e" || e == "E" {
            position += 1
            if let sign = peek(), sign == "+" || sign == "-" { position += 1 }
            guard let digit = peek() else { throw Failure(description: "unexpected EOF") }
            guard ("0"..."9").contains(digit) else { throw invalidCharacter(digit, "in exponent of numeric literal") }
            skipDigits()
        }
        let text = String(String.UnicodeScalarView(input[start..<position]))
        guard let value = Double(text), value.isFinite else {
            throw Failure(description: "json: cannot unmarshal number \(text) into Go value of type float64")
        }
        return .float(value)
    }

    private mutating func skipDigits() {
        while let scalar = peek(), ("0"..."9").contains(scalar) { position += 1 }
    }

    private mutating func string() throws(Failure) -> String {
        position += 1
        var text = String.UnicodeScalarView()
        while true {
            guard let scalar = peek() else { throw Failure(description: "unexpected EOF") }
            position += 1
            switch scalar {
            case "\"":
                return String(text)
            case "\\":
                guard let escape = peek() else { throw Failure(description: "unexpected EOF") }
                position += 1
                switch escape {
                case "\"", "\\", "/": text.append(escape)
                case "b": text.append("\u{08}")
                case "f": text.append("\u{0C}")
                case "n": text.append("\n")
                case "r": text.append("\r")
                case "t": text.append("\t")
                case "u": text.append(try unicodeEscape())
                default: throw invalidCharacter(escape, "in string escape code")
                }
            default:
                if scalar.value < 0x20 { throw invalidCharacter(scalar, "in string literal") }
                text.append(scalar)
            }
        }
    }

    /// `\uXXXX`, combining a surrogate pair; a lone surrogate becomes U+FFFD as in Go.
    private mutating func unicodeEscape() throws(Failure) -> Unicode.Scalar {
        let high = try hex4()
        if (0xD800..<0xDC00).contains(high), position + 1 < input.count, input[position] == "\\",
            input[position + 1] == "u"
        {
            let saved = position
            position += 2
            let low = try hex4()
            if (0xDC00..<0xE000).contains(low),
                let combined = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
            {
                return combined
            }
            position = saved
            return "\u{FFFD}"
        }
        return Unicode.Scalar(high) ?? "\u{FFFD}"
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let scalar = peek() else { throw Failure(description: "unexpected EOF") }
            guard let digit = Self.hexDigit(scalar) else {
                throw invalidCharacter(scalar, "in \\u hexadecimal character escape")
            }
            value = value * 16 + digit
            position += 1
        }
        return value
    }

    private static func hexDigit(_ scalar: Unicode.Scalar) -> UInt32? {
        switch scalar.value {
        case 0x30...0x39: scalar.value - 0x30
        case 0x41...0x46: scalar.value - 0x41 + 10
        case 0x61...0x66: scalar.value - 0x61 + 10
        default: nil
        }
    }
}
