import Foundation
import Logging

/// A swift-log handler writing one JSON object per line, like Flux's zap JSON encoder:
/// `{"level":"info","ts":"2024-01-02T03:04:05.678Z","logger":"kustomize-controller","msg":"…", <metadata>}`.
///
/// Metadata keys are top-level fields (a key named like a fixed field is kept under `metadata`); nested
/// metadata becomes JSON arrays and objects. An attached error is written as `error`.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let output: LogOutput

    public init(label: String, level: Logger.Level = .info, output: LogOutput = .standardError,
                metadataProvider: Logger.MetadataProvider? = nil)
    {
        self.label = label
        self.logLevel = level
        self.output = output
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = LogFormatting.merge(handler: metadata, provider: metadataProvider, event: event.metadata)
        var fields: [String: JSONValue] = [:]
        var overflow: [String: JSONValue] = [:]
        for (key, value) in merged {
            if LogFormatting.reservedKeys.contains(key) {
                overflow[key] = LogFormatting.json(value)
            } else {
                fields[key] = LogFormatting.json(value)
            }
        }
        if !overflow.isEmpty { fields["metadata"] = .object(overflow) }
        fields["level"] = .string(LogFormatting.levelName(event.level))
        fields["ts"] = .string(LogFormatting.timestamp(Date()))
        fields["logger"] = .string(label)
        fields["msg"] = .string(event.message.description)
        if let error = event.error { fields["error"] = .string("\(error)") }
        output.write(line: JSONValue.object(fields).jsonString())
    }
}

/// A human-oriented handler: `ts  LEVEL  logger  msg  {metadata as JSON}` (zap's console encoder layout).
public struct ConsoleLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let output: LogOutput

    public init(label: String, level: Logger.Level = .info, output: LogOutput = .standardError,
                metadataProvider: Logger.MetadataProvider? = nil)
    {
        self.label = label
        self.logLevel = level
        self.output = output
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = LogFormatting.merge(handler: metadata, provider: metadataProvider, event: event.metadata)
        if let error = event.error { merged["error"] = "\(error)" }
        var line = "\(LogFormatting.timestamp(Date()))\t\(LogFormatting.levelName(event.level).uppercased())\t\(label)\t\(event.message)"
        if !merged.isEmpty {
            line += "\t" + JSONValue.object(merged.mapValues(LogFormatting.json)).jsonString()
        }
        output.write(line: line)
    }
}

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

/// Process-wide logging setup from `--log-level`/`--log-encoding`.
public enum RuntimeLogging {
    /// The swift-log level for a `--log-level` value.
    public static func level(_ flag: ControllerFlags.LogLevel) -> Logger.Level {
        switch flag {
        case .trace: .trace
        case .debug: .debug
        case .info: .info
        case .error: .error
        }
    }

    /// A handler factory for `LoggingSystem.bootstrap`.
    public static func handlerFactory(encoding: ControllerFlags.LogEncoding, level: Logger.Level,
                                      output: LogOutput = .standardError) -> @Sendable (String) -> any LogHandler
    {
        { label in
            switch encoding {
            case .json: JSONLogHandler(label: label, level: level, output: output)
            case .console: ConsoleLogHandler(label: label, level: level, output: output)
            }
        }
    }

    /// Bootstraps swift-log once for the process and returns the controller's root logger.
    public static func bootstrap(_ flags: ControllerFlags, label: String) -> Logger {
        let level = level(flags.logLevel)
        LoggingSystem.bootstrap(handlerFactory(encoding: flags.logEncoding, level: level))
        return Logger(label: label)
    }
}
