import Foundation
import Logging

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
