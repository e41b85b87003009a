import ArgumentParser
import GitOpsKit
import KustomizeControllerKit
import Logging

/// `kustomize-controller`: builds Kustomizations and applies them with server-side apply, prune and health checks.
struct ControllerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kustomize-controller",
        abstract: "builds Kustomizations and applies them with server-side apply, prune and health checks.",
        version: GitOpsKit.version)

    @OptionGroup var flags: ControllerFlags

    func run() async throws {
        try await ControllerProcess.run(name: "kustomize-controller", flags: flags, defaultConcurrency: 4) { manager, logger in
            KustomizeControllerSetup.register(on: manager, requeueDependency: flags.requeueDependency.duration, logger: logger)
        }
    }
}

await ControllerCommand.mainNormalizingGoFlags()
