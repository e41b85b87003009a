import GoTemplate

/// A finite number as the decimal text Go writes for it (`mantissa × 10^exponent`, shortest digits that read back
/// as the same `float64`).
///
/// gojsonschema works on the JSON text of the values with `big.Rat`, so `0.3` is exactly three tenths and is a
/// multiple of `0.1`; binary doubles would say otherwise. Helm's values reach it as Go's shortest float text, so the
/// shortest decimal digits of the double are exactly what it sees.
struct SchemaDecimal: Equatable {
    var negative: Bool
    /// The significant digits without leading or trailing zeros (empty for zero).
    var digits: [UInt8]
    /// Where the decimal point goes: the value is `0.digits × 10^pointPosition`.
    var pointPosition: Int

    init?(_ value: Double) {
        guard value.isFinite else { return nil }
        negative = value.sign == .minus && value != 0
        var text = Substring("\(value.magnitude)")
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = text[..<e]
        }
        var mantissa: [UInt8] = []
        var point = text.count
        for (offset, character) in text.enumerated() {
            if character == "." {
                point = offset
            } else if let ascii = character.asciiValue {
                mantissa.append(ascii - 48)
            }
        }
        var position = point + exponent
        while let first = mantissa.first, first == 0 {
            mantissa.removeFirst()
            position -= 1
        }
        while let last = mantissa.last, last == 0 { mantissa.removeLast() }
        if mantissa.isEmpty { position = 0 }
        digits = mantissa
        pointPosition = position
    }

    init(_ value: Int) {
        negative = value < 0
        var magnitude = value.magnitude
        var reversed: [UInt8] = []
        while magnitude > 0 {
            reversed.append(UInt8(magnitude % 10))
            magnitude /= 10
        }
        var mantissa = Array(reversed.reversed())
        pointPosition = mantissa.count
        while let last = mantissa.last, last == 0 { mantissa.removeLast() }
        digits = mantissa
    }

    var isZero: Bool { digits.isEmpty }

    /// Whether the number is whole (Go's `big.Rat.IsInt` on its text).
    var isInteger: Bool { digits.count <= pointPosition }

    /// `self / divisor` is a whole number (gojsonschema's `multipleOf`, computed exactly).
    func isMultiple(of divisor: SchemaDecimal) -> Bool {
        if isZero { return true }
        guard !divisor.isZero, let (a, ea) = integerForm(), let (b, eb) = divisor.integerForm() else { return false }
        if ea >= eb {
            // a·10^(ea−eb) mod b, by modular arithmetic so large exponents cannot overflow.
            var remainder = a % b
            var power = ea - eb
            while power > 0 && remainder != 0 {
                remainder = Self.mulMod(remainder, 10, b)
                power -= 1
            }
            return remainder == 0
        }
        var scaled = b
        for _ in 0..<(eb - ea) {
            let (product, overflow) = scaled.multipliedReportingOverflow(by: 10)
            if overflow || product > a { return false }
            scaled = product
        }
        return a % scaled == 0
    }

    /// `digits` as an integer and a power of ten (`value = integer × 10^exponent`); nil beyond 19 digits.
    private func integerForm() -> (UInt64, Int)? {
        guard digits.count <= 19 else { return nil }
        var integer: UInt64 = 0
        for digit in digits {
            let (times10, overflow) = integer.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            integer = times10 + UInt64(digit)
        }
        return (integer, pointPosition - digits.count)
    }

    private static func mulMod(_ a: UInt64, _ b: UInt64, _ modulus: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return modulus.dividingFullWidth((high: product.high, low: product.low)).remainder
    }

    /// The number as Go's `encoding/json` writes a `float64`: plain decimals, exponent form below 1e-6 and from
    /// 1e21 (`1e+21`, `1e-7`).
    var goJSONText: String {
        if isZero { return negative ? "-0" : "0" }
        let sign = negative ? "-" : ""
        let text = digits.map { String($0) }.joined()
        let exponent = pointPosition - 1
        if exponent < -7 || exponent >= 21 || (exponent == -7) {
            var mantissa = String(text.prefix(1))
            if digits.count > 1 { mantissa += "." + text.dropFirst() }
            let magnitude = abs(exponent)
            let exponentText = exponent < 0 ? "-" + String(magnitude) : "+" + (magnitude < 10 ? "0" : "") + String(magnitude)
            return sign + mantissa + "e" + exponentText
        }
        if pointPosition <= 0 { return sign + "0." + String(repeating: "0", count: -pointPosition) + text }
        if pointPosition >= digits.count {
            return sign + text + String(repeating: "0", count: pointPosition - digits.count)
        }
        return sign + String(text.prefix(pointPosition)) + "." + String(text.dropFirst(pointPosition))
    }
}
