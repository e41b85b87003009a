import GoTemplate

/// A Go `time.Time` in a template: an instant (seconds and nanoseconds since the Unix epoch) seen in a zone with a
/// fixed offset. Zones are UTC or fixed offsets; `Local` is UTC (the controllers run in UTC).
struct GoTime: TemplateObject, GoJSONRepresentable, Sendable {
    var seconds: Int64
    var nanoseconds: Int64 = 0
    var offset: Int = 0
    var zoneName: String = "UTC"

    var goTypeName: String { "time.Time" }

    /// Go's `Time.String()`: `2006-01-02 15:04:05.999999999 -0700 MST`.
    var formatted: String { format("2006-01-02 15:04:05.999999999 -0700 MST") }

    var goJSONValue: TemplateValue { .string(format("2006-01-02T15:04:05.999999999Z07:00")) }

    func field(named name: String) -> TemplateValue? { nil }

    func method(named name: String) -> TemplateFunction? {
        let time = self
        func value(_ result: TemplateValue) -> TemplateFunction { TemplateFunction(name, signature: .init([])) { _ in result } }
        let civil = time.civil
        switch name {
        case "Unix": return value(.int64(Int(seconds)))
        case "UnixNano": return value(.int64(Int(seconds &* 1_000_000_000 &+ nanoseconds)))
        case "Year": return value(.int(civil.year))
        case "Month": return value(.string(GoTime.months[civil.month - 1]))
        case "Day": return value(.int(civil.day))
        case "Hour": return value(.int(civil.hour))
        case "Minute": return value(.int(civil.minute))
        case "Second": return value(.int(civil.second))
        case "Nanosecond": return value(.int(Int(nanoseconds)))
        case "YearDay": return value(.int(civil.yearDay))
        case "Weekday": return value(.string(GoTime.weekdays[civil.weekday]))
        case "UTC": return value(.object(GoTime(seconds: seconds, nanoseconds: nanoseconds)))
        case "Local": return value(.object(GoTime(seconds: seconds, nanoseconds: nanoseconds, offset: 0, zoneName: "UTC")))
        case "String": return value(.string(formatted))
        case "Format":
            return TemplateFunction(name, signature: .init([.string])) { args in
                guard case .string(let layout) = args[0] else { return .string("") }
                return .string(time.format(layout))
            }
        default: return nil
        }
    }

    static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                         "October", "November", "December"]
    static let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    struct Civil {
        var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, weekday: Int, yearDay: Int
    }

    /// The wall clock in the time's zone.
    var civil: Civil {
        let local = seconds + Int64(offset)
        let days = Int(local >= 0 ? local / 86400 : (local - 86399) / 86400)
        let secondOfDay = Int(local - Int64(days) * 86400)
        let (year, month, day) = GoTime.civilFromDays(days)
        let weekday = ((days % 7) + 11) % 7  // 1970-01-01 was a Thursday (4)
        let yearDay = days - GoTime.daysFromCivil(year, 1, 1) + 1
        return Civil(year: year, month: month, day: day, hour: secondOfDay / 3600, minute: secondOfDay / 60 % 60,
                     second: secondOfDay % 60, weekday: weekday, yearDay: yearDay)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    static func daysFromCivil(_ y: Int, _ m: Int, _ d: Int) -> Int {
        let year = m <= 2 ? y - 1 : y
        let era = (year >= 0 ? year : year - 399) / 400
        let yoe = year - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Go's `Time.Format` with a reference-time layout (`2006-01-02T15:04:05Z07:00`, `Jan 2`, `.000`, …).
    func format(_ layout: String) -> String {
        let c = civil
        var out = ""
        var rest = Substring(layout)
        func pad(_ value: Int, _ width: Int, _ fill: Character = "0") -> String {
            let text = String(value)
            return text.count >= width ? text : String(repeating: fill, count: width - text.count) + text
        }
        func zone(_ colon: Bool, _ seconds: Bool, _ hoursOnly: Bool, z: Bool) -> String {
            if z && offset == 0 { return "Z" }
            let sign = offset < 0 ? "-" : "+"
            let magnitude = abs(offset)
            var text = sign + pad(magnitude / 3600, 2)
            if hoursOnly { return text }
            text += (colon ? ":" : "") + pad(magnitude / 60 % 60, 2)
            if seconds { text += (colon ? ":" : "") + pad(magnitude % 60, 2) }
            return text
        }
        let tokens: [(String, () -> String)] = [
            ("January", { GoTime.months[c.month - 1] }),
            ("Jan", { String(GoTime.months[c.month - 1].prefix(3)) }),
            ("Monday", { GoTime.weekdays[c.weekday] }),
            ("Mon", { String(GoTime.weekdays[c.weekday].prefix(3)) }),
            ("MST", { zoneName }),
            ("2006", { pad(c.year, 4) }),
            ("-07:00:00", { zone(true, true, false, z: false) }),
            ("-070000", { zone(false, true, false, z: false) }),
            ("-07:00", { zone(true, false, false, z: false) }),
            ("-0700", { zone(false, false, false, z: false) }),
            ("-07", { zone(false, false, true, z: false) }),
            ("Z07:00:00", { zone(true, true, false, z: true) }),
            ("Z070000", { zone(false, true, false, z: true) }),
            ("Z07:00", { zone(true, false, false, z: true) }),
            ("Z0700", { zone(false, false, false, z: true) }),
            ("Z07", { zone(false, false, true, z: true) }),
            ("002", { pad(c.yearDay, 3) }),
            ("__2", { pad(c.yearDay, 3, " ") }),
            ("_2", { pad(c.day, 2, " ") }),
            ("01", { pad(c.month, 2) }),
            ("02", { pad(c.day, 2) }),
            ("03", { pad(c.hour % 12 == 0 ? 12 : c.hour % 12, 2) }),
            ("04", { pad(c.minute, 2) }),
            ("05", { pad(c.second, 2) }),
            ("06", { pad(c.year % 100, 2) }),
            ("15", { pad(c.hour, 2) }),
            ("PM", { c.hour >= 12 ? "PM" : "AM" }),
            ("pm", { c.hour >= 12 ? "pm" : "am" }),
            ("1", { String(c.month) }),
            ("2", { String(c.day) }),
            ("3", { String(c.hour % 12 == 0 ? 12 : c.hour % 12) }),
            ("4", { String(c.minute) }),
            ("5", { String(c.second) }),
        ]
        outer: while !rest.isEmpty {
            // Fractional seconds: .000 / ,000 (fixed) or .999 (trailing zeros trimmed), after a digit-free point.
            if let first = rest.first, first == "." || first == ",", rest.count > 1 {
                let digits = rest.dropFirst().prefix { $0 == "0" || $0 == "9" }
                if let kind = digits.first, digits.allSatisfy({ $0 == kind }),
                   rest.dropFirst(1 + digits.count).first.map({ !$0.isNumber }) ?? true {
                    let fraction = pad(Int(nanoseconds), 9).prefix(digits.count)
                    if kind == "0" {
                        out += String(first) + fraction
                    } else {
                        let trimmed = fraction.reversed().drop { $0 == "0" }.reversed()
                        if !trimmed.isEmpty { out += String(first) + String(trimmed) }
                    }
                    rest = rest.dropFirst(1 + digits.count)
                    continue
                }
            }
            for (token, render) in tokens where rest.hasPrefix(token) {
                // Go only takes "Jan"/"Mon" tokens when not followed by a lower-case letter.
                if (token == "Jan" || token == "Mon"), let next = rest.dropFirst(3).first, next.isLowercase { break }
                out += render()
                rest = rest.dropFirst(token.count)
                continue outer
            }
            out.append(rest.removeFirst())
        }
        return out
    }
}
