import ArgumentParser

/// A command-line duration in Go's `time.ParseDuration` syntax (`750ms`, `15m`, `1h30m`, `2.5s`), as Flux's flags
/// take them.
public struct FlagDuration: Sendable, Hashable, ExpressibleByArgument, CustomStringConvertible {
    public var duration: Duration
    private let text: String

    public init(_ duration: Duration, text: String) {
        self.duration = duration
        self.text = text
    }

    public init?(argument: String) {
        guard let duration = Self.parse(argument) else { return nil }
        self.init(duration, text: argument)
    }

    public var description: String { text }
    public var defaultValueDescription: String { text }

    /// Parses a Go duration: a sequence of decimal numbers with units `ns`, `us`/`µs`, `ms`, `s`, `m`, `h`, an
    /// optional leading sign; `0` alone is allowed. Nil when malformed.
    public static func parse(_ text: String) -> Duration? {
        var scalars = Substring(text)
        var negative = false
        if scalars.first == "-" || scalars.first == "+" {
            negative = scalars.first == "-"
            scalars = scalars.dropFirst()
        }
        if scalars == "0" { return .zero }
        guard !scalars.isEmpty else { return nil }
        var total = 0.0  // nanoseconds
        while !scalars.isEmpty {
            let number = scalars.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number != ".", let value = Double(number) else { return nil }
            scalars = scalars.dropFirst(number.count)
            let unit = scalars.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            scalars = scalars.dropFirst(unit.count)
            let scale: Double
            switch unit {
            case "ns": scale = 1
            case "us", "µs", "μs": scale = 1e3
            case "ms": scale = 1e6
            case "s": scale = 1e9
            case "m": scale = 60e9
            case "h": scale = 3600e9
            default: return nil
            }
            total += value * scale
        }
        guard total.isFinite, total < 9.2e18 else { return nil }
        let nanoseconds = Int64(total.rounded())
        return .nanoseconds(negative ? -nanoseconds : nanoseconds)
    }
}
