/// Go's `strconv.ParseInt(s, 0, 64)`, `ParseUint(s, 0, 64)` and `ParseFloat(s, 64)` for number literals in
/// templates: base prefixes `0x 0o 0b` and a leading `0` for octal, `_` digit separators, hex floats with `p`.
enum GoNumberSyntax {
    enum IntegerResult {
        case value(Int64)
        /// Fits `uint64` but not `int64` (Go's `IsUint` without `IsInt`).
        case unsignedOnly(UInt64)
        case invalid
    }

    static func parseInteger(_ text: String) -> IntegerResult {
        var bytes = Array(text.utf8)[...]
        var negative = false
        var signed = false
        if let first = bytes.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            negative = first == UInt8(ascii: "-")
            signed = true
            bytes = bytes.dropFirst()
        }
        guard !bytes.isEmpty else { return .invalid }
        var base: UInt64 = 10
        if bytes.count >= 2, bytes.first == UInt8(ascii: "0") {
            switch bytes[bytes.startIndex + 1] | 0x20 {
            case UInt8(ascii: "x"): base = 16; bytes = bytes.dropFirst(2)
            case UInt8(ascii: "b"): base = 2; bytes = bytes.dropFirst(2)
            case UInt8(ascii: "o"): base = 8; bytes = bytes.dropFirst(2)
            default: base = 8; bytes = bytes.dropFirst()
            }
        }
        if bytes.isEmpty && base != 8 { return .invalid }
        var value: UInt64 = 0
        var overflow = false
        var sawUnderscore = false
        for byte in bytes {
            if byte == UInt8(ascii: "_") {
                sawUnderscore = true
                continue
            }
            let digit: UInt64
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): digit = UInt64(byte - UInt8(ascii: "a")) + 10
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): digit = UInt64(byte - UInt8(ascii: "A")) + 10
            default: return .invalid
            }
            guard digit < base else { return .invalid }
            let (times, o1) = value.multipliedReportingOverflow(by: base)
            let (sum, o2) = times.addingReportingOverflow(digit)
            if o1 || o2 { overflow = true }
            value = sum
        }
        if sawUnderscore && !underscoreOK(text) { return .invalid }
        if overflow { return .invalid }
        if negative {
            if value <= UInt64(Int64.max) { return .value(-Int64(value)) }
            if value == UInt64(Int64.max) + 1 { return .value(Int64.min) }
            return .invalid
        }
        if value <= UInt64(Int64.max) { return .value(Int64(value)) }
        return signed ? .invalid : .unsignedOnly(value)
    }

    static func parseFloat(_ text: String) -> Double? {
        var cleaned = text
        if text.contains("_") {
            guard underscoreOK(text) else { return nil }
            cleaned = text.replacingUnderscores()
        }
        let lower = cleaned.lowercased()
        let body = lower.hasPrefix("-") || lower.hasPrefix("+") ? String(lower.dropFirst()) : lower
        if body.hasPrefix("0x") {
            guard body.contains("p") else { return nil }
        } else if body.contains("p") || body.contains("x") {
            return nil
        }
        guard let first = body.unicodeScalars.first, first == "." || ("0"..."9").contains(first) else { return nil }
        // Go's ParseFloat fails on overflow (1e400) instead of returning infinity.
        guard let value = Double(cleaned), value.isFinite else { return nil }
        return value
    }

    /// Go's `underscoreOK`: underscores only between digits (or after a base prefix).
    static func underscoreOK(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        if let first = bytes.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        var saw: UInt8 = UInt8(ascii: "^")
        var hex = false
        if bytes.count >= 2, bytes.first == UInt8(ascii: "0") {
            let marker = bytes[bytes.startIndex + 1] | 0x20
            if marker == UInt8(ascii: "b") || marker == UInt8(ascii: "o") || marker == UInt8(ascii: "x") {
                bytes = bytes.dropFirst(2)
                saw = UInt8(ascii: "0")
                hex = marker == UInt8(ascii: "x")
            }
        }
        for byte in bytes {
            let lowered = byte | 0x20
            if (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || (hex && lowered >= UInt8(ascii: "a") && lowered <= UInt8(ascii: "f")) {
                saw = UInt8(ascii: "0")
                continue
            }
            if byte == UInt8(ascii: "_") {
                if saw != UInt8(ascii: "0") { return false }
                saw = UInt8(ascii: "_")
                continue
            }
            if saw == UInt8(ascii: "_") { return false }
            saw = UInt8(ascii: "!")
        }
        return saw != UInt8(ascii: "_")
    }
}

extension String {
    fileprivate func replacingUnderscores() -> String {
        String(String.UnicodeScalarView(unicodeScalars.filter { $0 != "_" }))
    }
}
