import GoTemplate

/// Go's string helpers that Helm's values code relies on, where Swift's behave differently.
enum StrvalsText {
    /// `strings.EqualFold` against an ASCII word: ASCII letters in any case, plus the two non-ASCII scalars Go's
    /// simple case folding maps onto ASCII letters (`ſ` → `s`, the Kelvin sign → `k`).
    static func equalFold(_ text: String, _ asciiWord: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        let word = Array(asciiWord.unicodeScalars)
        guard scalars.count == word.count else { return false }
        for (scalar, expected) in zip(scalars, word) {
            let folded: Unicode.Scalar
            switch scalar.value {
            case 0x17F: folded = "s"
            case 0x212A: folded = "k"
            case 0x41...0x5A: folded = Unicode.Scalar(scalar.value + 32) ?? scalar
            default: folded = scalar
            }
            if folded != expected { return false }
        }
        return true
    }

    /// `unicode.IsSpace`.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0: return true
        case 0...0xFF: return false
        default: return scalar.properties.isWhitespace
        }
    }

    /// `strconv.Quote` (what `%q` prints for a string).
    static func quote(_ text: String) -> String {
        GoFormat.sprintf("%q", [.string(text)])
    }
}
