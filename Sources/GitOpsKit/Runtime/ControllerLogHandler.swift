import FoundationEssentials
import Logging

/// The controllers' swift-log handler, in Flux's (zap's) two encodings:
/// - `.json`: one object per line, `{"level":"info","ts":"2024-01-02T03:04:05.678Z","logger":"kustomize-controller",
///   "msg":"…", <metadata>}`; metadata keys are top-level fields (one named like a fixed field is kept under
///   `metadata`), nested metadata becomes JSON arrays and objects;
/// - `.console`: `ts  LEVEL  logger  msg  {metadata as JSON}` for people.
/// An attached error is written as `error`.
public struct ControllerLogHandler: LogHandler {
    public typealias Encoding = ControllerFlags.LogEncoding

    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let encoding: Encoding
    private let output: LogOutput

    public init(label: String, encoding: Encoding = .json, level: Logger.Level = .info,
                output: LogOutput = .standardError, metadataProvider: Logger.MetadataProvider? = nil)
    {
        self.label = label
        self.encoding = encoding
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
        switch encoding {
        case .json: output.write(line: jsonLine(event, merged))
        case .console: output.write(line: consoleLine(event, merged))
        }
    }

    private func jsonLine(_ event: LogEvent, _ merged: Logger.Metadata) -> String {
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
        return JSONValue.object(fields).jsonString()
    }

    private func consoleLine(_ event: LogEvent, _ merged: Logger.Metadata) -> String {
        var line = "\(LogFormatting.timestamp(Date()))\t\(LogFormatting.levelName(event.level).uppercased())\t\(label)\t\(event.message)"
        if !merged.isEmpty {
            line += "\t" + JSONValue.object(merged.mapValues(LogFormatting.json)).jsonString()
        }
        return line
    }
}
