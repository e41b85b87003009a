import Foundation
import Testing
@testable import GitOpsKit

struct APIDurationTimeTests {
    /// Expected values as Go's `time.ParseDuration(s)` then `.String()` give them.
    @Test(arguments: [
        ("1h2m3.5s", 3_723_500_000_000, "1h2m3.5s"),
        ("500ms", 500_000_000, "500ms"),
        ("90m", 5_400_000_000_000, "1h30m0s"),
        ("1.5h", 5_400_000_000_000, "1h30m0s"),
        ("60s", 60_000_000_000, "1m0s"),
        ("10m0s", 600_000_000_000, "10m0s"),
        ("0", 0, "0s"),
        ("0s", 0, "0s"),
        ("-1.5s", -1_500_000_000, "-1.5s"),
        ("+2s", 2_000_000_000, "2s"),
        ("1us", 1_000, "1µs"),
        ("1µs", 1_000, "1µs"),
        ("1.5µs", 1_500, "1.5µs"),
        ("100ns", 100, "100ns"),
        (".5s", 500_000_000, "500ms"),
        ("1.s", 1_000_000_000, "1s"),
        ("1.000000001s", 1_000_000_001, "1.000000001s"),
        ("2.026356042s", 2_026_356_042, "2.026356042s"),
        ("1m0.5s", 60_500_000_000, "1m0.5s"),
        ("1h1ms", 3_600_001_000_000, "1h0m0.001s"),
        ("2562047h47m16.854775807s", Int64.max, "2562047h47m16.854775807s"),
    ] as [(String, Int64, String)])
    func parsesAndFormatsLikeGo(text: String, nanoseconds: Int64, formatted: String) throws {
        let duration = try FluxDuration(parsing: text)
        #expect(duration.nanoseconds == nanoseconds)
        #expect(duration.description == formatted)
        #expect(try FluxDuration(parsing: formatted) == duration)
    }

    @Test(arguments: [
        ("", "empty string"), ("5x", #"unknown unit "x""#), ("1", "missing unit"), (".s", "expected a number before the unit"),
        ("-", "missing number"), ("1.2.3s", "missing unit"), ("s", "expected a number before the unit"),
        ("9999999999h", "out of range"), ("1h 2m", #"unknown unit "h ""#), ("2562047h47m16.854775808s", "out of range"),
    ])
    func rejectsWhatGoRejects(text: String, reason: String) {
        #expect(throws: FluxDuration.ParseError(text: text, reason: reason)) { try FluxDuration(parsing: text) }
    }

    @Test func crdPattern() {
        for valid in ["1h", "1.5m", "10m0s", "500ms", "1h2m3.5s", "0s", "30s"] {
            #expect(FluxDuration.matchesCRDPattern(valid), "\(valid)")
        }
        for invalid in ["", ".5s", "1us", "1ns", "-1s", "1", "0", "1d", "1h ", "1.s", "m"] {
            #expect(!FluxDuration.matchesCRDPattern(invalid), "\(invalid)")
        }
        #expect(FluxDuration.matchesCRDPattern("90m", allowHours: false))
        #expect(!FluxDuration.matchesCRDPattern("1h", allowHours: false))
        #expect(!FluxDuration.matchesCRDPattern("1m1h", allowHours: false))
    }

    @Test func arithmeticSaturatesAndConverts() {
        #expect(FluxDuration.minutes(10) - .seconds(30) == .seconds(570))
        #expect(FluxDuration(nanoseconds: .max) + .seconds(1) == FluxDuration(nanoseconds: .max))
        #expect(FluxDuration(nanoseconds: .min) - .seconds(1) == FluxDuration(nanoseconds: .min))
        #expect(FluxDuration.hours(Int64.max) == FluxDuration(nanoseconds: .max))
        #expect(FluxDuration.seconds(90).duration == .seconds(90))
        #expect(FluxDuration.milliseconds(1500).seconds == 1.5)
        #expect(max(FluxDuration.seconds(29), .seconds(30)) == .seconds(30))
    }

    @Test func durationCodable() throws {
        #expect(try JSONValueEncoder().encode(FluxDuration.seconds(90)) == "1m30s")
        #expect(try JSONValueDecoder().decode(FluxDuration.self, from: "1h") == .hours(1))
        #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(FluxDuration.self, from: "soon") }
    }

    @Test(arguments: [
        ("2024-01-02T03:04:05Z", 1_704_164_645, 0, "2024-01-02T03:04:05Z"),
        ("2024-01-02T03:04:05.5Z", 1_704_164_645, 500_000_000, "2024-01-02T03:04:05Z"),
        ("2024-01-02T03:04:05.123456789Z", 1_704_164_645, 123_456_789, "2024-01-02T03:04:05Z"),
        ("2024-01-02T05:04:05+02:00", 1_704_164_645, 0, "2024-01-02T03:04:05Z"),
        ("2024-01-01T22:04:05-05:00", 1_704_164_645, 0, "2024-01-02T03:04:05Z"),
        ("1970-01-01T00:00:00Z", 0, 0, "1970-01-01T00:00:00Z"),
        ("1969-12-31T23:59:59Z", -1, 0, "1969-12-31T23:59:59Z"),
        ("2024-02-29T12:00:00z", 1_709_208_000, 0, "2024-02-29T12:00:00Z"),
        ("2000-03-01t00:00:00Z", 951_868_800, 0, "2000-03-01T00:00:00Z"),
        ("9999-12-31T23:59:59Z", 253_402_300_799, 0, "9999-12-31T23:59:59Z"),
    ] as [(String, Int64, Int32, String)])
    func parsesRFC3339(text: String, seconds: Int64, nanos: Int32, formatted: String) throws {
        let time = try KubeTime(parsing: text)
        #expect(time.secondsSinceEpoch == seconds)
        #expect(time.nanoseconds == nanos)
        #expect(time.description == formatted)
    }

    @Test(arguments: [
        "", "2024-01-02", "2024-01-02T03:04:05", "2024-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "2024-01-02T24:00:00Z",
        "2024-01-02T03:04:05.Z", "2024-01-02 03:04:05Z", "2024-01-02T03:04:05+0200", "2024-01-02T03:04:05Zjunk",
        "２024-01-02T03:04:05Z",
    ])
    func rejectsMalformedTimes(text: String) {
        #expect(throws: KubeTime.ParseError(text: text)) { try KubeTime(parsing: text) }
    }

    @Test func timeHelpers() throws {
        let time = try KubeTime(parsing: "2024-05-02T10:15:30.123456789Z")
        #expect(time.rfc3339Nano == "2024-05-02T10:15:30.123456789Z")
        #expect(try KubeTime(parsing: "2024-05-02T10:15:30.5Z").rfc3339Nano == "2024-05-02T10:15:30.5Z")
        #expect(time.truncatedToSeconds.rfc3339Nano == "2024-05-02T10:15:30Z")
        #expect(time.adding(.seconds(30)).description == "2024-05-02T10:16:00Z")
        #expect(time.adding(.milliseconds(-200)).nanoseconds == 923_456_789)
        #expect(time.adding(.minutes(1)).since(time) == .minutes(1))
        #expect(time.truncatedToSeconds < time)
        let date = Date(timeIntervalSince1970: 1_714_644_930.25)
        #expect(KubeTime(date).nanoseconds == 250_000_000)
        #expect(abs(KubeTime(date).date.timeIntervalSince1970 - 1_714_644_930.25) < 1e-6)
        #expect(KubeTime(secondsSinceEpoch: 10, nanoseconds: -1).secondsSinceEpoch == 9)
        #expect(KubeTime(secondsSinceEpoch: 10, nanoseconds: -1).nanoseconds == 999_999_999)
        let now = KubeTime.now()
        #expect(abs(now.date.timeIntervalSinceNow) < 5)
    }
}
