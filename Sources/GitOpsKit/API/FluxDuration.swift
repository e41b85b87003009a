/// A Go `time.Duration`: what Flux's `interval`, `timeout` and `retryInterval` fields hold.
///
/// Parses everything Go's `time.ParseDuration` accepts (`1h2m3.5s`, `500ms`, `-1.5h`, `0`) and formats exactly
/// like Go's `Duration.String()` (`90m` → `1h30m0s`, `0.5s` → `500ms`), so durations Flux controllers write in
/// status read back identically. CRD fields are stricter than Go: use `matchesCRDPattern(_:allowHours:)`.
///
/// Usage:
/// ```swift
/// let interval = try FluxDuration(parsing: "10m")
/// let timeout = max(interval - .seconds(30), .seconds(30))   // "9m30s"
/// ```
public struct FluxDuration: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The length in nanoseconds, as Go stores it.
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    public static let zero = FluxDuration(nanoseconds: 0)
    public static func nanoseconds(_ n: Int64) -> FluxDuration { FluxDuration(nanoseconds: n) }
    public static func milliseconds(_ n: Int64) -> FluxDuration { FluxDuration(nanoseconds: n.multipliedClamped(by: 1_000_000)) }
    public static func seconds(_ n: Int64) -> FluxDuration { FluxDuration(nanoseconds: n.multipliedClamped(by: 1_000_000_000)) }
    public static func minutes(_ n: Int64) -> FluxDuration { FluxDuration(nanoseconds: n.multipliedClamped(by: 60_000_000_000)) }
    public static func hours(_ n: Int64) -> FluxDuration { FluxDuration(nanoseconds: n.multipliedClamped(by: 3_600_000_000_000)) }

    /// The same length as a Swift `Duration` (for `Task.sleep(for:)`, clocks).
    public var duration: Duration { .nanoseconds(nanoseconds) }

    /// The length in (fractional) seconds.
    public var seconds: Double { Double(nanoseconds) / 1e9 }

    public static func < (lhs: FluxDuration, rhs: FluxDuration) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    /// Sum, saturating at the bounds of `Int64` nanoseconds (about 292 years) instead of trapping.
    public static func + (lhs: FluxDuration, rhs: FluxDuration) -> FluxDuration {
        let (sum, overflow) = lhs.nanoseconds.addingReportingOverflow(rhs.nanoseconds)
        if overflow { return FluxDuration(nanoseconds: rhs.nanoseconds > 0 ? .max : .min) }
        return FluxDuration(nanoseconds: sum)
    }

    /// Difference, saturating like `+`.
    public static func - (lhs: FluxDuration, rhs: FluxDuration) -> FluxDuration {
        let (difference, overflow) = lhs.nanoseconds.subtractingReportingOverflow(rhs.nanoseconds)
        if overflow { return FluxDuration(nanoseconds: rhs.nanoseconds < 0 ? .max : .min) }
        return FluxDuration(nanoseconds: difference)
    }
}

extension Int64 {
    fileprivate func multipliedClamped(by factor: Int64) -> Int64 {
        let (product, overflow) = multipliedReportingOverflow(by: factor)
        if overflow { return (self < 0) != (factor < 0) ? .min : .max }
        return product
    }
}

// MARK: - Parsing

extension FluxDuration {
    /// A text that is not a Go duration.
    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        public var text: String
        public var reason: String
        public var description: String { "invalid duration \(quoted(text)): \(reason)" }
    }

    private static let units: [String: UInt64] = [
        "ns": 1, "us": 1_000, "µs": 1_000, "μs": 1_000, "ms": 1_000_000,
        "s": 1_000_000_000, "m": 60_000_000_000, "h": 3_600_000_000_000,
    ]

    /// Parses a Go duration string (`time.ParseDuration` grammar: `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+`).
    public init(parsing text: String) throws(ParseError) {
        func fail(_ reason: String) -> ParseError { ParseError(text: text, reason: reason) }
        var scalars = Substring(text).unicodeScalars[...]
        var negative = false
        if let sign = scalars.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            scalars = scalars.dropFirst()
        }
        if String(String.UnicodeScalarView(scalars)) == "0" {
            self.init(nanoseconds: 0)
            return
        }
        if scalars.isEmpty { throw fail(text.isEmpty ? "empty string" : "missing number") }
        let limit = UInt64(1) << 63
        var total: UInt64 = 0
        while !scalars.isEmpty {
            guard let first = scalars.first, first == "." || first.isASCIIDigit else {
                throw fail("expected a number before the unit")
            }
            // Whole part.
            var whole: UInt64 = 0
            var sawWhole = false
            while let c = scalars.first, c.isASCIIDigit {
                sawWhole = true
                let (times10, o1) = whole.multipliedReportingOverflow(by: 10)
                let (next, o2) = times10.addingReportingOverflow(UInt64(c.value - 48))
                if o1 || o2 || next > limit { throw fail("out of range") }
                whole = next
                scalars = scalars.dropFirst()
            }
            // Fraction: digits beyond what fits are ignored, as in Go.
            var fraction: UInt64 = 0
            var scale: Double = 1
            var sawFraction = false
            if scalars.first == "." {
                scalars = scalars.dropFirst()
                var overflowed = false
                while let c = scalars.first, c.isASCIIDigit {
                    sawFraction = true
                    scalars = scalars.dropFirst()
                    if overflowed { continue }
                    let (times10, o1) = fraction.multipliedReportingOverflow(by: 10)
                    let (next, o2) = times10.addingReportingOverflow(UInt64(c.value - 48))
                    if o1 || o2 || next > limit {
                        overflowed = true
                        continue
                    }
                    fraction = next
                    scale *= 10
                }
            }
            if !sawWhole && !sawFraction { throw fail("expected a number before the unit") }
            // Unit.
            var unitText = ""
            while let c = scalars.first, c != ".", !c.isASCIIDigit {
                unitText.unicodeScalars.append(c)
                scalars = scalars.dropFirst()
            }
            if unitText.isEmpty { throw fail("missing unit") }
            guard let unit = Self.units[unitText] else { throw fail("unknown unit \(quoted(unitText))") }
            if whole > limit / unit { throw fail("out of range") }
            var value = whole * unit
            if fraction > 0 {
                value += UInt64(Double(fraction) * (Double(unit) / scale))
                if value > limit { throw fail("out of range") }
            }
            total += value
            if total > limit { throw fail("out of range") }
        }
        if negative {
            self.init(nanoseconds: total == limit ? .min : -Int64(total))
        } else {
            if total > UInt64(Int64.max) { throw fail("out of range") }
            self.init(nanoseconds: Int64(total))
        }
    }

    /// Whether `text` matches the CRD pattern of Flux duration fields, `^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$`
    /// (no sign, no `ns`/`us`, a digit before any `.`), or with `allowHours: false` the `ms|s|m` variant some
    /// `timeout` fields use.
    public static func matchesCRDPattern(_ text: String, allowHours: Bool = true) -> Bool {
        let bytes = Array(text.utf8)
        var i = 0
        if bytes.isEmpty { return false }
        func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
        while i < bytes.count {
            let start = i
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
            if i == start { return false }
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
                i += 1
                let fractionStart = i
                while i < bytes.count, isDigit(bytes[i]) { i += 1 }
                if i == fractionStart { return false }
            }
            guard i < bytes.count else { return false }
            switch bytes[i] {
            case UInt8(ascii: "m"):
                i += 1
                if i < bytes.count, bytes[i] == UInt8(ascii: "s") { i += 1 }
            case UInt8(ascii: "s"):
                i += 1
            case UInt8(ascii: "h") where allowHours:
                i += 1
            default:
                return false
            }
        }
        return true
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIIDigit: Bool { value >= 48 && value <= 57 }
}

// MARK: - Formatting

extension FluxDuration {
    /// Go's `time.Duration.String()`: `1h2m3.5s`, `1m0s`, `500ms`, `1.5µs`, `0s`.
    public var description: String {
        let negative = nanoseconds < 0
        var u = nanoseconds.magnitude
        var text: String
        if u < 1_000_000_000 {
            let precision: Int
            let unit: String
            switch u {
            case 0: return "0s"
            case ..<1_000: precision = 0; unit = "ns"
            case ..<1_000_000: precision = 3; unit = "µs"
            default: precision = 6; unit = "ms"
            }
            let (integer, fraction) = Self.splitFraction(u, precision: precision)
            text = "\(integer)\(fraction)\(unit)"
        } else {
            let (integer, fraction) = Self.splitFraction(u, precision: 9)
            u = integer
            text = "\(u % 60)\(fraction)s"
            u /= 60
            if u > 0 {
                text = "\(u % 60)m" + text
                u /= 60
                if u > 0 { text = "\(u)h" + text }
            }
        }
        return negative ? "-" + text : text
    }

    /// Splits `value` into `value / 10^precision` and the fraction text (`.5`, or empty), trailing zeros removed.
    private static func splitFraction(_ value: UInt64, precision: Int) -> (UInt64, String) {
        var v = value
        var digits: [Character] = []
        var printing = false
        for _ in 0..<precision {
            let digit = v % 10
            printing = printing || digit != 0
            if printing { digits.append(Character(Unicode.Scalar(UInt8(48 + digit)))) }
            v /= 10
        }
        if digits.isEmpty { return (v, "") }
        return (v, "." + String(digits.reversed()))
    }
}

// MARK: - Codable

extension FluxDuration: Codable {
    /// Decodes from a Go duration string; a malformed one is a decoding error naming the field.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    /// Encodes as Go formats it (`1m0s`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension FluxDuration {
    /// Parses the duration field at `path`, naming it in the error: `spec.interval: invalid duration "5x" …`.
    public static func field(_ text: String, at path: String) throws(FluxFieldError) -> FluxDuration {
        do {
            return try FluxDuration(parsing: text)
        } catch {
            throw FluxFieldError(path: path, message: "invalid duration \(quoted(text)): \(error.reason)")
        }
    }
}
