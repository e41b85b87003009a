import ArgumentParser
import Foundation
import GitOpsKit
import KubeEmulator
import Logging

/// `gok demo`: runs a local demo on the embedded KubeEmulator — no cluster needed.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the local demo on the embedded Kubernetes API emulator.",
        discussion: """
            Starts the KubeEmulator (HTTPS, token auth) on loopback, writes a kubeconfig, and drives it with the \
            GitOpsKit client: server-side apply, watches, workload roll-outs, a scale-up and a drift repair. \
            With --keep-running the emulator stays up for kubectl/helm until Ctrl-C.
            """
    )

    @Option(name: .long, help: "Port for the emulator (0 picks a free one).")
    var port = 0

    @Option(name: .long, help: "Where to write the kubeconfig (default: a temporary directory).")
    var kubeconfigOut: String?

    @Flag(name: .long, help: "Keep the emulator running after the demo until Ctrl-C.")
    var keepRunning = false

    func run() async throws {
        var logger = Logger(label: "gok.demo")
        logger.logLevel = .warning
        let emulator = KubeEmulator(
            configuration: KubeEmulatorConfiguration(port: port, workloadDelay: .milliseconds(800)), logger: logger)
        let endpoint = try await emulator.start()
        let narrator = DemoNarrator()
        do {
            let path = try kubeconfigOut ?? Self.temporaryKubeconfigPath()
            try endpoint.writeKubeconfig(to: path, namespace: FoundationDemo.namespace)
            narrator.step("KubeEmulator serving \(endpoint.url)")
            narrator.detail("kubeconfig: \(path)   (try: kubectl --kubeconfig \(path) get all -n \(FoundationDemo.namespace))")
            let client = KubeClient(config: try KubeConfig.load(kubeconfigPaths: [path]))
            try await FoundationDemo(client: client, narrator: narrator).run()
            if keepRunning {
                narrator.step("Emulator keeps running; Ctrl-C stops it.")
                try await emulator.runUntilSignal()
            }
        } catch {
            await emulator.shutdown()
            throw error
        }
        await emulator.shutdown()
    }

    private static func temporaryKubeconfigPath() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gok-demo-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent("kubeconfig").path
    }
}
