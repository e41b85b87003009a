import ArgumentParser
import GitOpsKit

/// `gok-bench`: benchmarks that print figures (DESIGN.md §10). Never run as timed assertions in the test suite.
@main
struct GokBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gok-bench",
        abstract: "GitOpsKit benchmarks; each prints its figures next to the budget it is measured against.",
        subcommands: [EmulatorThroughputBenchmark.self, WatchCacheBenchmark.self, WatchClientCommand.self,
                      KustomizeBenchmark.self, HelmRenderBenchmark.self, SourceGitArtifactBenchmark.self, SourceGitFleetBenchmark.self,
                      KustomizeControllerFleetBenchmark.self, HelmControllerFleetBenchmark.self, ImageScanBenchmark.self,
                      NotificationEventsBenchmark.self, SeedCommand.self]
    )
}
