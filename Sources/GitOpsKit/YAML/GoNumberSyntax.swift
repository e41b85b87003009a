/// Go's `strconv` number syntax as go-yaml v2 uses it to type plain scalars (`ParseInt(s, 0, 64)`,
/// `ParseUint(s, 0, 64)`, `ParseFloat(s, 64)`), so `010`, `0x1F`, `0o17`, `0b101` and `1e3` mean what they mean in
/// Kubernetes.
enum GoNumberSyntax {
    /// `strconv.ParseInt(text, 0, 64)` on text without underscores: optional sign, then `0x`/`0o`/`0b` prefixes or
    /// a leading `0` for octal.
    static func parseInt(_ text: ArraySlice<UInt8>) -> Int64? {
        var rest = text
        var negative = false
        if let first = rest.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            negative = first == UInt8(ascii: "-")
            rest = rest.dropFirst()
        }
        guard let magnitude = parseUnsigned(rest) else { return nil }
        if negative {
            if magnitude <= UInt64(Int64.max) { return -Int64(magnitude) }
            if magnitude == UInt64(Int64.max) + 1 { return Int64.min }
            return nil
        }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    /// `strconv.ParseUint(text, 0, 64)`: no sign allowed.
    static func parseUInt(_ text: ArraySlice<UInt8>) -> UInt64? {
        parseUnsigned(text)
    }

    private static func parseUnsigned(_ text: ArraySlice<UInt8>) -> UInt64? {
        guard !text.isEmpty else { return nil }
        var digits = text
        var base: UInt64 = 10
        if text.first == UInt8(ascii: "0") {
            let afterZero = text.dropFirst()
            if text.count >= 3, let marker = afterZero.first {
                switch marker | 0x20 {
                case UInt8(ascii: "b"): base = 2; digits = afterZero.dropFirst()
                case UInt8(ascii: "o"): base = 8; digits = afterZero.dropFirst()
                case UInt8(ascii: "x"): base = 16; digits = afterZero.dropFirst()
                default: base = 8; digits = afterZero
                }
            } else {
                base = 8
                digits = afterZero
            }
        }
        var value: UInt64 = 0
        for byte in digits {
            let digit: UInt64
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): digit = UInt64(byte - UInt8(ascii: "a")) + 10
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): digit = UInt64(byte - UInt8(ascii: "A")) + 10
            default: return nil
            }
            guard digit < base else { return nil }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: base)
            let (sum, overflow2) = shifted.addingReportingOverflow(digit)
            if overflow1 || overflow2 { return nil }
            value = sum
        }
        return value
    }

    /// go-yaml v2's `yamlStyleFloat` (`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`) followed by
    /// `ParseFloat`; out-of-range values (which Go rejects) give `nil`.
    static func parseYAMLStyleFloat(_ text: ArraySlice<UInt8>) -> Double? {
        let bytes = text
        var i = bytes.startIndex
        if i < bytes.endIndex, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
        let mantissaStart = i
        if i < bytes.endIndex, bytes[i] == UInt8(ascii: ".") {
            i += 1
            let fractionStart = i
            while i < bytes.endIndex, isDigit(bytes[i]) { i += 1 }
            guard i > fractionStart else { return nil }
        } else {
            let integerStart = i
            while i < bytes.endIndex, isDigit(bytes[i]) { i += 1 }
            guard i > integerStart else { return nil }
            if i < bytes.endIndex, bytes[i] == UInt8(ascii: ".") {
                i += 1
                while i < bytes.endIndex, isDigit(bytes[i]) { i += 1 }
            }
        }
        let mantissaEnd = i
        var exponent: ArraySlice<UInt8> = []
        if i < bytes.endIndex, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            let exponentStart = i
            if i < bytes.endIndex, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            let digitsStart = i
            while i < bytes.endIndex, isDigit(bytes[i]) { i += 1 }
            guard i > digitsStart else { return nil }
            exponent = bytes[exponentStart..<i]
        }
        guard i == bytes.endIndex, mantissaEnd > mantissaStart else { return nil }
        return decimalValue(sign: bytes[bytes.startIndex..<mantissaStart], mantissa: bytes[mantissaStart..<mantissaEnd], exponent: exponent)
    }

    /// `strconv.ParseFloat` for text starting with `.` (go-yaml's '.' hint): digits may be separated by single
    /// underscores, as Go's float literal syntax allows.
    static func parseDotFloat(_ text: ArraySlice<UInt8>) -> Double? {
        var cleaned: [UInt8] = []
        cleaned.reserveCapacity(text.count)
        var previous: UInt8 = 0
        for byte in text {
            if byte == UInt8(ascii: "_") {
                guard isDigit(previous) else { return nil }
            } else if previous == UInt8(ascii: "_"), !isDigit(byte) {
                return nil
            }
            if byte != UInt8(ascii: "_") { cleaned.append(byte) }
            previous = byte
        }
        guard previous != UInt8(ascii: "_"), cleaned.first == UInt8(ascii: ".") else { return nil }
        return parseYAMLStyleFloat(cleaned[...])
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// Converts validated decimal parts with correct rounding; `nil` when the value overflows, as Go reports.
    private static func decimalValue(
        sign: ArraySlice<UInt8>, mantissa: ArraySlice<UInt8>, exponent: ArraySlice<UInt8>
    ) -> Double? {
        var canonical = String(decoding: sign, as: UTF8.self)
        if mantissa.first == UInt8(ascii: ".") { canonical += "0" }
        canonical += String(decoding: mantissa, as: UTF8.self)
        if mantissa.last == UInt8(ascii: ".") { canonical += "0" }
        if !exponent.isEmpty { canonical += "e" + String(decoding: exponent, as: UTF8.self) }
        guard let value = Double(canonical), value.isFinite else { return nil }
        return value
    }
}
