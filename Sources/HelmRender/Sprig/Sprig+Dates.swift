#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import GoTemplate

/// Dates: `now`, `date`/`dateInZone`/`htmlDate` (Go reference layouts), `toDate`, `dateModify`, `duration`,
/// `durationRound`, `ago`, `unixEpoch`. Zones: `UTC`, `Local` (UTC here) and names the system does not know fall
/// back to UTC, as Go does for unknown names.
extension Sprig {
    static var dateFunctions: [TemplateFunction] {
        let dateInZone = function("dateInZone", [.string, .any, .string]) { args in
            .string(zoned(time(args[1]), text(args[2])).format(text(args[0])))
        }
        let dateModify = function("dateModify", [.string, .any]) { args in
            let date = try timeArgument(args[1])
            guard let delta = GoDuration.parse(text(args[0])) else { return .object(date) }
            return .object(date.adding(nanoseconds: delta))
        }
        let mustDateModify = function("mustDateModify", [.string, .any]) { args in
            let date = try timeArgument(args[1])
            guard let delta = GoDuration.parse(text(args[0])) else {
                throw SprigError("time: invalid duration " + GoFormat.sprintf("%q", [args[0]]))
            }
            return .object(date.adding(nanoseconds: delta))
        }
        let mustToDate = function("mustToDate", [.string, .string]) { args in
            .object(try GoTimeParser.parse(layout: text(args[0]), value: text(args[1])))
        }
        return [
            function("now", []) { _ in .object(GoTime.now()) },
            function("date", [.string, .any]) { args in .string(zoned(time(args[1]), "Local").format(text(args[0]))) },
            function("htmlDate", [.any]) { args in .string(zoned(time(args[0]), "Local").format("2006-01-02")) },
            function("htmlDateInZone", [.any, .string]) { args in
                .string(zoned(time(args[0]), text(args[1])).format("2006-01-02"))
            },
            dateInZone, alias("date_in_zone", of: dateInZone),
            dateModify, alias("date_modify", of: dateModify),
            mustDateModify, alias("must_date_modify", of: mustDateModify),
            mustToDate,
            function("toDate", [.string, .string]) { args in
                .object((try? GoTimeParser.parse(layout: text(args[0]), value: text(args[1]))) ?? GoTime(seconds: -62135596800))
            },
            function("unixEpoch", [.any]) { args in .string(String(try timeArgument(args[0]).seconds)) },
            function("duration", [.any]) { args in
                let seconds: Int
                switch args[0] {
                // Sprig takes a string or an int64; anything else (an int literal too) is 0.
                case .string(let string): seconds = GoNumberParser.parseInt(string, base: 10) ?? 0
                case .int64(let int): seconds = int
                default: seconds = 0
                }
                return .string(GoDuration.format(Int64(seconds).multipliedReportingOverflow(by: 1_000_000_000).partialValue))
            },
            function("durationRound", [.any]) { args in
                let nanoseconds: Int64
                switch args[0] {
                case .string(let string): nanoseconds = GoDuration.parse(string) ?? 0
                case .int64(let int): nanoseconds = Int64(int)
                case .object(let object as GoTime): nanoseconds = GoTime.now().nanoseconds(since: object)
                default: nanoseconds = 0
                }
                return .string(GoDuration.round(nanoseconds))
            },
            function("ago", [.any]) { args in
                let elapsed = GoTime.now().nanoseconds(since: time(args[0]))
                let rounded = (elapsed + (elapsed >= 0 ? 500_000_000 : -500_000_000)) / 1_000_000_000 * 1_000_000_000
                return .string(GoDuration.format(rounded))
            },
        ]
    }

    /// Sprig's date argument: a time, or Unix seconds as an integer; anything else (floats from YAML, strings)
    /// means now.
    static func time(_ value: TemplateValue) -> GoTime {
        switch value {
        case .object(let object as GoTime): return object
        case .int(let seconds), .int64(let seconds): return GoTime(seconds: Int64(seconds))
        default: return GoTime.now()
        }
    }

    /// A `time.Time` parameter.
    static func timeArgument(_ value: TemplateValue) throws(SprigError) -> GoTime {
        guard case .object(let object as GoTime) = value else {
            throw SprigError("wrong type for value; expected time.Time; got \(value.isNil ? "interface {}" : value.goTypeName)")
        }
        return object
    }

    /// The time in zone `name`: `UTC` and `Local` are UTC; unknown names fall back to UTC.
    static func zoned(_ time: GoTime, _ name: String) -> GoTime {
        var result = time
        result.offset = 0
        result.zoneName = "UTC"
        return result
    }
}

extension GoTime {
    static func now() -> GoTime {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return GoTime(seconds: Int64(spec.tv_sec), nanoseconds: Int64(spec.tv_nsec))
    }

    func adding(nanoseconds delta: Int64) -> GoTime {
        var total = nanoseconds + delta % 1_000_000_000
        var result = self
        result.seconds = seconds + delta / 1_000_000_000
        if total < 0 {
            total += 1_000_000_000
            result.seconds -= 1
        } else if total >= 1_000_000_000 {
            total -= 1_000_000_000
            result.seconds += 1
        }
        result.nanoseconds = total
        return result
    }

    func nanoseconds(since other: GoTime) -> Int64 {
        (seconds - other.seconds) &* 1_000_000_000 &+ (nanoseconds - other.nanoseconds)
    }
}

/// Go's `time.Duration` text (`1h2m3.5s`, `300ms`) both ways, and Sprig's `durationRound`.
enum GoDuration {
    private static let units: [(String, Double)] = [
        ("ns", 1), ("us", 1e3), ("µs", 1e3), ("μs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9),
    ]

    /// `time.ParseDuration`; nil on a syntax error.
    static func parse(_ text: String) -> Int64? {
        var rest = Substring(text)
        var negative = false
        if rest.first == "-" || rest.first == "+" {
            negative = rest.first == "-"
            rest = rest.dropFirst()
        }
        if rest == "0" { return 0 }
        if rest.isEmpty { return nil }
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, number != ".", let value = Double(number.hasPrefix(".") ? "0" + number : String(number))
            else { return nil }
            rest = rest.dropFirst(number.count)
            let unitText = rest.prefix { !$0.isNumber && $0 != "." }
            guard let unit = units.first(where: { $0.0 == unitText }) else { return nil }
            rest = rest.dropFirst(unitText.count)
            total += value * unit.1
        }
        guard total < 9.3e18 else { return nil }
        return Int64(negative ? -total : total)
    }

    /// `Duration.String()`.
    static func format(_ duration: Int64) -> String {
        if duration == 0 { return "0s" }
        let negative = duration < 0
        let magnitude = duration.magnitude
        var text: String
        if magnitude < 1_000_000_000 {
            let (unit, scale): (String, UInt64) = magnitude < 1000 ? ("ns", 1) : magnitude < 1_000_000 ? ("µs", 1000) : ("ms", 1_000_000)
            text = fraction(magnitude, scale) + unit
        } else {
            let hours = magnitude / 3_600_000_000_000
            let minutes = magnitude / 60_000_000_000 % 60
            let seconds = magnitude % 60_000_000_000
            text = fraction(seconds, 1_000_000_000) + "s"
            if hours > 0 || minutes > 0 { text = "\(minutes)m" + text }
            if hours > 0 { text = "\(hours)h" + text }
        }
        return (negative ? "-" : "") + text
    }

    private static func fraction(_ value: UInt64, _ scale: UInt64) -> String {
        let whole = value / scale
        var remainder = value % scale
        guard remainder > 0 else { return String(whole) }
        var digits = ""
        var divisor = scale / 10
        while remainder > 0 && divisor > 0 {
            digits += String(remainder / divisor)
            remainder %= divisor
            divisor /= 10
        }
        return "\(whole).\(digits)"
    }

    /// Sprig's `durationRound`: the largest whole unit (`2y`, `3mo`, `4d`, `5h`, `6m`, `7s`), years of 365 days
    /// and months of 30.
    static func round(_ nanoseconds: Int64) -> String {
        let u = nanoseconds.magnitude
        let second: UInt64 = 1_000_000_000
        let minute = 60 * second, hour = 60 * minute, day = 24 * hour, month = 30 * day, year = 365 * day
        if u > year { return "\(u / year)y" }
        if u > month { return "\(u / month)mo" }
        if u > day { return "\(u / day)d" }
        if u > hour { return "\(u / hour)h" }
        if u > minute { return "\(u / minute)m" }
        if u > second { return "\(u / second)s" }
        return "0s"
    }
}

/// Go's `time.Parse` for the common layout elements (numeric dates and times, month and day names, fractional
/// seconds, `Z07:00`/`-0700` offsets).
enum GoTimeParser {
    static func parse(layout: String, value: String) throws(SprigError) -> GoTime {
        var year = 1, month = 1, day = 1, hour = 0, minute = 0, second = 0, nanos = 0, offset = 0
        var pm: Bool?
        var layoutRest = Substring(layout)
        var rest = Substring(value)
        func failure(_ token: String) -> SprigError {
            SprigError("parsing time " + GoFormat.sprintf("%q", [.string(value)]) + " as "
                + GoFormat.sprintf("%q", [.string(layout)]) + ": cannot parse " + GoFormat.sprintf("%q", [.string(String(rest))])
                + " as " + GoFormat.sprintf("%q", [.string(token)]))
        }
        func number(_ token: String, min: Int, max: Int) throws(SprigError) -> Int {
            let digits = rest.prefix(max).prefix { $0.isASCII && $0.isNumber }
            guard digits.count >= min, let value = Int(digits) else { throw failure(token) }
            rest = rest.dropFirst(digits.count)
            return value
        }
        func name(_ token: String, _ names: [String]) throws(SprigError) -> Int {
            for (index, candidate) in names.enumerated() where rest.lowercased().hasPrefix(candidate.lowercased()) {
                rest = rest.dropFirst(candidate.count)
                return index
            }
            throw failure(token)
        }
        let tokens = ["January", "Jan", "Monday", "Mon", "MST", "2006", "Z07:00", "Z0700", "-07:00", "-0700", "01",
                      "02", "_2", "03", "04", "05", "06", "15", "PM", "pm", "1", "2", "3", "4", "5"]
        outer: while !layoutRest.isEmpty {
            if layoutRest.hasPrefix(".0") || layoutRest.hasPrefix(".9") {
                let count = layoutRest.dropFirst().prefix { $0 == "0" || $0 == "9" }.count
                layoutRest = layoutRest.dropFirst(1 + count)
                if rest.first == "." {
                    rest = rest.dropFirst()
                    let digits = rest.prefix { $0.isASCII && $0.isNumber }
                    rest = rest.dropFirst(digits.count)
                    nanos = Int((String(digits) + "000000000").prefix(9)) ?? 0
                }
                continue
            }
            for token in tokens where layoutRest.hasPrefix(token) {
                layoutRest = layoutRest.dropFirst(token.count)
                switch token {
                case "January": month = try name(token, GoTime.months) + 1
                case "Jan": month = try name(token, GoTime.months.map { String($0.prefix(3)) }) + 1
                case "Monday": _ = try name(token, GoTime.weekdays)
                case "Mon": _ = try name(token, GoTime.weekdays.map { String($0.prefix(3)) })
                case "MST":
                    let zone = rest.prefix { $0.isUppercase }
                    guard zone.count >= 3 else { throw failure(token) }
                    rest = rest.dropFirst(zone.count)
                case "2006": year = try number(token, min: 4, max: 4)
                case "06": year = 1900 + (try number(token, min: 2, max: 2))
                    if year < 1969 { year += 100 }
                case "01": month = try number(token, min: 2, max: 2)
                case "1": month = try number(token, min: 1, max: 2)
                case "02": day = try number(token, min: 2, max: 2)
                case "_2":
                    if rest.first == " " { rest = rest.dropFirst() }
                    day = try number(token, min: 1, max: 2)
                case "2": day = try number(token, min: 1, max: 2)
                case "15": hour = try number(token, min: 1, max: 2)
                case "03": hour = try number(token, min: 2, max: 2)
                case "3": hour = try number(token, min: 1, max: 2)
                case "04": minute = try number(token, min: 2, max: 2)
                case "4": minute = try number(token, min: 1, max: 2)
                case "05": second = try number(token, min: 2, max: 2)
                case "5": second = try number(token, min: 1, max: 2)
                case "PM", "pm":
                    let marker = rest.prefix(2).uppercased()
                    guard marker == "AM" || marker == "PM" else { throw failure(token) }
                    pm = marker == "PM"
                    rest = rest.dropFirst(2)
                default:
                    // Zone offsets.
                    if token.hasPrefix("Z"), rest.first == "Z" {
                        rest = rest.dropFirst()
                        continue outer
                    }
                    guard let sign = rest.first, sign == "+" || sign == "-" else { throw failure(token) }
                    rest = rest.dropFirst()
                    let hours = try number(token, min: 2, max: 2)
                    if token.contains(":") {
                        guard rest.first == ":" else { throw failure(token) }
                        rest = rest.dropFirst()
                    }
                    let minutes = try number(token, min: 2, max: 2)
                    offset = (hours * 3600 + minutes * 60) * (sign == "-" ? -1 : 1)
                }
                // Go also checks fractional seconds right after a seconds field even if the layout has none.
                if token == "05" || token == "5", rest.first == ".", !layoutRest.hasPrefix(".") {
                    rest = rest.dropFirst()
                    let digits = rest.prefix { $0.isASCII && $0.isNumber }
                    rest = rest.dropFirst(digits.count)
                    nanos = Int((String(digits) + "000000000").prefix(9)) ?? 0
                }
                continue outer
            }
            guard rest.first == layoutRest.first else { throw failure(String(layoutRest)) }
            rest = rest.dropFirst()
            layoutRest = layoutRest.dropFirst()
        }
        if !rest.isEmpty {
            throw SprigError("parsing time " + GoFormat.sprintf("%q", [.string(value)]) + ": extra text: "
                + GoFormat.sprintf("%q", [.string(String(rest))]))
        }
        if let pm {
            if pm && hour < 12 { hour += 12 } else if !pm && hour == 12 { hour = 0 }
        }
        let monthLength = [31, year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...12).contains(month), day >= 1, day <= monthLength[month - 1], hour < 24, minute < 60, second < 60 else {
            throw SprigError("parsing time " + GoFormat.sprintf("%q", [.string(value)]) + ": day out of range")
        }
        let days = GoTime.daysFromCivil(year, month, day)
        let seconds = Int64(days) * 86400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offset)
        return GoTime(seconds: seconds, nanoseconds: Int64(nanos), offset: offset, zoneName: offset == 0 ? "UTC" : "")
    }
}
