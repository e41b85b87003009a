import GoTemplate
import GitOpsKit

/// Go's `strings` package (and the goutils/xstrings helpers Sprig calls) over UTF-8 bytes, as Go sees strings.
enum GoStrings {
    /// Bytes as a string; invalid UTF-8 is kept (see `GoByteString`).
    static func string(_ bytes: some Collection<UInt8>) -> String { GoByteString.string(bytes) }

    /// `s[start:end]` with Go's bounds checks and panic messages.
    static func slice(_ bytes: [UInt8], _ start: Int?, _ end: Int?) throws(SprigError) -> String {
        let low = start ?? 0
        let high = end ?? bytes.count
        if let end, end < 0 || end > bytes.count {
            throw SprigError("runtime error: slice bounds out of range [:\(end)] with length \(bytes.count)")
        }
        if let start, end == nil, start > bytes.count || start < 0 {
            throw SprigError("runtime error: slice bounds out of range [\(start):\(bytes.count)]")
        }
        if low > high || low < 0 { throw SprigError("runtime error: slice bounds out of range [\(low):\(high)]") }
        return string(bytes[low..<high])
    }

    /// `strings.TrimSpace`.
    static func trimSpace(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !GoUnicode.isSpace($0) }),
              let last = scalars.lastIndex(where: { !GoUnicode.isSpace($0) }) else { return "" }
        return String(scalars[first...last])
    }

    /// `strings.Trim(text, cutset)`.
    static func trim(_ text: String, cutset: String) -> String {
        let cut = Set(cutset.unicodeScalars)
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !cut.contains($0) }),
              let last = scalars.lastIndex(where: { !cut.contains($0) }) else { return "" }
        return String(scalars[first...last])
    }

    /// `strings.Map` with a scalar mapping.
    static func mapScalars(_ text: String, _ transform: (Unicode.Scalar) -> Unicode.Scalar) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { result.append(transform(scalar)) }
        return String(result)
    }

    /// `strings.Title`: the first letter of each word in title case; words break at anything but letters, digits,
    /// `_` (ASCII punctuation breaks, non-ASCII punctuation does not).
    static func title(_ text: String) -> String {
        var previous: Unicode.Scalar = " "
        return mapScalars(text) { scalar in
            defer { previous = scalar }
            return isSeparator(previous) ? GoUnicode.title(scalar) : scalar
        }
    }

    private static func isSeparator(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value <= 0x7F {
            switch scalar {
            case "0"..."9", "a"..."z", "A"..."Z", "_": return false
            default: return true
            }
        }
        if GoUnicode.isLetter(scalar) || scalar.properties.numericType == .decimal { return false }
        return GoUnicode.isSpace(scalar)
    }

    /// goutils `Uncapitalize`: the first letter of each whitespace-separated word in lower case.
    static func uncapitalize(_ text: String) -> String {
        var next = true
        return mapScalars(text) { scalar in
            if GoUnicode.isSpace(scalar) {
                next = true
                return scalar
            }
            if next {
                next = false
                return GoUnicode.lower(scalar)
            }
            return scalar
        }
    }

    /// goutils `SwapCase`: upper → lower, lower → upper, but a lower-case letter starting a word → title case.
    static func swapCase(_ text: String) -> String {
        var whitespace = true
        return mapScalars(text) { scalar in
            let properties = scalar.properties
            if properties.isUppercase && properties.generalCategory == .uppercaseLetter {
                whitespace = false
                return GoUnicode.lower(scalar)
            } else if properties.generalCategory == .titlecaseLetter {
                whitespace = false
                return GoUnicode.lower(scalar)
            } else if properties.generalCategory == .lowercaseLetter {
                defer { whitespace = false }
                return whitespace ? GoUnicode.title(scalar) : GoUnicode.upper(scalar)
            }
            whitespace = GoUnicode.isSpace(scalar)
            return scalar
        }
    }

    /// goutils' byte-at-a-time loops (`DeleteWhiteSpace`, `Initials`): each byte read as the Latin-1 rune of the
    /// same value and written back as UTF-8 (so non-ASCII text is mangled exactly as Sprig mangles it).
    static func latin1Bytes(_ text: String, keep: (Unicode.Scalar) -> Bool) -> String {
        var result = String.UnicodeScalarView()
        var changed = false
        for byte in text.utf8 {
            let scalar = Unicode.Scalar(byte)
            if keep(scalar) { result.append(scalar) } else { changed = true }
            if byte >= 0x80 { changed = true }
        }
        return changed ? String(result) : text
    }

    /// The byte offset of `needle` in `haystack`, or nil.
    static func index(of needle: String, in haystack: String) -> Int? {
        let pattern = Array(needle.utf8)
        let bytes = Array(haystack.utf8)
        if pattern.isEmpty { return 0 }
        guard bytes.count >= pattern.count else { return nil }
        for start in 0...(bytes.count - pattern.count) where bytes[start] == pattern[0] {
            if bytes[start..<(start + pattern.count)].elementsEqual(pattern) { return start }
        }
        return nil
    }

    /// `strings.Replace(text, old, new, -1)`; an empty `old` inserts `new` around every rune.
    static func replaceAll(_ text: String, _ old: String, with new: String) -> String {
        if old.isEmpty {
            var result = new
            for scalar in text.unicodeScalars {
                result.unicodeScalars.append(scalar)
                result += new
            }
            return result
        }
        return split(text, separator: old, limit: -1).joined(separator: new)
    }

    /// `strings.SplitN(text, separator, limit)` (`limit` < 0: all; 0: none); an empty separator splits runes.
    static func split(_ text: String, separator: String, limit: Int) -> [String] {
        if limit == 0 { return [] }
        if separator.isEmpty {
            var parts = text.unicodeScalars.map { String($0) }
            if limit > 0 && parts.count > limit {
                let rest = parts[(limit - 1)...].joined()
                parts = Array(parts[..<(limit - 1)]) + [rest]
            }
            return parts
        }
        let bytes = Array(text.utf8)
        let pattern = Array(separator.utf8)
        var parts: [String] = []
        var start = 0
        var index = 0
        while index + pattern.count <= bytes.count {
            if limit > 0 && parts.count == limit - 1 { break }
            if bytes[index] == pattern[0] && bytes[index..<(index + pattern.count)].elementsEqual(pattern) {
                parts.append(string(bytes[start..<index]))
                index += pattern.count
                start = index
            } else {
                index += 1
            }
        }
        parts.append(string(bytes[start...]))
        return parts
    }

    /// goutils `AbbreviateFull`: at most `maxWidth` bytes with `...` marking what was cut.
    static func abbreviate(_ text: String, offset requestedOffset: Int, maxWidth: Int) throws(SprigError) -> String {
        let bytes = Array(text.utf8)
        if bytes.isEmpty { return "" }
        if maxWidth < 4 { throw SprigError("stringutils illegal argument: Minimum abbreviation width is 4") }
        if bytes.count <= maxWidth { return text }
        var offset = min(requestedOffset, bytes.count)
        if bytes.count - offset < maxWidth - 3 { offset = bytes.count - (maxWidth - 3) }
        if offset <= 4 { return string(bytes[0..<(maxWidth - 3)]) + "..." }
        if maxWidth < 7 { throw SprigError("stringutils illegal argument: Minimum abbreviation width with offset is 7") }
        if offset + maxWidth - 3 < bytes.count {
            return "..." + (try abbreviate(string(bytes[offset...]), offset: 0, maxWidth: maxWidth - 3))
        }
        return "..." + string(bytes[(bytes.count - (maxWidth - 3))...])
    }

    /// goutils `WrapCustom` (byte offsets; breaks at spaces).
    static func wrap(_ text: String, width requestedWidth: Int, newline requestedNewline: String, wrapLongWords: Bool) -> String {
        let bytes = Array(text.utf8)
        if bytes.isEmpty { return "" }
        let newline = Array((requestedNewline.isEmpty ? "\n" : requestedNewline).utf8)
        let width = max(requestedWidth, 1)
        var offset = 0
        var out: [UInt8] = []
        let space = UInt8(ascii: " ")
        while bytes.count - offset > width {
            if bytes[offset] == space {
                offset += 1
                continue
            }
            let end = min(width + offset + 1, bytes.count)
            var spaceToWrapAt = offset - 1
            if let last = bytes[offset..<end].lastIndex(of: space) { spaceToWrapAt = last }
            if spaceToWrapAt >= offset {
                out += bytes[offset..<spaceToWrapAt]
                out += newline
                offset = spaceToWrapAt + 1
            } else if wrapLongWords {
                out += bytes[offset..<(width + offset)]
                out += newline
                offset += width
            } else {
                let end = width + offset
                if let next = bytes[end...].firstIndex(of: space) {
                    out += bytes[offset..<next]
                    out += newline
                    offset = next + 1
                } else {
                    out += bytes[offset...]
                    offset = bytes.count
                }
            }
        }
        out += bytes[offset...]
        return string(out)
    }
}

/// Go's `unicode` predicates and simple (one-rune) case mappings.
enum GoUnicode {
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0: return true
        case 0..<0x100: return false
        default: return scalar.properties.isWhitespace
        }
    }

    static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    static func isUpper(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.generalCategory == .uppercaseLetter }

    static func isNumber(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber: return true
        default: return false
        }
    }

    static func isPunct(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation: return true
        default: return false
        }
    }

    static func upper(_ scalar: Unicode.Scalar) -> Unicode.Scalar { single(scalar.properties.uppercaseMapping) ?? scalar }
    static func lower(_ scalar: Unicode.Scalar) -> Unicode.Scalar { single(scalar.properties.lowercaseMapping) ?? scalar }
    static func title(_ scalar: Unicode.Scalar) -> Unicode.Scalar { single(scalar.properties.titlecaseMapping) ?? scalar }

    private static func single(_ mapping: String) -> Unicode.Scalar? {
        var iterator = mapping.unicodeScalars.makeIterator()
        guard let first = iterator.next(), iterator.next() == nil else { return nil }
        return first
    }
}

/// goutils' `CryptoRandom*` strings: each character drawn uniformly from a set with a CSPRNG.
enum RandomText {
    static let alphanumeric = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".unicodeScalars)
    static let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".unicodeScalars)
    static let digits = Array("0123456789".unicodeScalars)
    /// Printable ASCII, space to `~`.
    static let ascii = (32...126).compactMap { Unicode.Scalar(UInt32($0)) }

    static func string(count: Int, from characters: [Unicode.Scalar]) -> String {
        guard count > 0 else { return "" }
        var generator = SystemRandomNumberGenerator()
        var result = String.UnicodeScalarView()
        for _ in 0..<count {
            result.append(characters[Int.random(in: 0..<characters.count, using: &generator)])
        }
        return String(result)
    }
}
