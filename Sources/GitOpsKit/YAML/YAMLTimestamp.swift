/// go-yaml's timestamp recognition: Go's `time.Parse` with the layouts `2006-1-2T15:4:5.999999999Z07:00`
/// (also with a lowercase `t`), `2006-1-2 15:4:5.999999999` and `2006-1-2`, including its range checks.
///
/// go-yaml v2 keeps a timestamp the text it was written as (for `interface{}` targets), but a string that looks
/// like one must be quoted when emitted, so the check matters for encoding. go-yaml v3 (kyaml) makes it a Go
/// `time.Time`, which kustomize prints as RFC 3339 — ``rfc3339Nano`` reproduces that text.
struct YAMLTimestamp: Hashable, Sendable {
    var year: Int
    var month: Int
    var day: Int
    var hour = 0
    var minute = 0
    var second = 0
    var nanosecond = 0
    /// Seconds east of UTC; 0 for `Z` and for the layouts without a zone.
    var offsetSeconds = 0
    /// Whether the text had a time of day (the date-only layout has none).
    var hasTime = false

    static func matches(_ bytes: [UInt8]) -> Bool {
        parse(bytes) != nil
    }

    /// The timestamp `text` spells, or nil when none of go-yaml's layouts accept it.
    static func parse(_ text: String) -> YAMLTimestamp? {
        parse(Array(text.utf8))
    }

    static func parse(_ bytes: [UInt8]) -> YAMLTimestamp? {
        var reader = Reader(bytes: bytes)
        // Quick check as go-yaml: exactly four digits, then '-'.
        guard let year = reader.number(minDigits: 4, maxDigits: 4), reader.consume(UInt8(ascii: "-")) else { return nil }
        guard let month = reader.number(minDigits: 1, maxDigits: 2), (1...12).contains(month),
            reader.consume(UInt8(ascii: "-")),
            let day = reader.number(minDigits: 1, maxDigits: 2), day >= 1, day <= daysIn(month: month, year: year)
        else { return nil }
        var stamp = YAMLTimestamp(year: year, month: month, day: day)
        if reader.atEnd { return stamp }
        guard let separator = reader.next() else { return nil }
        let zoned: Bool
        switch separator {
        case UInt8(ascii: "T"), UInt8(ascii: "t"): zoned = true
        case UInt8(ascii: " "):
            zoned = false
            // A space in a Go layout matches any run of spaces.
            while reader.peek() == UInt8(ascii: " ") { _ = reader.next() }
        default: return nil
        }
        guard let hour = reader.number(minDigits: 1, maxDigits: 2), hour < 24, reader.consume(UInt8(ascii: ":")),
            let minute = reader.number(minDigits: 1, maxDigits: 2), minute < 60, reader.consume(UInt8(ascii: ":")),
            let second = reader.number(minDigits: 1, maxDigits: 2), second < 60
        else { return nil }
        (stamp.hour, stamp.minute, stamp.second, stamp.hasTime) = (hour, minute, second, true)
        if let mark = reader.peek(), mark == UInt8(ascii: ".") || mark == UInt8(ascii: ","), reader.peek(1).map(isDigit) == true {
            _ = reader.next()
            // Go keeps the first nine digits and ignores the rest.
            var digits = 0
            while let digit = reader.peek(), isDigit(digit) {
                if digits < 9 { stamp.nanosecond = stamp.nanosecond * 10 + Int(digit - UInt8(ascii: "0")) }
                digits += 1
                _ = reader.next()
            }
            for _ in min(digits, 9)..<9 { stamp.nanosecond *= 10 }
        }
        if !zoned { return reader.atEnd ? stamp : nil }
        if reader.consume(UInt8(ascii: "Z")) { return reader.atEnd ? stamp : nil }
        // Go's range checks are `> 24` and `> 60`: some people write offsets of 24 hours or 60 minutes.
        guard let sign = reader.next(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"),
            let zoneHours = reader.number(minDigits: 2, maxDigits: 2), zoneHours <= 24,
            reader.consume(UInt8(ascii: ":")),
            let zoneMinutes = reader.number(minDigits: 2, maxDigits: 2), zoneMinutes <= 60, reader.atEnd
        else { return nil }
        stamp.offsetSeconds = (zoneHours * 3600 + zoneMinutes * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
        return stamp
    }

    /// Go's `time.RFC3339Nano` text of this time in its own zone: `2001-12-14T21:59:43.1-05:00`, trailing zeros of
    /// the fraction dropped, `Z` for a zero offset. `nil` where Go's `Time.MarshalJSON` fails: an offset of 24
    /// hours or more.
    var rfc3339Nano: String? {
        let offsetMinutes = abs(offsetSeconds) / 60
        guard offsetMinutes < 24 * 60 else { return nil }
        var text = "\(Self.pad(year, 4))-\(Self.pad(month))-\(Self.pad(day))T\(Self.pad(hour)):\(Self.pad(minute)):\(Self.pad(second))"
        if nanosecond > 0 {
            var fraction = Self.pad(nanosecond, 9)
            while fraction.last == "0" { fraction.removeLast() }
            text += "." + fraction
        }
        if offsetSeconds == 0 { return text + "Z" }
        return text + (offsetSeconds < 0 ? "-" : "+") + "\(Self.pad(offsetMinutes / 60)):\(Self.pad(offsetMinutes % 60))"
    }

    private static func pad(_ value: Int, _ width: Int = 2) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        var atEnd: Bool { index == bytes.count }

        func peek(_ offset: Int = 0) -> UInt8? {
            index + offset < bytes.count ? bytes[index + offset] : nil
        }

        mutating func next() -> UInt8? {
            guard index < bytes.count else { return nil }
            defer { index += 1 }
            return bytes[index]
        }

        mutating func consume(_ byte: UInt8) -> Bool {
            guard peek() == byte else { return false }
            index += 1
            return true
        }

        /// Go's `getnum`-style field: up to `maxDigits` digits, at least `minDigits`.
        mutating func number(minDigits: Int, maxDigits: Int) -> Int? {
            var value = 0
            var count = 0
            while count < maxDigits, let byte = peek(), YAMLTimestamp.isDigit(byte) {
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                count += 1
                index += 1
            }
            return count >= minDigits ? value : nil
        }
    }
}
