import FoundationEssentials

/// A Kubernetes `metav1.Time`: an instant serialized as RFC 3339 in UTC with whole seconds
/// (`2024-01-02T03:04:05Z`).
///
/// Parsing accepts what Go's `time.RFC3339` accepts — fractional seconds and any UTC offset — so timestamps
/// from other writers read fine; encoding drops the fraction exactly as `metav1.Time` does. The fraction is kept
/// in memory for ordering and for `rfc3339Nano`, the format `flux reconcile` uses for request tokens.
public struct KubeTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Whole seconds since 1970-01-01T00:00:00Z.
    public var secondsSinceEpoch: Int64
    /// Nanoseconds within the second, `0..<1_000_000_000`.
    public var nanoseconds: Int32

    public init(secondsSinceEpoch: Int64, nanoseconds: Int32 = 0) {
        let extra = Int64(nanoseconds) / 1_000_000_000
        var nanos = nanoseconds % 1_000_000_000
        var seconds = secondsSinceEpoch + extra
        if nanos < 0 {
            nanos += 1_000_000_000
            seconds -= 1
        }
        self.secondsSinceEpoch = seconds
        self.nanoseconds = nanos
    }

    public init(_ date: Date) {
        let interval = date.timeIntervalSince1970
        let seconds = interval.rounded(.down)
        self.init(secondsSinceEpoch: Int64(seconds), nanoseconds: Int32(((interval - seconds) * 1e9).rounded()))
    }

    /// The current time.
    public static func now() -> KubeTime { KubeTime(Date()) }

    public var date: Date { Date(timeIntervalSince1970: Double(secondsSinceEpoch) + Double(nanoseconds) / 1e9) }

    /// This time truncated to whole seconds: what survives a round trip through the API server.
    public var truncatedToSeconds: KubeTime { KubeTime(secondsSinceEpoch: secondsSinceEpoch) }

    public static func < (lhs: KubeTime, rhs: KubeTime) -> Bool {
        (lhs.secondsSinceEpoch, lhs.nanoseconds) < (rhs.secondsSinceEpoch, rhs.nanoseconds)
    }

    /// The time `duration` later (earlier when negative).
    public func adding(_ duration: FluxDuration) -> KubeTime {
        let seconds = duration.nanoseconds / 1_000_000_000
        let nanos = duration.nanoseconds % 1_000_000_000
        return KubeTime(secondsSinceEpoch: secondsSinceEpoch + seconds, nanoseconds: nanoseconds + Int32(nanos))
    }

    /// The elapsed time from `other` to this time.
    public func since(_ other: KubeTime) -> FluxDuration {
        let seconds = secondsSinceEpoch - other.secondsSinceEpoch
        let nanos = Int64(nanoseconds) - Int64(other.nanoseconds)
        return .seconds(seconds) + .nanoseconds(nanos)
    }

    /// `2024-01-02T03:04:05Z`: the `metav1.Time` wire format.
    public var description: String { format(fraction: nil) }

    /// `2024-01-02T03:04:05.123456789Z` with trailing zeros trimmed (Go's `time.RFC3339Nano` in UTC).
    public var rfc3339Nano: String {
        guard nanoseconds != 0 else { return format(fraction: nil) }
        var digits = String(nanoseconds)
        digits = String(repeating: "0", count: 9 - digits.count) + digits
        while digits.last == "0" { digits.removeLast() }
        return format(fraction: digits)
    }

    private func format(fraction: String?) -> String {
        let days = secondsSinceEpoch >= 0 ? secondsSinceEpoch / 86_400 : (secondsSinceEpoch - 86_399) / 86_400
        let secondOfDay = secondsSinceEpoch - days * 86_400
        let (year, month, day) = Self.civil(fromDays: days)
        func pad(_ n: Int64, _ width: Int) -> String {
            let s = String(n)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        var text = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T"
        text += "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
        if let fraction { text += "." + fraction }
        return text + "Z"
    }
}

// MARK: - Parsing

extension KubeTime {
    /// A text that is not an RFC 3339 timestamp.
    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        public var text: String
        public var description: String { "invalid RFC 3339 time \(quoted(text))" }
    }

    /// Parses `2024-01-02T03:04:05Z`, `2024-01-02T03:04:05.5Z` or `2024-01-02T05:04:05+02:00`.
    public init(parsing text: String) throws(ParseError) {
        let b = Array(text.utf8)
        let error = ParseError(text: text)
        func number(_ range: Range<Int>) throws(ParseError) -> Int64 {
            guard range.upperBound <= b.count else { throw error }
            var n: Int64 = 0
            for i in range {
                guard b[i] >= 48, b[i] <= 57 else { throw error }
                n = n * 10 + Int64(b[i] - 48)
            }
            return n
        }
        func expect(_ i: Int, _ chars: String) throws(ParseError) {
            guard i < b.count, chars.utf8.contains(b[i]) else { throw error }
        }
        let year = try number(0..<4)
        try expect(4, "-")
        let month = try number(5..<7)
        try expect(7, "-")
        let day = try number(8..<10)
        try expect(10, "Tt")
        let hour = try number(11..<13)
        try expect(13, ":")
        let minute = try number(14..<16)
        try expect(16, ":")
        let second = try number(17..<19)
        var i = 19
        var nanos: Int64 = 0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            var scale: Int64 = 100_000_000
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                nanos += Int64(b[i] - 48) * scale
                scale /= 10
                i += 1
            }
            if i == start { throw error }
        }
        guard i < b.count else { throw error }
        var offset: Int64 = 0
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            i += 1
        } else {
            try expect(i, "+-")
            let sign: Int64 = b[i] == UInt8(ascii: "-") ? -1 : 1
            let offsetHours = try number(i + 1..<i + 3)
            try expect(i + 3, ":")
            let offsetMinutes = try number(i + 4..<i + 6)
            guard offsetHours < 24, offsetMinutes < 60 else { throw error }
            offset = sign * (offsetHours * 3600 + offsetMinutes * 60)
            i += 6
        }
        guard i == b.count, (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 60
        else { throw error }
        let days = Self.days(fromCivil: year, month, day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        self.init(secondsSinceEpoch: seconds, nanoseconds: Int32(nanos))
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
    private static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date of a day count since 1970-01-01 (`civil_from_days`).
    private static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

// MARK: - Codable

extension KubeTime: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
