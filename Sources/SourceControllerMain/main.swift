import ArgumentParser
import GitOpsKit
import Logging
import SourceControllerKit

/// `source-controller`: turns Git and Helm repositories into verified artifacts.
struct ControllerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "source-controller", abstract: "turns Git and Helm repositories into verified artifacts.", version: GitOpsKit.version)

    @OptionGroup var flags: ControllerFlags
    @OptionGroup var options: SourceControllerOptions

    func run() async throws {
        try await ControllerProcess.run(name: "source-controller", flags: flags, defaultConcurrency: 2) { manager, logger in
            try SourceControllerSetup.register(on: manager, options: options,
                                               requeueDependency: flags.requeueDependency.duration, logger: logger)
        }
    }
}

ControllerCommand.mainNormalizingGoFlags()
