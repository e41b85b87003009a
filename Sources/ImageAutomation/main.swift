import ArgumentParser
import GitOpsKit
import Logging

/// `image-automation-controller`: scans registries, elects image tags and commits them back to Git.
struct ControllerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image-automation-controller", abstract: "scans registries, elects image tags and commits them back to Git.", version: GitOpsKit.version)

    @OptionGroup var flags: ControllerFlags

    func run() async throws {
        try await ControllerProcess.run(name: "image-automation-controller", flags: flags, defaultConcurrency: 4) { _, logger in
            // The shared runtime (client, metrics, probes, leader election, graceful shutdown) is complete; the
            // reconcilers of this controller land with their issue.
            logger.warning("no reconcilers registered in this build: ImageRepository, ImagePolicy and ImageUpdateAutomation arrive with issue #9")
        }
    }
}

await ControllerCommand.mainNormalizingGoFlags()
