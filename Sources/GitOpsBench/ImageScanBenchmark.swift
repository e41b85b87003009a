import ArgumentParser
import Foundation
import GitOpsKit
import GitOpsTestSupport

/// `gok-bench image-scan`: one ImageRepository of a registry holding 10,000 tags (a registry look-alike serving the
/// tag list in pages of 1,000 with `Link` headers; pushing 10,000 manifests into `docker-registry` would take
/// minutes and measure the registry, not the scan), scanned by the `image-automation-controller` binary next to
/// this one, with two ImagePolicies (a semver range, and a regex filter with `extract` ordered numerically).
/// Prints the wall time from creation to both policies Ready, the time to follow one new tag after a reconcile
/// request, and the controller's peak RSS.
struct ImageScanBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image-scan",
        abstract: "Scan of 10,000 tags + 2 policies through image-automation-controller (budget ≤ 2 s, ≤ 30 MiB).")

    @Option(help: "Tags in the repository.")
    var tags = 10_000

    @Option(help: "Directory of the CRD manifests.")
    var crdDirectory = "config/crd/bases"

    @Option(help: "The image-automation-controller binary (default: the one next to gok-bench).")
    var controllerBinary: String?

    @Option(help: "File for the controller's log (default: discarded).")
    var controllerLog: String?

    /// `major.minor.patch` for 0..<count: 10 majors × 100 minors × 10 patches for 10,000.
    static func tagNames(_ count: Int) -> [String] {
        (0..<count).map { "\($0 / 1000).\(($0 / 10) % 100).\($0 % 10)" }
    }

    func run() async throws {
        let binary = controllerBinary ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("image-automation-controller").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw BenchmarkError("image-automation-controller not found next to gok-bench (\(binary)): swift build first")
        }
        var names = Self.tagNames(tags)
        names.append("latest")
        names.append("sha256-0123456789abcdef.sig")
        let registry = try FakeRegistryServer.start(.init(tags: names, defaultPageSize: 1000))
        defer { registry.stop() }
        let emulator = try EmulatorProcess()
        defer { emulator.stop() }
        let client = try emulator.client()
        try await client.installCRDs(from: crdDirectory, groups: ["image.toolkit.fluxcd.io", "source.toolkit.fluxcd.io"], fieldManager: "gok-bench")
        _ = try await client.apply(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "images"]],
                                   fieldManager: "gok-bench")

        let root = try ArtifactTestSupport.makeDirectory("bench-image-scan")
        defer { ArtifactTestSupport.cleanUp(root) }
        let log = controllerLog.map { path in
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            return FileHandle(forWritingAtPath: path) ?? FileHandle.nullDevice
        } ?? FileHandle.nullDevice
        let controller = Process()
        controller.executableURL = URL(fileURLWithPath: binary)
        controller.arguments = ["--kubeconfig", emulator.kubeconfigPath, "--metrics-addr", "0", "--health-addr", "0",
                                "--storage-path", root + "/storage", "--log-level", controllerLog == nil ? "error" : "info"]
        controller.standardOutput = log
        controller.standardError = log
        try controller.run()
        defer {
            controller.terminate()
            controller.waitUntilExit()
        }
        let pid = controller.processIdentifier
        try await Task.sleep(for: .seconds(2))
        let idleRSS = ProcessMemory.currentRSSMiB(pid: pid)
        let idleAnonymous = ProcessMemory.anonymousRSSMiB(pid: pid)

        let image = "\(registry.host)/bench/app"
        let start = ContinuousClock.now
        _ = try await client.create(
            ["apiVersion": "image.toolkit.fluxcd.io/v1", "kind": "ImageRepository",
             "metadata": ["name": "app", "namespace": "images"], "spec": ["image": .string(image), "interval": "1h"]],
            options: WriteOptions())
        _ = try await client.create(
            ["apiVersion": "image.toolkit.fluxcd.io/v1", "kind": "ImagePolicy",
             "metadata": ["name": "semver", "namespace": "images"],
             "spec": ["imageRepositoryRef": ["name": "app"], "policy": ["semver": ["range": ">=1.0.0 <9.0.0"]]]],
            options: WriteOptions())
        _ = try await client.create(
            ["apiVersion": "image.toolkit.fluxcd.io/v1", "kind": "ImagePolicy",
             "metadata": ["name": "filtered", "namespace": "images"],
             "spec": ["imageRepositoryRef": ["name": "app"], "policy": ["numerical": ["order": "asc"]],
                      "filterTags": ["pattern": #"^5\.(?P<minor>[0-9]+)\.9$"#, "extract": "$minor"]]],
            options: WriteOptions())
        let expected = ["semver": "8.99.9", "filtered": "5.99.9"]
        try await waitForPolicies(client, expected, controller: controller)
        let scanWall = (ContinuousClock.now - start).seconds
        let repository = try ImageRepository(from: try await client.get(ImageRepository.kind, ObjectKey(namespace: "images", name: "app")))
        let tagCount = repository.status?.lastScanResult?.tagCount ?? 0

        // One new tag: a reconcile request rescans and both policies follow.
        names.append("8.99.10")
        try registry.update(.init(tags: names, defaultPageSize: 1000))
        let rescanStart = ContinuousClock.now
        _ = try await client.requestReconcile(ImageRepository.kind, ObjectKey(namespace: "images", name: "app"))
        try await waitForPolicies(client, ["semver": "8.99.10", "filtered": "5.99.9"], controller: controller)
        let rescanWall = (ContinuousClock.now - rescanStart).seconds

        let peak = ProcessMemory.peakRSSMiB(pid: pid)
        print("image-scan: \(tags) tags (+2: latest, a .sig excluded by default) served in pages of 1,000; 2 ImagePolicies")
        print(String(format: "  create → scanned (%d tags stored) and both policies Ready: %.2f s (budget ≤ 2 s: %@)",
                     tagCount, scanWall, scanWall <= 2 ? "within budget" : "OVER BUDGET"))
        print(String(format: "  reconcile request → rescan → both policies re-elected: %.2f s", rescanWall))
        print(String(format: "  image-automation-controller peak RSS %.1f MiB (budget ≤ 30 MiB: %@); idle %.1f MiB (anonymous %.1f MiB), now %.1f MiB: anonymous %.1f MiB, file-backed %.1f MiB",
                     peak, peak <= 30 ? "within budget" : "OVER BUDGET", idleRSS, idleAnonymous, ProcessMemory.currentRSSMiB(pid: pid),
                     ProcessMemory.anonymousRSSMiB(pid: pid), ProcessMemory.fileRSSMiB(pid: pid)))
    }

    /// Polls until every policy's `latestRef.tag` is the expected one.
    private func waitForPolicies(_ client: KubeClient, _ expected: [String: String], controller: Process) async throws {
        let deadline = ContinuousClock.now + .seconds(120)
        while true {
            guard controller.isRunning else { throw BenchmarkError("image-automation-controller exited (\(controller.terminationStatus))") }
            var done = true
            for (name, tag) in expected {
                let object = try await client.get(ImagePolicy.kind, ObjectKey(namespace: "images", name: name))
                if (try? ImagePolicy(from: object))?.status?.latestRef?.tag != tag { done = false }
            }
            if done { return }
            if ContinuousClock.now > deadline { throw BenchmarkError("policies not elected after 120 s: expected \(expected)") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
