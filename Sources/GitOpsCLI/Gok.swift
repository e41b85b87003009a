import ArgumentParser
import GitOpsKit

/// `gok`: the GitOpsKit command-line tool.
@main
struct Gok: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gok",
        abstract: "GitOpsKit: Flux-compatible GitOps for Kubernetes.",
        version: GitOpsKit.version,
        subcommands: [
            // Cluster setup
            InstallCommand.self, CheckCommand.self, UninstallCommand.self,
            // Objects
            CreateCommand.self, GetCommand.self, ReconcileCommand.self, SuspendCommand.self, ResumeCommand.self,
            // Inspection
            BuildCommand.self, DiffCommand.self, TreeCommand.self, TraceCommand.self, EventsCommand.self,
            // Local tools
            DemoCommand.self, KustomizeCommand.self, HelmCommand.self, CompletionCommand.self, VersionCommand.self,
        ]
    )
}
