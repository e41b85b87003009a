/// Go's `strconv.FormatFloat(f, 'g', -1, bitSize)`: the shortest digits that round-trip, in `%e` form when the
/// decimal exponent is below -4 or at least 6 (`1e+06`, `1.5e-07`), else in `%f` form (`123456`, `0.0001`).
///
/// go-yaml prints floats this way, and sigs.k8s.io/yaml names float map keys with `bitSize` 32; `formatJSON` is
/// Go's `encoding/json` variant.
public enum GoFloatFormatting {
    public static func formatG(_ value: Double, bitSize: Int = 64) -> String {
        let description: String
        if bitSize == 32 {
            let narrowed = Float(value)
            if narrowed.isNaN { return "NaN" }
            if narrowed.isInfinite { return narrowed < 0 ? "-Inf" : "+Inf" }
            description = narrowed.description
        } else {
            if value.isNaN { return "NaN" }
            if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
            description = value.description
        }
        return format(shortestDescription: description)
    }

    /// The integer Go's `encoding/json` text of `value` reads back as, when it has no fraction and fits `Int64`.
    ///
    /// Go writes floats below 1e21 with `'f'` and the shortest round-trip digits padded with zeros, so
    /// `2^60` (1152921504606846976) is written, and read back by Kubernetes, as 1152921504606847000.
    public static func jsonInteger(_ value: Double) -> Int64? {
        guard let text = jsonIntegerText(value) else { return nil }
        return Int64(text)
    }

    /// Go's `encoding/json` text of an integral `value` below 1e21 (`9223372036854776000` for 2^63): what go-yaml
    /// reads back as an `int64` or `uint64` when the text fits one.
    public static func jsonIntegerText(_ value: Double) -> String? {
        guard value.isFinite, value == value.rounded(.towardZero) else { return nil }
        if abs(value) < 9_007_199_254_740_992, let exact = Int64(exactly: value) { return String(exact) }
        guard abs(value) < 1e21 else { return nil }
        let (negative, digits, decimalPoint) = shortestDigits(value.description)
        guard decimalPoint >= digits.count else { return nil }
        return (negative ? "-" : "") + String(decoding: digits, as: UTF8.self)
            + String(repeating: "0", count: decimalPoint - digits.count)
    }

    /// Splits Swift's shortest round-trip `description` into sign, significant digits and decimal point
    /// position (value = 0.d1d2… × 10^decimalPoint).
    private static func shortestDigits(_ text: String) -> (negative: Bool, digits: ArraySlice<UInt8>, decimalPoint: Int) {
        var bytes = Array(text.utf8)
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
        var integerCount = bytes.count
        if let dot = bytes.firstIndex(of: UInt8(ascii: ".")) {
            integerCount = dot
            bytes.remove(at: dot)
        }
        var decimalPoint = integerCount + exponent
        var digits = bytes[...]
        while let first = digits.first, first == UInt8(ascii: "0") {
            digits = digits.dropFirst()
            decimalPoint -= 1
        }
        while let last = digits.last, last == UInt8(ascii: "0") { digits = digits.dropLast() }
        return (negative, digits, decimalPoint)
    }

    /// Go's `encoding/json` number text of a finite float: `'f'` form for 1e-6 ≤ |v| < 1e21, else `'e'` form with
    /// a one-digit negative exponent unpadded (`1e-7`, `1e+21`).
    public static func formatJSON(_ value: Double) -> String {
        let magnitude = abs(value)
        let exponential = magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21)
        var text = format(shortestDescription: value.description, exponential: exponential)
        if exponential, text.hasSuffix("e-0" + String(text.suffix(1))) {
            text.remove(at: text.index(text.endIndex, offsetBy: -2))
        }
        return text
    }

    /// Reformats Swift's shortest round-trip `description` (`1e+16`, `0.001`, `123.0`) the way Go's 'g' does, or
    /// forced into `'e'` (true) or `'f'` (false) form.
    private static func format(shortestDescription text: String, exponential: Bool? = nil) -> String {
        let (negative, digits, decimalPoint) = shortestDigits(text)
        let sign = negative ? "-" : ""
        if digits.isEmpty { return sign + "0" }
        let decimalExponent = decimalPoint - 1
        var out = sign
        if exponential ?? (decimalExponent < -4 || decimalExponent >= 6) {
            out += String(decoding: digits.prefix(1), as: UTF8.self)
            if digits.count > 1 { out += "." + String(decoding: digits.dropFirst(), as: UTF8.self) }
            out += decimalExponent < 0 ? "e-" : "e+"
            let magnitude = abs(decimalExponent)
            out += magnitude < 10 ? "0\(magnitude)" : "\(magnitude)"
            return out
        }
        if decimalPoint > 0 {
            out += String(decoding: digits.prefix(decimalPoint), as: UTF8.self)
            if decimalPoint > digits.count { out += String(repeating: "0", count: decimalPoint - digits.count) }
        } else {
            out += "0"
        }
        if digits.count > decimalPoint {
            out += "."
            if decimalPoint < 0 { out += String(repeating: "0", count: -decimalPoint) }
            out += String(decoding: digits.dropFirst(max(decimalPoint, 0)), as: UTF8.self)
        }
        return out
    }
}
