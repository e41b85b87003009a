import ArgumentParser
import Foundation
import GitOpsKit
import Logging

/// `gok demo`: the README's main job — the first GitOps loop on the embedded KubeEmulator, no cluster needed.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the GitOps loop locally: emulator, the four Flux controllers, a Git and a Helm repository.",
        discussion: """
            Starts the KubeEmulator in-process and the source-, kustomize-, helm- and notification-controller \
            binaries (found next to gok) as child processes; serves a Helm repository (a chart it packages) and a \
            webhook from gok itself; creates a local Git repository holding an app (base + overlay) and a \
            HelmRelease; and applies a Provider and an Alert to the webhook, a GitRepository and a Kustomization. \
            It narrates the revision fetched, the change set applied, the release installed, health and the \
            notifications as they arrive, then a commit applied and a hand-made drift corrected, and stops \
            everything it started (also on Ctrl-C or SIGTERM). It runs to completion without input; with \
            --keep-running everything stays up for kubectl until Ctrl-C.
            """
    )

    @Option(name: .long, help: "Port for the emulator (0 picks a free one).")
    var port = 0

    @Option(name: .long, help: "Where to write the kubeconfig (default: the demo's temporary directory).")
    var kubeconfigOut: String?

    @Flag(name: .long, help: "Keep everything running after the demo until Ctrl-C.")
    var keepRunning = false

    @Option(name: .long, help: "Where the source-, kustomize-, helm- and notification-controller binaries are (default: next to gok).")
    var binDir: String?

    @Option(name: .long, help: "GitOpsKit's config/crd/bases (default: found above gok or the working directory).")
    var crdDirectory: String?

    func run() async throws {
        let narrator = DemoNarrator()
        let installation: DemoInstallation
        do {
            installation = try DemoInstallation.locate(binDirectory: binDir, crdDirectory: crdDirectory)
        } catch {
            narrator.error("Error: \(error.message)")
            throw ExitCode(1)
        }
        // From here on a signal stops the demo and what it started, instead of killing gok alone; so does a closed
        // stdout (`gok demo | head`): SIGPIPE is ignored in this process (SwiftNIO ignores it), writes fail instead.
        let watcher = try SignalWatcher()
        let signals = watcher.signals
        let stop = watcher.continuation
        narrator.onOutputClosed { stop.yield(SIGPIPE) }
        let environment = try DemoEnvironment()
        var logger = Logger(label: "gok.demo")
        logger.logLevel = .warning
        let demo = GitOpsLoopDemo(environment: environment, installation: installation, narrator: narrator,
                                  kubeconfigPath: kubeconfigOut ?? environment.scratch + "/kubeconfig", port: port,
                                  logger: logger)
        let keepRunning = self.keepRunning

        let outcome = await withTaskGroup(of: DemoOutcome.self) { group in
            group.addTask {
                do {
                    try await demo.run()
                    return .finished
                } catch {
                    return .failed(error)
                }
            }
            group.addTask { .signalled(await SignalWatcher.next(of: signals) ?? 0) }
            var outcome = await group.next() ?? .finished
            if case .finished = outcome, keepRunning {
                narrator.step("Everything keeps running; Ctrl-C stops it")
                narrator.detail("kubectl --kubeconfig \(demo.kubeconfigPath) get gitrepositories,kustomizations,helmrepositories,helmreleases,alerts -n \(DemoCluster.fluxNamespace)")
                narrator.detail("kubectl --kubeconfig \(demo.kubeconfigPath) get all,configmaps -n \(DemoApp.namespace)")
                narrator.detail("(commit in \(environment.scratch)/git/work and `git push`: the controllers keep reconciling)")
                if case .signalled = await group.next() ?? .finished { outcome = .finished }
            }
            group.cancelAll()
            return outcome
        }
        withExtendedLifetime(watcher) {}

        switch outcome {
        case .finished:
            narrator.step("Stop everything the demo started")
        case .signalled(let number):
            narrator.step("\(SignalWatcher.name(number)) received: stop everything the demo started")
        case .failed(let error):
            narrator.error("\nError: \(error)")
            for child in environment.children {
                narrator.error("--- last lines of \(child.name)'s log ---\n\(child.logTail())")
            }
            narrator.step("Stop everything the demo started")
        }
        await environment.stop(narrator: narrator)

        switch outcome {
        case .finished:
            narrator.line("\nDone in \(DemoNarrator.seconds(ContinuousClock.now - narrator.start)).")
        case .signalled(let number):
            narrator.line("\nInterrupted after \(DemoNarrator.seconds(ContinuousClock.now - narrator.start)).")
            throw ExitCode(128 + number)
        case .failed:
            throw ExitCode(1)
        }
    }
}

/// How the demo's main task ended.
enum DemoOutcome: Sendable {
    case finished
    case signalled(Int32)
    case failed(any Error)
}
