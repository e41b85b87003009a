import GoTemplate

/// Type conversions (`toString`, `int`, `int64`, `float64`, `atoi`, `toDecimal`, `toStrings`) and the coercions
/// every other Sprig function applies to its arguments, with the Go libraries' rules (`spf13/cast`, `fmt`).
extension Sprig {
    static var conversionFunctions: [TemplateFunction] {
        [
            function("toString", [.any]) { .string(string($0[0])) },
            function("int", [.any]) { .int(int64($0[0])) },
            function("int64", [.any]) { .int64(int64($0[0])) },
            function("float64", [.any]) { .float(float64($0[0])) },
            function("atoi", [.string]) { args in
                .int(GoNumberParser.parseInt(text(args[0]), base: 10) ?? 0)
            },
            function("toDecimal", [.any]) { args in
                .int64(GoNumberParser.parseInt(GoFormat.sprint([args[0]]), base: 8) ?? 0)
            },
            function("toStrings", [.any]) { .list(stringList($0[0]).map(TemplateValue.string)) },
        ]
    }

    /// Sprig's `strval`: strings as they are, values with a `String()` method through it, everything else `%v`.
    static func string(_ value: TemplateValue) -> String {
        GoFormat.format(value)
    }

    /// The string inside a value the executor already checked to be a Go `string`.
    static func text(_ value: TemplateValue) -> String {
        if case .string(let string) = value { return string }
        return GoFormat.format(value)
    }

    /// The integer inside a value the executor already checked to be a Go `int`.
    static func integer(_ value: TemplateValue) -> Int {
        switch value {
        case .int(let int), .int64(let int): return int
        case .float(let double): return goInt(double)
        default: return 0
        }
    }

    /// `cast.ToInt64` (and `cast.ToInt`): numbers truncate, strings parse with Go's base prefixes (`0x1F`, `010`
    /// octal, `1_000`) after dropping a zero fraction (`"10.00"`), booleans are 0/1, anything else is 0.
    static func int64(_ value: TemplateValue) -> Int {
        switch value {
        case .int(let int), .int64(let int): return int
        case .float(let double): return goInt(double)
        case .bool(let bool): return bool ? 1 : 0
        case .string(let string): return GoNumberParser.parseInt(trimZeroDecimal(string), base: 0) ?? 0
        default: return 0
        }
    }

    /// `cast.ToFloat64`: numbers convert, strings parse with `strconv.ParseFloat`, booleans are 0/1, else 0.
    static func float64(_ value: TemplateValue) -> Double {
        switch value {
        case .int(let int), .int64(let int): return Double(int)
        case .float(let double): return double
        case .bool(let bool): return bool ? 1 : 0
        case .string(let string): return GoNumberParser.parseFloat(string) ?? 0
        default: return 0
        }
    }

    /// Go's `int64(f)` for a float64: truncation toward zero; out of range (and NaN) gives the minimum, as amd64 does.
    static func goInt(_ double: Double) -> Int {
        guard double.isFinite, double > -9.3e18, double < 9.3e18, let int = Int(exactly: double.rounded(.towardZero))
        else { return Int.min }
        return int
    }

    /// cast's `trimZeroDecimal`: `"10.00"` → `"10"`, while `"10.5"` and `"10."` stay as they are.
    static func trimZeroDecimal(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var foundZero = false
        var index = bytes.count
        while index > 0 {
            switch bytes[index - 1] {
            case UInt8(ascii: "."):
                if foundZero { return String(decoding: bytes[..<(index - 1)], as: UTF8.self) }
            case UInt8(ascii: "0"):
                foundZero = true
            default:
                return text
            }
            index -= 1
        }
        return text
    }

    /// Sprig's `strslice`: a list's non-nil elements as strings, nil as `[]`, any other value as a one-element list.
    static func stringList(_ value: TemplateValue) -> [String] {
        switch value {
        case .nilList: return []
        case .list(let elements):
            return elements.compactMap { element in
                if case .null = element { return nil }
                return string(element)
            }
        case .null: return []
        default: return [string(value)]
        }
    }
}

/// Go's `strconv.ParseInt`/`ParseFloat` syntax, which `cast` and `atoi` rely on.
enum GoNumberParser {
    /// `strconv.ParseInt(text, base, 64)`; base 0 reads `0x`, `0o`, `0b` and leading-`0` octal prefixes and allows
    /// `_` between digits. Nil on a syntax error or overflow.
    static func parseInt(_ text: String, base: Int) -> Int? {
        var bytes = Array(text.utf8)[...]
        guard !bytes.isEmpty else { return nil }
        var negative = false
        if bytes.first == UInt8(ascii: "+") || bytes.first == UInt8(ascii: "-") {
            negative = bytes.first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        guard let magnitude = parseUnsigned(bytes, base: base) else { return nil }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int.min : -Int(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int(magnitude)
    }

    private static func parseUnsigned(_ input: ArraySlice<UInt8>, base requested: Int) -> UInt64? {
        var bytes = input
        guard !bytes.isEmpty else { return nil }
        var base = requested
        var prefixed = false
        if base == 0 {
            base = 10
            if bytes.first == UInt8(ascii: "0") {
                let second = bytes.dropFirst().first.map { $0 | 0x20 }
                if bytes.count >= 3, second == UInt8(ascii: "b") {
                    base = 2; bytes = bytes.dropFirst(2); prefixed = true
                } else if bytes.count >= 3, second == UInt8(ascii: "o") {
                    base = 8; bytes = bytes.dropFirst(2); prefixed = true
                } else if bytes.count >= 3, second == UInt8(ascii: "x") {
                    base = 16; bytes = bytes.dropFirst(2); prefixed = true
                } else {
                    base = 8; bytes = bytes.dropFirst(); prefixed = true
                    if bytes.isEmpty { return 0 }
                }
            }
        }
        var value: UInt64 = 0
        var sawUnderscore = false
        for byte in bytes {
            if byte == UInt8(ascii: "_") && requested == 0 {
                sawUnderscore = true
                continue
            }
            let digit: UInt64
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): digit = UInt64(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): digit = UInt64(byte - UInt8(ascii: "A") + 10)
            default: return nil
            }
            guard digit < UInt64(base) else { return nil }
            let (product, overflow1) = value.multipliedReportingOverflow(by: UInt64(base))
            let (sum, overflow2) = product.addingReportingOverflow(digit)
            guard !overflow1, !overflow2 else { return nil }
            value = sum
        }
        if sawUnderscore && !underscoresOK(input, prefixed: prefixed) { return nil }
        return value
    }

    /// Go's `underscoreOK`: underscores only between digits (or after a base prefix).
    private static func underscoresOK(_ bytes: ArraySlice<UInt8>, prefixed: Bool) -> Bool {
        // "_" must separate digits: no leading, trailing or doubled underscores.
        var previous: UInt8 = prefixed ? UInt8(ascii: "0") : UInt8(ascii: "^")
        var index = bytes.startIndex
        if prefixed {
            index = bytes.index(index, offsetBy: bytes.count >= 2 && (bytes.dropFirst().first.map { $0 | 0x20 }).map {
                $0 == UInt8(ascii: "x") || $0 == UInt8(ascii: "o") || $0 == UInt8(ascii: "b") } == true ? 2 : 1)
            previous = UInt8(ascii: "0")
        }
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "_") {
                if previous != UInt8(ascii: "0") { return false }
                previous = UInt8(ascii: "_")
            } else {
                previous = UInt8(ascii: "0")
            }
            index = bytes.index(after: index)
        }
        return previous != UInt8(ascii: "_")
    }

    /// `strconv.ParseFloat(text, 64)`: decimal and special forms (`inf`, `NaN`); nil on a syntax error.
    static func parseFloat(_ text: String) -> Double? {
        guard !text.isEmpty, !text.contains("_") else { return nil }
        let lower = text.lowercased()
        let unsigned = lower.hasPrefix("+") || lower.hasPrefix("-") ? String(lower.dropFirst()) : lower
        if unsigned == "inf" || unsigned == "infinity" { return lower.hasPrefix("-") ? -.infinity : .infinity }
        if unsigned == "nan" { return lower == "nan" ? .nan : nil }
        guard unsigned.utf8.allSatisfy({ byte in
            (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
        }) else { return nil }
        return Double(text)
    }
}
