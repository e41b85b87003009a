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

    @Option(name: .customLong("default-service-account"),
            help: "Default service account used for impersonation (Kustomizations without spec.serviceAccountName).")
    var defaultServiceAccount: String = ""

    @Option(name: .customLong("override-manager"),
            help: "Field manager disallowed to perform changes on managed resources (repeatable).")
    var overrideManagers: [String] = []

    func run() async throws {
        try await ControllerProcess.run(name: "kustomize-controller", flags: flags, defaultConcurrency: 4) { manager, logger in
            KustomizeControllerSetup.register(
                on: manager, requeueDependency: flags.requeueDependency.duration,
                configsWatcher: flags.configsWatcherConfiguration,
                defaultServiceAccount: defaultServiceAccount.isEmpty ? nil : defaultServiceAccount,
                overrideManagers: overrideManagers, logger: logger)
        }
    }
}

ControllerCommand.mainNormalizingGoFlags()
