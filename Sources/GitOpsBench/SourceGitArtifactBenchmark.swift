import ArgumentParser
import Foundation
import GitOpsKit
import GitOpsTestSupport
import Logging

/// `gok-bench git-artifact`: what source-controller does for a new revision (fetch into a fresh mirror, archive the
/// commit's tree from it as a reproducible tar.gz) against `git clone` + `tar czf` of the same repository, in one run.
struct SourceGitArtifactBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "git-artifact",
        abstract: "Fetch + artifact of a 5,000-file repository vs git clone + tar czf (budget ≤ 1.3×).")

    @Option(help: "Files in the repository.")
    var files = 5_000

    @Option(help: "Rounds of each side; the median is reported.")
    var rounds = 3

    func run() async throws {
        let root = try ArtifactTestSupport.makeDirectory("bench-git-artifact")
        defer { ArtifactTestSupport.cleanUp(root) }
        let remote = try Self.makeRepository(files: files, in: root)
        let url = "file://" + remote
        var ours: [Double] = []
        var theirs: [Double] = []
        var phases: [String: [Double]] = [:]
        var ourSize: Int64 = 0
        var theirSize: Int64 = 0
        let logger = Logger(label: "gok-bench", factory: { _ in SwiftLogNoOpLogHandler() })
        for round in 0..<rounds {
            // Ours: a fresh mirror each round (the cold case; an unchanged revision costs one ls-remote).
            let work = root + "/ours-\(round)"
            let start = ContinuousClock.now
            let mirrors = GitRepositoryMirror(root: work + "/mirrors", logger: logger)
            let commit = try await mirrors.fetch(key: "bench/repo", url: url, reference: GitReference(branch: "main"),
                                                 credentials: .none)
            let fetched = ContinuousClock.now
            let summary = try await mirrors.archive(key: "bench/repo", commit: commit.hash, to: work + "/artifact.tar.gz",
                                                    specIgnore: nil)
            let end = ContinuousClock.now
            ours.append((end - start).seconds)
            phases["fetch", default: []].append((fetched - start).seconds)
            phases["archive", default: []].append((end - fetched).seconds)
            ourSize = summary.size

            // Theirs: what Flux's approach amounts to with the git CLI.
            let baseline = root + "/theirs-\(round)"
            let startBaseline = ContinuousClock.now
            try ArtifactTestSupport.run(["git", "clone", "-q", "--branch", "main", url, baseline + "/checkout"],
                                        environment: GitTestSupport.gitEnvironment)
            try ArtifactTestSupport.run(["tar", "czf", baseline + "/artifact.tar.gz", "--exclude=.git", "-C",
                                         baseline + "/checkout", "."])
            theirs.append((ContinuousClock.now - startBaseline).seconds)
            theirSize = Int64((try? FileManager.default.attributesOfItem(atPath: baseline + "/artifact.tar.gz")[.size] as? Int) ?? 0)
            ArtifactTestSupport.cleanUp(work)
            ArtifactTestSupport.cleanUp(baseline)
        }
        let ourMedian = Self.median(ours)
        let theirMedian = Self.median(theirs)
        let ratio = ourMedian / theirMedian
        print("git-artifact: \(files)-file repository over file://, \(rounds) rounds, medians")
        print(String(format: "  gitopskit fetch + artifact: %.3f s (artifact %d bytes; fetch %.3f s, archive from the mirror %.3f s)",
                     ourMedian, ourSize, Self.median(phases["fetch"] ?? []), Self.median(phases["archive"] ?? [])))
        print(String(format: "  git clone + tar czf:        %.3f s (archive %d bytes)", theirMedian, theirSize))
        print(String(format: "  ratio %.2f× — budget ≤ 1.3×: %@", ratio, ratio <= 1.3 ? "within budget" : "OVER BUDGET"))
        print("  rounds: ours \(ours.map { String(format: "%.3f", $0) }), theirs \(theirs.map { String(format: "%.3f", $0) })")
    }

    /// A bare repository (branch `main`) with `files` small YAML files in 50 directories.
    static func makeRepository(files: Int, in root: String) throws -> String {
        let work = root + "/work"
        let bare = root + "/remote.git"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        for index in 0..<files {
            let directory = work + "/apps/team-\(index % 50)"
            if index < 50 { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
            let text = """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: config-\(index)
                  namespace: team-\(index % 50)
                data:
                  index: "\(index)"
                  payload: "\(String(repeating: "x", count: 200 + index % 300))"

                """
            try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/config-\(index).yaml"))
        }
        try GitTestSupport.git(["init", "-q", "-b", "main"], in: work)
        try GitTestSupport.git(["add", "-A"], in: work)
        try GitTestSupport.git(["commit", "-q", "-m", "\(files) files"], in: work)
        try GitTestSupport.git(["clone", "-q", "--bare", work, bare], in: root)
        return bare
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted[sorted.count / 2]
    }
}
