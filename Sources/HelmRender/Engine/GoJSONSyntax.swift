import GoTemplate

/// The syntax error Go's `encoding/json` reports for a text it cannot parse (`invalid character 'x' looking for
/// beginning of object key string`, `unexpected end of JSON input`), found by re-scanning the text the way Go's
/// scanner does. Only used once a parse has failed, so it favours clarity over speed.
struct GoJSONSyntax {
    private enum Container { case object, array }

    private let bytes: [UInt8]
    private var index = 0
    private var stack: [Container] = []

    private struct Failure: Error {
        var message: String
    }

    /// Go's message for `text`, or nil when Go would accept it.
    static func error(in text: String) -> String? {
        var scanner = GoJSONSyntax(bytes: Array(text.utf8))
        do {
            try scanner.scanDocument()
            return nil
        } catch {
            return error.message
        }
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// Go's `quoteChar`.
    private static func quote(_ byte: UInt8) -> String {
        if byte == UInt8(ascii: "'") { return #"'\''"# }
        if byte == UInt8(ascii: "\"") { return #"'"'"# }
        let quoted = GoFormat.sprintf("%q", [.string(String(decoding: [byte], as: UTF8.self))])
        return "'" + quoted.dropFirst().dropLast() + "'"
    }

    private func invalid(_ byte: UInt8, _ context: String) -> Failure {
        Failure(message: "invalid character \(Self.quote(byte)) \(context)")
    }

    private static let endOfInput = Failure(message: "unexpected end of JSON input")

    private mutating func next() throws(Failure) -> UInt8 {
        while index < bytes.count, Self.isSpace(bytes[index]) { index += 1 }
        guard index < bytes.count else { throw Self.endOfInput }
        return bytes[index]
    }

    private mutating func scanDocument() throws(Failure) {
        try scanValue()
        while index < bytes.count {
            if !Self.isSpace(bytes[index]) { throw invalid(bytes[index], "after top-level value") }
            index += 1
        }
    }

    private mutating func scanValue() throws(Failure) {
        let byte = try next()
        switch byte {
        case UInt8(ascii: "{"):
            index += 1
            if try next() == UInt8(ascii: "}") {
                index += 1
                return
            }
            while true {
                let key = try next()
                guard key == UInt8(ascii: "\"") else { throw invalid(key, "looking for beginning of object key string") }
                try scanString()
                let colon = try next()
                guard colon == UInt8(ascii: ":") else { throw invalid(colon, "after object key") }
                index += 1
                try scanValue()
                let separator = try next()
                index += 1
                if separator == UInt8(ascii: "}") { return }
                guard separator == UInt8(ascii: ",") else { throw invalid(separator, "after object key:value pair") }
            }
        case UInt8(ascii: "["):
            index += 1
            if try next() == UInt8(ascii: "]") {
                index += 1
                return
            }
            while true {
                try scanValue()
                let separator = try next()
                index += 1
                if separator == UInt8(ascii: "]") { return }
                guard separator == UInt8(ascii: ",") else { throw invalid(separator, "after array element") }
            }
        case UInt8(ascii: "\""):
            try scanString()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try scanNumber()
        case UInt8(ascii: "t"): try scanLiteral("true")
        case UInt8(ascii: "f"): try scanLiteral("false")
        case UInt8(ascii: "n"): try scanLiteral("null")
        default:
            throw invalid(byte, "looking for beginning of value")
        }
    }

    private mutating func scanString() throws(Failure) {
        index += 1
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""): return
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { throw Self.endOfInput }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"),
                    UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "\""):
                    continue
                case UInt8(ascii: "u"):
                    for _ in 0..<4 {
                        guard index < bytes.count else { throw Self.endOfInput }
                        let hex = bytes[index]
                        guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(hex) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(hex)
                            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(hex)
                        else { throw invalid(hex, "in \\u hexadecimal character escape") }
                        index += 1
                    }
                default:
                    throw invalid(escape, "in string escape code")
                }
            case 0..<0x20:
                throw invalid(byte, "in string literal")
            default:
                continue
            }
        }
        throw Self.endOfInput
    }

    private mutating func digits() -> Int {
        let start = index
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        return index - start
    }

    private mutating func requireDigit(_ context: String) throws(Failure) {
        guard index < bytes.count else { throw Self.endOfInput }
        guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) else { throw invalid(bytes[index], context) }
    }

    private mutating func scanNumber() throws(Failure) {
        if bytes[index] == UInt8(ascii: "-") {
            index += 1
            try requireDigit("in numeric literal")
        }
        if bytes[index] == UInt8(ascii: "0") { index += 1 } else { _ = digits() }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            try requireDigit("after decimal point in numeric literal")
            _ = digits()
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            try requireDigit("in exponent of numeric literal")
            _ = digits()
        }
    }

    private mutating func scanLiteral(_ literal: String) throws(Failure) {
        for expected in literal.utf8 {
            guard index < bytes.count else { throw Self.endOfInput }
            guard bytes[index] == expected else {
                throw invalid(bytes[index], "in literal \(literal) (expecting \(Self.quote(expected)))")
            }
            index += 1
        }
    }
}
