/// go-yaml v2's timestamp recognition: Go's `time.Parse` with the layouts `2006-1-2T15:4:5.999999999Z07:00`
/// (also with a lowercase `t`), `2006-1-2 15:4:5.999999999` and `2006-1-2`, including its range checks.
///
/// A timestamp decodes to its own text (go-yaml keeps it a string for `interface{}` targets), but a string that
/// looks like one must be quoted when emitted, so the check matters for encoding.
enum YAMLTimestamp {
    static func matches(_ bytes: [UInt8]) -> Bool {
        var reader = Reader(bytes: bytes)
        // Quick check as go-yaml: exactly four digits, then '-'.
        guard let year = reader.number(minDigits: 4, maxDigits: 4), reader.consume(UInt8(ascii: "-")) else { return false }
        guard let month = reader.number(minDigits: 1, maxDigits: 2), (1...12).contains(month),
            reader.consume(UInt8(ascii: "-")),
            let day = reader.number(minDigits: 1, maxDigits: 2), day >= 1, day <= daysIn(month: month, year: year)
        else { return false }
        if reader.atEnd { return true }
        guard let separator = reader.next() else { return false }
        let zoned: Bool
        switch separator {
        case UInt8(ascii: "T"), UInt8(ascii: "t"): zoned = true
        case UInt8(ascii: " "): zoned = false
        default: return false
        }
        guard let hour = reader.number(minDigits: 1, maxDigits: 2), hour < 24, reader.consume(UInt8(ascii: ":")),
            let minute = reader.number(minDigits: 1, maxDigits: 2), minute < 60, reader.consume(UInt8(ascii: ":")),
            let second = reader.number(minDigits: 1, maxDigits: 2), second < 60
        else { return false }
        if let mark = reader.peek(), mark == UInt8(ascii: ".") || mark == UInt8(ascii: ","), reader.peek(1).map(isDigit) == true {
            _ = reader.next()
            while let digit = reader.peek(), isDigit(digit) { _ = reader.next() }
        }
        if !zoned { return reader.atEnd }
        if reader.consume(UInt8(ascii: "Z")) { return reader.atEnd }
        guard let sign = reader.next(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"),
            let zoneHours = reader.number(minDigits: 2, maxDigits: 2), zoneHours <= 24,
            reader.consume(UInt8(ascii: ":")),
            let zoneMinutes = reader.number(minDigits: 2, maxDigits: 2), zoneMinutes < 60
        else { return false }
        return reader.atEnd
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
