import Foundation
import Testing

/// `gok demo`, the README's main job, run as the built binary: every stage of the GitOps loop happens (first
/// revision applied with its HelmRelease installed from gok's Helm repository, the Alert's notifications received
/// at gok's webhook, a commit applied, a hand-made drift corrected), and nothing it started outlives it — neither
/// after a normal run nor after Ctrl-C or SIGTERM in the middle.
@Suite(.serialized)
struct DemoEndToEndTests {
    @Test func demoRunsTheLoopAndLeavesNothingRunning() async throws {
        let directory = try TemporaryDirectory()
        let demo = try ControllerProcessRunner(binary: try executable("gok"), arguments: ["demo"], directory: directory)
        defer { demo.kill() }
        let status = try await demo.waitForExit(timeout: .seconds(120))
        let output = demo.log()
        #expect(status == 0, "gok demo failed (\(status)):\n\(output)")

        // The four controllers ran as child processes.
        let pids = Self.controllerPIDs(in: output)
        #expect(Set(pids.keys) == Self.controllers, "\(output)")
        #expect(output.contains("4 controllers running; events go to notification-controller"), "\(output)")
        #expect(output.contains("Helm repository http://127.0.0.1:"), "\(output)")

        // Two revisions fetched and applied: the first commit, then the scale-up.
        let revisions = Self.matches(#"revision (main@sha1:[0-9a-f]{40}), fetched"#, in: output)
        #expect(revisions.count == 2 && Set(revisions).count == 2, "\(output)")
        for revision in revisions {
            #expect(output.contains("Ready=True ReconciliationSucceeded: Applied revision: \(revision)"), "\(output)")
        }
        let (beforeCommit, afterCommit) = try Self.split(output, at: "Commit a change")
        #expect(beforeCommit.contains("Namespace/demo created"))
        #expect(beforeCommit.contains("ConfigMap/demo/web-config created"))
        #expect(beforeCommit.contains("Deployment/demo/web created"))
        #expect(beforeCommit.contains("Service/demo/web created"))
        #expect(beforeCommit.contains("HelmRepository/flux-system/hello created"), "\(beforeCommit)")
        #expect(beforeCommit.contains("HelmRelease/flux-system/hello created"), "\(beforeCommit)")
        #expect(beforeCommit.contains("Deployment demo/web: 2/2 replicas ready"), "\(beforeCommit)")

        // The HelmRelease, installed from the chart gok serves, and what it made.
        #expect(beforeCommit.contains("HelmRepository flux-system/hello: index.yaml fetched, revision sha256:"), "\(beforeCommit)")
        #expect(beforeCommit.contains("HelmRelease flux-system/hello installed: chart hello@0.1.0, release demo/hello revision 1 (deployed)"),
                "\(beforeCommit)")
        #expect(beforeCommit.contains("Ready=True InstallSucceeded: Helm install succeeded for release demo/hello.v1 with chart hello@0.1.0"),
                "\(beforeCommit)")
        #expect(beforeCommit.contains("ConfigMap demo/hello-greeting: greeting=\"hello from a HelmRelease\"; Deployment demo/hello: 2/2 replicas ready"),
                "\(beforeCommit)")
        // The Alert's notifications, at gok's webhook, as they arrived.
        #expect(beforeCommit.contains("notification HelmRelease/flux-system/hello InstallSucceeded (info"), "\(beforeCommit)")
        #expect(beforeCommit.contains("notification Kustomization/flux-system/fleet ReconciliationSucceeded (info"), "\(beforeCommit)")

        let (commitStage, driftStage) = try Self.split(afterCommit, at: "Drift by hand")
        #expect(commitStage.contains("ConfigMap/demo/web-config configured"), "\(commitStage)")
        #expect(commitStage.contains("Deployment/demo/web configured"), "\(commitStage)")
        #expect(commitStage.contains("HelmRelease/flux-system/hello configured"), "\(commitStage)")
        #expect(commitStage.contains("HelmRelease flux-system/hello upgraded: chart hello@0.1.0, release demo/hello revision 2 (deployed)"),
                "\(commitStage)")
        #expect(commitStage.contains("greeting=\"hello from the HelmRelease's second revision\""), "\(commitStage)")
        #expect(commitStage.contains("notification HelmRelease/flux-system/hello UpgradeSucceeded (info"), "\(commitStage)")
        #expect(commitStage.contains("Deployment demo/web: 3/3 replicas ready"), "\(commitStage)")
        #expect(commitStage.contains("PODINFO_UI_MESSAGE=\"hello again, from the second commit\""), "\(commitStage)")

        // The drift: made, then corrected by the interval reconcile (no request), with its change set.
        #expect(driftStage.contains("ConfigMap gone"), "\(driftStage)")
        #expect(driftStage.contains("spec.replicas=1"), "\(driftStage)")
        #expect(driftStage.contains("spec.interval 5s"), "\(driftStage)")
        let (_, corrected) = try Self.split(driftStage, at: "corrects the drift")
        #expect(corrected.contains("ConfigMap/demo/web-config created"), "\(corrected)")
        #expect(corrected.contains("Deployment/demo/web configured"), "\(corrected)")
        #expect(corrected.contains("Deployment demo/web: 3/3 replicas ready"), "\(corrected)")
        #expect(corrected.contains("PODINFO_UI_MESSAGE=\"hello again, from the second commit\""), "\(corrected)")
        #expect(corrected.contains("notification Kustomization/flux-system/fleet Progressing (info"), "\(corrected)")
        let (_, tally) = try Self.split(corrected, at: "Notifications received by gok's webhook through the Alert: ")
        #expect(tally.contains("× HelmRelease/flux-system/hello InstallSucceeded"), "\(tally)")

        // Stopped cleanly, nothing left behind.
        for name in pids.keys {
            #expect(output.contains("\(name) (pid \(pids[name] ?? 0)) exited with status 0"), "\(output)")
        }
        #expect(output.contains("gok's HTTP server (Helm repository, webhook) stopped"), "\(output)")
        #expect(output.contains("KubeEmulator stopped"))
        try Self.expectNothingLeft(pids: pids, output: output)
    }

    static let controllers: Set<String> = ["source-controller", "kustomize-controller", "helm-controller", "notification-controller"]

    /// Ctrl-C while kustomize-controller works on the first revision; SIGTERM (a service manager, `kill`) right
    /// after the controllers started, and while helm-controller installs the release.
    @Test(arguments: [(SIGINT, "kustomize-controller builds"), (SIGTERM, "4 controllers running"),
                      (SIGTERM, "helm-controller installs")])
    func aSignalStopsEverythingPromptly(signal: Int32, when stage: String) async throws {
        let directory = try TemporaryDirectory()
        let demo = try ControllerProcessRunner(binary: try executable("gok"), arguments: ["demo"], directory: directory)
        defer { demo.kill() }
        let reached = try await eventually(timeout: .seconds(60)) { demo.log().contains(stage) || !demo.isRunning }
        #expect(reached && demo.isRunning, "the demo never reached \"\(stage)\":\n\(demo.log())")
        #expect(Set(Self.controllerPIDs(in: demo.log()).keys) == Self.controllers, "\(demo.log())")
        let sent = ContinuousClock.now
        demo.signal(signal)
        let status = try await demo.waitForExit(timeout: .seconds(15))
        let elapsed = ContinuousClock.now - sent
        let output = demo.log()
        let name = signal == SIGINT ? "SIGINT" : "SIGTERM"
        #expect(status == 128 + signal, "exit status \(status):\n\(output)")
        #expect(elapsed < .seconds(8), "took \(elapsed) to stop:\n\(output)")
        #expect(output.contains("\(name) received: stop everything the demo started"), "\(output)")
        #expect(!output.contains("Drift by hand"), "the demo went on after \(name):\n\(output)")
        #expect(output.contains("gok's HTTP server (Helm repository, webhook) stopped"), "\(output)")
        // Each drained and exited on its own: stopped consumers first, none waited on one already gone.
        let pids = Self.controllerPIDs(in: output)
        for name in pids.keys {
            #expect(output.contains("\(name) (pid \(pids[name] ?? 0)) exited with status 0"), "\(output)")
        }
        try Self.expectNothingLeft(pids: pids, output: output)
    }

    /// `gok demo | head`: the reader of gok's output goes away while the controllers run. gok must neither trap on
    /// EPIPE nor narrate on to nobody: it stops what it started at once and exits as a pipeline member that lost
    /// its reader (141).
    @Test func aClosedOutputStopsEverything() async throws {
        let gok = Process()
        gok.executableURL = URL(fileURLWithPath: try executable("gok"))
        gok.arguments = ["demo"]
        let output = Pipe()
        gok.standardOutput = output
        gok.standardError = FileHandle.nullDevice
        try gok.run()
        defer { if gok.isRunning { kill(gok.processIdentifier, SIGKILL) } }
        // Read as `head` would, until the controllers run, then close the pipe.
        var text = ""
        while !text.contains("4 controllers running") {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        try output.fileHandleForReading.close()
        #expect(text.contains("4 controllers running"), "gok ended early:\n\(text)")
        let pids = Self.controllerPIDs(in: text)
        #expect(Set(pids.keys) == Self.controllers, "\(text)")
        let scratch = try #require(Self.matches(#"scratch directory (\S+)"#, in: text).first, "\(text)")

        let exited = try await eventually(timeout: .seconds(30)) { !gok.isRunning }
        #expect(exited, "gok still runs 30 s after its output closed")
        gok.waitUntilExit()
        #expect(gok.terminationReason == .exit && gok.terminationStatus == 128 + SIGPIPE,
                "gok ended by \(gok.terminationReason == .exit ? "exit with status" : "signal") \(gok.terminationStatus)")
        for (name, pid) in pids {
            #expect(!FileManager.default.fileExists(atPath: "/proc/\(pid)"), "\(name) (pid \(pid)) still exists")
        }
        #expect(!FileManager.default.fileExists(atPath: scratch), "\(scratch) was not removed")
    }

    @Test func missingControllersAreNamedWithTheBuildCommand() async throws {
        let directory = try TemporaryDirectory()
        let demo = try ControllerProcessRunner(binary: try executable("gok"),
                                               arguments: ["demo", "--bin-dir", directory.path], directory: directory)
        defer { demo.kill() }
        let status = try await demo.waitForExit(timeout: .seconds(20))
        let output = demo.log()
        #expect(status == 1)
        #expect(output.contains("source-controller, kustomize-controller, helm-controller and notification-controller not found in \(directory.path)"),
                "\(output)")
        #expect(output.contains("swift build --product source-controller && swift build --product kustomize-controller && swift build --product helm-controller && swift build --product notification-controller"),
                "\(output)")
        #expect(!output.contains("KubeEmulator"), "started something before checking: \(output)")
    }

    // MARK: Helpers

    /// Controller name → pid, from the lines `source-controller  pid 1234, ready in …`.
    static func controllerPIDs(in output: String) -> [String: Int32] {
        var pids: [String: Int32] = [:]
        let regex = try? NSRegularExpression(pattern: #"(\S+-controller) +pid (\d+), ready"#)
        let range = NSRange(output.startIndex..., in: output)
        for match in regex?.matches(in: output, range: range) ?? [] {
            guard let name = Range(match.range(at: 1), in: output), let pid = Range(match.range(at: 2), in: output) else { continue }
            pids[String(output[name])] = Int32(output[pid])
        }
        return pids
    }

    static func matches(_ pattern: String, in output: String) -> [String] {
        let regex = try? NSRegularExpression(pattern: pattern)
        return (regex?.matches(in: output, range: NSRange(output.startIndex..., in: output)) ?? []).compactMap {
            Range($0.range(at: 1), in: output).map { String(output[$0]) }
        }
    }

    /// The text before and after the first `marker`.
    static func split(_ text: String, at marker: String) throws -> (String, String) {
        guard let range = text.range(of: marker) else { throw EndToEndError("no \"\(marker)\" in:\n\(text)") }
        return (String(text[..<range.lowerBound]), String(text[range.upperBound...]))
    }

    /// The controllers are gone (not even zombies), the scratch directory is removed, and no process anywhere
    /// still refers to it (its path is in every child's command line).
    static func expectNothingLeft(pids: [String: Int32], output: String) throws {
        for (name, pid) in pids {
            #expect(!FileManager.default.fileExists(atPath: "/proc/\(pid)"), "\(name) (pid \(pid)) still exists")
        }
        let scratch = try #require(matches(#"scratch directory (\S+)"#, in: output).first, "\(output)")
        #expect(!FileManager.default.fileExists(atPath: scratch), "\(scratch) was not removed")
        #expect(output.contains("removed \(scratch)"))
        let survivors = (try FileManager.default.contentsOfDirectory(atPath: "/proc")).filter { entry in
            guard Int32(entry) != nil, let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return false }
            return String(decoding: data, as: UTF8.self).contains(scratch)
        }
        #expect(survivors.isEmpty, "processes still running with \(scratch): \(survivors)")
    }
}
