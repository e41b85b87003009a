import FoundationEssentials
import Logging

/// Shared pieces of the log handlers.
enum LogFormatting {
    static let reservedKeys: Set<String> = ["level", "ts", "logger", "msg", "metadata"]

    static func merge(handler: Logger.Metadata, provider: Logger.MetadataProvider?, event: Logger.Metadata?) -> Logger.Metadata {
        var merged = handler
        if let provided = provider?.get() { merged.merge(provided) { _, new in new } }
        if let event { merged.merge(event) { _, new in new } }
        return merged
    }

    static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let convertible): .string(convertible.description)
        case .array(let values): .array(values.map(json))
        case .dictionary(let values): .object(values.mapValues(json))
        }
    }

    /// zap level names: `trace`/`debug`/`info`/`warn`/`error`/`panic`.
    static func levelName(_ level: Logger.Level) -> String {
        switch level {
        case .trace: "trace"
        case .debug: "debug"
        case .info, .notice: "info"
        case .warning: "warn"
        case .error: "error"
        case .critical: "panic"
        }
    }

    /// RFC 3339 UTC with milliseconds.
    static func timestamp(_ date: Date) -> String {
        let micro = RFC3339.micro(date)  // 2024-01-02T03:04:05.123456Z
        return String(micro.dropLast(4)) + "Z"
    }
}
