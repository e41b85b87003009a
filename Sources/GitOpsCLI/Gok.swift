import ArgumentParser
import GitOpsKit

/// `gok`: the GitOpsKit command-line tool.
@main
struct Gok: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gok",
        abstract: "GitOpsKit: Flux-compatible GitOps for Kubernetes.",
        version: GitOpsKit.version,
        subcommands: [DemoCommand.self, HelmCommand.self, KustomizeCommand.self, VersionCommand.self]
    )
}
