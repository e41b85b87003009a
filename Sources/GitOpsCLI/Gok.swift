import ArgumentParser
import GitOpsKit

/// `gok`: the GitOpsKit command-line tool.
@main
struct Gok: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gok",
        abstract: "GitOpsKit: Flux-compatible GitOps for Kubernetes.",
        version: GitOpsKit.version,
        subcommands: [BuildCommand.self, CheckCommand.self, CompletionCommand.self, CreateCommand.self, DemoCommand.self, DiffCommand.self, GetCommand.self, HelmCommand.self, KustomizeCommand.self,
                      EventsCommand.self, ReconcileCommand.self, ResumeCommand.self, SuspendCommand.self, TraceCommand.self,
                      TreeCommand.self, UninstallCommand.self, VersionCommand.self]
    )
}
