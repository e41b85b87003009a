import ArgumentParser
import GitOpsKit

/// `gok version`: the client version, and the server's when a cluster is reachable.
struct VersionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the gok version.")

    @Flag(name: .long, help: "Print only the client version; do not contact the cluster.")
    var client = false

    @Option(name: .long, help: "Path to the kubeconfig file.")
    var kubeconfig: String?

    @Option(name: .long, help: "The kubeconfig context to use.")
    var context: String?

    func run() async throws {
        print("gok: v\(GitOpsKit.version)")
        guard !client else { return }
        do {
            let config = try kubeconfig.map { path throws(KubeError) in try KubeConfig.load(kubeconfigPaths: [path], context: context) }
                ?? KubeConfig.load(context: context)
            let kube = KubeClient(config: config)
            let version = try await kube.serverVersion()
            print("kubernetes: \(version["gitVersion"]?.stringValue ?? "unknown")")
        } catch {
            print("kubernetes: unreachable (\(error))")
        }
    }
}
