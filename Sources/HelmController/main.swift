import ArgumentParser
import GitOpsKit
import HelmControllerKit
import Logging

/// `helm-controller`: installs, upgrades, tests and rolls back HelmReleases with Helm-compatible release storage.
struct ControllerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "helm-controller", abstract: "installs, upgrades, tests and rolls back HelmReleases with Helm-compatible release storage.", version: GitOpsKit.version)

    @OptionGroup var flags: ControllerFlags

    func run() async throws {
        try await ControllerProcess.run(name: "helm-controller", flags: flags, defaultConcurrency: 4) { manager, logger in
            HelmControllerSetup.register(on: manager, requeueDependency: flags.requeueDependency.duration, logger: logger)
        }
    }
}

ControllerCommand.mainNormalizingGoFlags()
