/// The parts of Go's `strconv` the template engine and `fmt` need: quoting (`Quote`, `QuoteToASCII`,
/// `QuoteRune`), `CanBackquote`, `IsPrint`, and unquoting Go string and character literals.
enum GoStrconv {
    private static let lowerHex = Array("0123456789abcdef".utf8)

    /// `strconv.Quote` (or `QuoteToASCII` when `asciiOnly`).
    static func quote(_ text: String, asciiOnly: Bool = false) -> String {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            appendEscaped(scalar.value, quote: UInt8(ascii: "\""), asciiOnly: asciiOnly, into: &out)
        }
        out.append(UInt8(ascii: "\""))
        return String(decoding: out, as: UTF8.self)
    }

    /// `strconv.QuoteRune` (or `QuoteRuneToASCII`): invalid code points print as U+FFFD.
    static func quoteRune(_ value: UInt32, asciiOnly: Bool = false) -> String {
        var rune = value
        if Unicode.Scalar(rune) == nil { rune = 0xFFFD }
        var out: [UInt8] = [UInt8(ascii: "'")]
        appendEscaped(rune, quote: UInt8(ascii: "'"), asciiOnly: asciiOnly, into: &out)
        out.append(UInt8(ascii: "'"))
        return String(decoding: out, as: UTF8.self)
    }

    /// `strconv.CanBackquote`: no control characters other than tab, no backquote, no BOM.
    static func canBackquote(_ text: String) -> Bool {
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value == 0xFEFF || value == 0x60 || value == 0x7F { return false }
            if value < 0x20 && value != 0x09 { return false }
        }
        return true
    }

    /// `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
    static func isPrint(_ value: UInt32) -> Bool {
        if value < 0x80 { return value >= 0x20 && value < 0x7F }
        guard let scalar = Unicode.Scalar(value) else { return false }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark,
            .decimalNumber, .letterNumber, .otherNumber,
            .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation,
            .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return value != 0xAD
        default:
            return false
        }
    }

    private static func appendEscaped(_ rune: UInt32, quote: UInt8, asciiOnly: Bool, into out: inout [UInt8]) {
        if rune == UInt32(quote) || rune == 0x5C {
            out.append(UInt8(ascii: "\\"))
            out.append(UInt8(rune))
            return
        }
        if asciiOnly ? (rune < 0x80 && isPrint(rune)) : isPrint(rune) {
            appendUTF8(rune, into: &out)
            return
        }
        switch rune {
        case 0x07: out += Array("\\a".utf8)
        case 0x08: out += Array("\\b".utf8)
        case 0x0C: out += Array("\\f".utf8)
        case 0x0A: out += Array("\\n".utf8)
        case 0x0D: out += Array("\\r".utf8)
        case 0x09: out += Array("\\t".utf8)
        case 0x0B: out += Array("\\v".utf8)
        default:
            if rune < 0x20 || rune == 0x7F {
                out += Array("\\x".utf8)
                out.append(lowerHex[Int(rune >> 4)])
                out.append(lowerHex[Int(rune & 0xF)])
            } else if rune < 0x10000 {
                out += Array("\\u".utf8)
                for shift in stride(from: 12, through: 0, by: -4) { out.append(lowerHex[Int((rune >> UInt32(shift)) & 0xF)]) }
            } else {
                out += Array("\\U".utf8)
                for shift in stride(from: 28, through: 0, by: -4) { out.append(lowerHex[Int((rune >> UInt32(shift)) & 0xF)]) }
            }
        }
    }

    static func appendUTF8(_ rune: UInt32, into out: inout [UInt8]) {
        let value = Unicode.Scalar(rune)?.value ?? 0xFFFD
        switch value {
        case 0..<0x80:
            out.append(UInt8(value))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | value >> 6))
            out.append(UInt8(0x80 | value & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | value >> 12))
            out.append(UInt8(0x80 | (value >> 6) & 0x3F))
            out.append(UInt8(0x80 | value & 0x3F))
        default:
            out.append(UInt8(0xF0 | value >> 18))
            out.append(UInt8(0x80 | (value >> 12) & 0x3F))
            out.append(UInt8(0x80 | (value >> 6) & 0x3F))
            out.append(UInt8(0x80 | value & 0x3F))
        }
    }

    /// Decodes the body of a Go interpreted string or character literal (without the quotes).
    /// Returns `nil` when an escape is malformed.
    static func unquote(_ body: Substring.UnicodeScalarView, quote: Unicode.Scalar) -> [UInt8]? {
        var out: [UInt8] = []
        var index = body.startIndex
        func hexValue(_ scalar: Unicode.Scalar) -> UInt32? {
            switch scalar {
            case "0"..."9": return scalar.value - 48
            case "a"..."f": return scalar.value - 87
            case "A"..."F": return scalar.value - 55
            default: return nil
            }
        }
        while index < body.endIndex {
            let scalar = body[index]
            index = body.index(after: index)
            if scalar == quote && quote == "\"" { return nil }
            guard scalar == "\\" else {
                if scalar == "\n" { return nil }
                appendUTF8(scalar.value, into: &out)
                continue
            }
            guard index < body.endIndex else { return nil }
            let escape = body[index]
            index = body.index(after: index)
            switch escape {
            case "a": out.append(0x07)
            case "b": out.append(0x08)
            case "f": out.append(0x0C)
            case "n": out.append(0x0A)
            case "r": out.append(0x0D)
            case "t": out.append(0x09)
            case "v": out.append(0x0B)
            case "\\": out.append(0x5C)
            case "'", "\"":
                guard escape == quote else { return nil }
                out.append(UInt8(escape.value))
            case "x", "u", "U":
                let count = escape == "x" ? 2 : escape == "u" ? 4 : 8
                var value: UInt32 = 0
                for _ in 0..<count {
                    guard index < body.endIndex, let digit = hexValue(body[index]) else { return nil }
                    value = value << 4 | digit
                    index = body.index(after: index)
                }
                if escape == "x" {
                    out.append(UInt8(value))
                } else {
                    guard Unicode.Scalar(value) != nil else { return nil }
                    appendUTF8(value, into: &out)
                }
            case "0"..."7":
                var value = escape.value - 48
                for _ in 0..<2 {
                    guard index < body.endIndex, ("0"..."7").contains(body[index]) else { return nil }
                    value = value << 3 | (body[index].value - 48)
                    index = body.index(after: index)
                }
                guard value <= 255 else { return nil }
                out.append(UInt8(value))
            default:
                return nil
            }
        }
        return out
    }
}
