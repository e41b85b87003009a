/// Go's `strconv.FormatFloat(f, 'g', -1, bitSize)`: the shortest digits that round-trip, in `%e` form when the
/// decimal exponent is below -4 or at least 6 (`1e+06`, `1.5e-07`), else in `%f` form (`123456`, `0.0001`).
///
/// go-yaml prints floats this way, and sigs.k8s.io/yaml names float map keys with `bitSize` 32.
enum GoFloatFormatting {
    static func formatG(_ value: Double, bitSize: Int = 64) -> String {
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

    /// Reformats Swift's shortest round-trip `description` (`1e+16`, `0.001`, `123.0`) the way Go's 'g' does.
    private static func format(shortestDescription text: String) -> String {
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
        // value = 0.d1d2d3… × 10^decimalPoint
        var decimalPoint = integerCount + exponent
        var digits = bytes[...]
        while let first = digits.first, first == UInt8(ascii: "0") {
            digits = digits.dropFirst()
            decimalPoint -= 1
        }
        while let last = digits.last, last == UInt8(ascii: "0") { digits = digits.dropLast() }
        let sign = negative ? "-" : ""
        if digits.isEmpty { return sign + "0" }
        let decimalExponent = decimalPoint - 1
        var out = sign
        if decimalExponent < -4 || decimalExponent >= 6 {
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
