import ArgumentParser
import GitOpsKit
import ImageAutomationControllerKit
import Logging

/// `image-automation-controller`: scans registries, elects image tags and commits them back to Git.
struct ControllerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image-automation-controller", abstract: "scans registries, elects image tags and commits them back to Git.", version: GitOpsKit.version)

    @OptionGroup var flags: ControllerFlags

    @Option(name: .customLong("storage-path"), help: "Where scanned tags are kept so a restart does not lose them.")
    var storagePath = "/data"

    func run() async throws {
        try await ControllerProcess.run(name: "image-automation-controller", flags: flags, defaultConcurrency: 4) { manager, logger in
            ImageAutomationSetup.register(on: manager, storagePath: storagePath, logger: logger)
        }
    }
}

ControllerCommand.mainNormalizingGoFlags()
