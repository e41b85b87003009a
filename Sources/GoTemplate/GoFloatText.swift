#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import GitOpsKit

/// Go's `strconv.AppendFloat(v, format, prec, 64)` for the formats `fmt` uses: `e E f g G b x X`, with `prec`
/// `-1` meaning "the shortest digits that round-trip".
///
/// Shortest digits come from Swift's round-trip `description`; fixed precisions from the C library's correctly
/// rounded `%e`/`%f` (glibc rounds exact binary values half to even, as Go's decimal conversion does).
enum GoFloatText {
    /// Decimal digits `d1 d2 …` (no trailing zeros) with the value `0.d1d2… × 10^decimalPoint`.
    struct Digits {
        var negative: Bool
        var digits: [UInt8]
        var decimalPoint: Int
    }

    static func format(_ value: Double, _ format: UInt8, precision: Int) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        switch format {
        case UInt8(ascii: "b"): return binaryExponent(value)
        case UInt8(ascii: "x"), UInt8(ascii: "X"): return hex(value, upper: format == UInt8(ascii: "X"), precision: precision)
        case UInt8(ascii: "f"):
            if precision < 0 {
                let digits = shortest(value)
                return String(decoding: fixed(digits, fraction: max(digits.digits.count - digits.decimalPoint, 0)), as: UTF8.self)
            }
            return cFormat(value, precision: precision, conversion: "f")
        case UInt8(ascii: "e"), UInt8(ascii: "E"):
            let upper = format == UInt8(ascii: "E")
            if precision < 0 {
                let digits = shortest(value)
                return String(decoding: exponential(digits, fraction: max(digits.digits.count - 1, 0), upper: upper), as: UTF8.self)
            }
            let digits = rounded(value, significant: precision + 1)
            return String(decoding: exponential(digits, fraction: precision, upper: upper), as: UTF8.self)
        default:  // g, G
            let upper = format == UInt8(ascii: "G")
            let shortestMode = precision < 0
            var prec = precision
            let digits: Digits
            if shortestMode {
                digits = shortest(value)
                prec = digits.digits.count
            } else {
                if prec == 0 { prec = 1 }
                digits = rounded(value, significant: prec)
            }
            var exponentLimit = prec
            if exponentLimit > digits.digits.count && digits.digits.count >= digits.decimalPoint {
                exponentLimit = digits.digits.count
            }
            if shortestMode { exponentLimit = 6 }
            let exponent = digits.decimalPoint - 1
            if digits.digits.isEmpty || (exponent >= -4 && exponent < exponentLimit) {
                if prec > digits.decimalPoint { prec = digits.digits.count }
                return String(decoding: fixed(digits, fraction: max(prec - digits.decimalPoint, 0)), as: UTF8.self)
            }
            if prec > digits.digits.count { prec = digits.digits.count }
            return String(decoding: exponential(digits, fraction: prec - 1, upper: upper), as: UTF8.self)
        }
    }

    /// The shortest round-trip digits, from Swift's `description` (`1e-05`, `123.0`, `1.5e+16`).
    static func shortest(_ value: Double) -> Digits {
        var bytes = Array(value.description.utf8)
        var negative = false
        if bytes.first == UInt8(ascii: "-") {
            negative = true
            bytes.removeFirst()
        }
        var exponent = 0
        if let e = bytes.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            exponent = Int(String(decoding: bytes[(e + 1)...], as: UTF8.self)) ?? 0
            bytes.removeSubrange(e...)
        }
        return normalize(negative: negative, mantissa: bytes, exponent: exponent)
    }

    /// `value` rounded to `significant` digits (trailing zeros removed), via C's correctly rounded `%.*e`.
    static func rounded(_ value: Double, significant: Int) -> Digits {
        let text = Array(cFormat(value, precision: max(significant - 1, 0), conversion: "e").utf8)
        var bytes = text[...]
        var negative = false
        if bytes.first == UInt8(ascii: "-") {
            negative = true
            bytes = bytes.dropFirst()
        }
        var exponent = 0
        if let e = bytes.firstIndex(of: UInt8(ascii: "e")) {
            exponent = Int(String(decoding: bytes[(e + 1)...], as: UTF8.self)) ?? 0
            bytes = bytes[..<e]
        }
        return normalize(negative: negative, mantissa: Array(bytes), exponent: exponent)
    }

    /// Mantissa text `123.45` or `1.5` times 10^exponent, as digits and a decimal point.
    private static func normalize(negative: Bool, mantissa: [UInt8], exponent: Int) -> Digits {
        var bytes = mantissa
        var integerCount = bytes.count
        if let dot = bytes.firstIndex(of: UInt8(ascii: ".")) {
            integerCount = dot
            bytes.remove(at: dot)
        }
        var decimalPoint = integerCount + exponent
        var start = 0
        while start < bytes.count, bytes[start] == UInt8(ascii: "0") {
            start += 1
            decimalPoint -= 1
        }
        var end = bytes.count
        while end > start, bytes[end - 1] == UInt8(ascii: "0") { end -= 1 }
        if start == end { return Digits(negative: negative, digits: [], decimalPoint: 0) }
        return Digits(negative: negative, digits: Array(bytes[start..<end]), decimalPoint: decimalPoint)
    }

    /// `%e`: d.ddd e±dd with `fraction` digits after the point (zero-padded).
    static func exponential(_ digits: Digits, fraction: Int, upper: Bool) -> [UInt8] {
        var out: [UInt8] = []
        if digits.negative { out.append(UInt8(ascii: "-")) }
        out.append(digits.digits.first ?? UInt8(ascii: "0"))
        if fraction > 0 {
            out.append(UInt8(ascii: "."))
            for index in 1...fraction {
                out.append(index < digits.digits.count ? digits.digits[index] : UInt8(ascii: "0"))
            }
        }
        out.append(upper ? UInt8(ascii: "E") : UInt8(ascii: "e"))
        var exponent = digits.digits.isEmpty ? 0 : digits.decimalPoint - 1
        if exponent < 0 {
            out.append(UInt8(ascii: "-"))
            exponent = -exponent
        } else {
            out.append(UInt8(ascii: "+"))
        }
        if exponent < 10 { out.append(UInt8(ascii: "0")) }
        out += Array(String(exponent).utf8)
        return out
    }

    /// `%f`: the digits with `fraction` digits after the point (zero-padded, never rounded: callers pass enough).
    static func fixed(_ digits: Digits, fraction: Int) -> [UInt8] {
        var out: [UInt8] = []
        if digits.negative { out.append(UInt8(ascii: "-")) }
        if digits.decimalPoint > 0 {
            for index in 0..<digits.decimalPoint {
                out.append(index < digits.digits.count ? digits.digits[index] : UInt8(ascii: "0"))
            }
        } else {
            out.append(UInt8(ascii: "0"))
        }
        if fraction > 0 {
            out.append(UInt8(ascii: "."))
            for offset in 1...fraction {
                let index = digits.decimalPoint + offset - 1
                out.append(index >= 0 && index < digits.digits.count ? digits.digits[index] : UInt8(ascii: "0"))
            }
        }
        return out
    }

    /// `%b`: decimal mantissa, `p`, binary exponent (`4503599627370496p-52`).
    private static func binaryExponent(_ value: Double) -> String {
        let bits = value.bitPattern
        var exponent = Int((bits >> 52) & 0x7FF)
        var mantissa = bits & ((1 << 52) - 1)
        if exponent == 0 {
            exponent += 1
        } else {
            mantissa |= 1 << 52
        }
        exponent += -1023 - 52
        let sign = bits >> 63 == 1 ? "-" : ""
        return sign + String(mantissa) + "p" + (exponent >= 0 ? "+" : "") + String(exponent)
    }

    /// `%x`: hexadecimal mantissa and a binary exponent of at least two digits (`0x1.8p+01`).
    private static func hex(_ value: Double, upper: Bool, precision: Int) -> String {
        var text = precision < 0 ? cFormatHex(value, precision: nil) : cFormatHex(value, precision: precision)
        // C prints the exponent with at least one digit, Go with at least two.
        if let p = text.lastIndex(of: "p") {
            let signIndex = text.index(after: p)
            let digitsStart = text.index(after: signIndex)
            let exponentDigits = text[digitsStart...]
            if exponentDigits.count == 1 { text.insert("0", at: digitsStart) }
        }
        return upper ? text.uppercased() : text
    }

    static func cFormat(_ value: Double, precision: Int, conversion: Character) -> String {
        let format = "%.*" + String(conversion)
        var buffer = [CChar](repeating: 0, count: 350 + precision)
        let count = buffer.withUnsafeMutableBufferPointer { pointer in
            withVaList([Int32(precision), value]) { vsnprintf(pointer.baseAddress, pointer.count, format, $0) }
        }
        guard count >= 0 else { return "" }
        return String(decoding: buffer.prefix(Int(count)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func cFormatHex(_ value: Double, precision: Int?) -> String {
        var buffer = [CChar](repeating: 0, count: 64 + (precision ?? 0))
        let count = buffer.withUnsafeMutableBufferPointer { pointer in
            if let precision {
                return withVaList([Int32(precision), value]) { vsnprintf(pointer.baseAddress, pointer.count, "%.*a", $0) }
            }
            return withVaList([value]) { vsnprintf(pointer.baseAddress, pointer.count, "%a", $0) }
        }
        guard count >= 0 else { return "" }
        return String(decoding: buffer.prefix(Int(count)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
