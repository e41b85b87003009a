import Logging

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
        { label in ControllerLogHandler(label: label, encoding: encoding, level: level, output: output) }
    }

    /// Bootstraps swift-log once for the process and returns the controller's root logger.
    public static func bootstrap(_ flags: ControllerFlags, label: String) -> Logger {
        let level = level(flags.logLevel)
        LoggingSystem.bootstrap(handlerFactory(encoding: flags.logEncoding, level: level))
        return Logger(label: label)
    }
}
