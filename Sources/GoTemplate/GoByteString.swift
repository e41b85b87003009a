/// Go strings are bytes, and need not be UTF-8 (`b64dec` of random bytes, `.Files.Get` of a binary file); a Swift
/// `String` is Unicode. A Go string becomes a `String` losslessly here: valid UTF-8 as its characters, and each byte
/// Go's decoder would reject as one scalar of U+10FF80…U+10FFFF (the end of Supplementary Private Use Area-B), which
/// turns back into that byte wherever Go would see bytes (`len`, `b64enc`, checksums, template output).
///
/// Text that itself contains those 128 private-use scalars reads back as raw bytes: a deliberate trade for keeping
/// binary data intact.
public enum GoByteString {
    static let escapeBase: UInt32 = 0x10FF00

    /// The string of Go's `string(bytes)`.
    public static func string(_ bytes: some Collection<UInt8>) -> String {
        let bytes = Array(bytes)
        if let valid = String(validating: bytes, as: UTF8.self) { return valid }
        var scalars = String.UnicodeScalarView()
        var index = 0
        while index < bytes.count {
            if let (scalar, width) = decodeRune(bytes, at: index) {
                scalars.append(scalar)
                index += width
            } else {
                scalars.append(Unicode.Scalar(escapeBase + UInt32(bytes[index])) ?? "\u{FFFD}")
                index += 1
            }
        }
        return String(scalars)
    }

    /// The bytes of a string made by `string(_:)` (Go's `[]byte(s)`).
    public static func bytes(_ string: String) -> [UInt8] {
        guard hasEscapes(string) else { return Array(string.utf8) }
        var out: [UInt8] = []
        out.reserveCapacity(string.utf8.count)
        for scalar in string.unicodeScalars {
            if let byte = escapedByte(scalar) {
                out.append(byte)
            } else {
                out.append(contentsOf: String(scalar).utf8)
            }
        }
        return out
    }

    /// Go's `len(s)`.
    public static func byteCount(_ string: String) -> Int {
        guard hasEscapes(string) else { return string.utf8.count }
        return string.unicodeScalars.reduce(0) { $0 + (escapedByte($1) != nil ? 1 : String($1).utf8.count) }
    }

    /// The string with each raw byte as U+FFFD, as Go's `encoding/json` writes invalid UTF-8.
    public static func validUTF8(_ string: String) -> String {
        guard hasEscapes(string) else { return string }
        var scalars = String.UnicodeScalarView()
        for scalar in string.unicodeScalars { scalars.append(escapedByte(scalar) != nil ? "\u{FFFD}" : scalar) }
        return String(scalars)
    }

    /// Whether the string holds raw bytes: their scalars all start with the UTF-8 bytes F4 8F.
    static func hasEscapes(_ string: String) -> Bool {
        var previous: UInt8 = 0
        for byte in string.utf8 {
            if previous == 0xF4, byte == 0x8F { return string.unicodeScalars.contains { escapedByte($0) != nil } }
            previous = byte
        }
        return false
    }

    static func escapedByte(_ scalar: Unicode.Scalar) -> UInt8? {
        guard scalar.value >= escapeBase + 0x80, scalar.value <= escapeBase + 0xFF else { return nil }
        return UInt8(scalar.value - escapeBase)
    }

    /// Go's `utf8.DecodeRune` for a valid sequence at `index`: the scalar and its width, or nil.
    private static func decodeRune(_ bytes: [UInt8], at index: Int) -> (Unicode.Scalar, Int)? {
        let lead = bytes[index]
        if lead < 0x80 { return (Unicode.Scalar(lead), 1) }
        let width: Int
        var value: UInt32
        switch lead {
        case 0xC2...0xDF: width = 2; value = UInt32(lead & 0x1F)
        case 0xE0...0xEF: width = 3; value = UInt32(lead & 0x0F)
        case 0xF0...0xF4: width = 4; value = UInt32(lead & 0x07)
        default: return nil
        }
        guard index + width <= bytes.count else { return nil }
        for offset in 1..<width {
            let byte = bytes[index + offset]
            guard byte & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        // Overlong forms, surrogates and values past U+10FFFF are invalid.
        let minimum: UInt32 = width == 2 ? 0x80 : width == 3 ? 0x800 : 0x10000
        guard value >= minimum, let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, width)
    }
}
