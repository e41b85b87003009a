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
