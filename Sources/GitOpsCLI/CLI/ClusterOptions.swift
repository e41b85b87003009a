import ArgumentParser
import FoundationEssentials
import GitOpsKit

/// The flags every cluster-facing command shares, named as in the `flux` CLI.
struct ClusterOptions: ParsableArguments {
    @Option(name: .long, help: "Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config).")
    var kubeconfig: String?

    @Option(name: .long, help: "The kubeconfig context to use.")
    var context: String?

    @Option(name: .shortAndLong, help: "The namespace scope for this operation.")
    var namespace = "flux-system"

    @Option(name: .long, help: "How long to wait for an operation (Go duration, e.g. 5m0s).")
    var timeout = "5m"

    /// A client for the chosen kubeconfig and context; the error says how to point gok at a cluster.
    func client() throws -> KubeClient {
        do {
            let config = if let kubeconfig {
                try KubeConfig.load(kubeconfigPaths: [kubeconfig], context: context)
            } else {
                try KubeConfig.load(context: context)
            }
            return KubeClient(config: config, options: KubeClient.Options(qps: 100, burst: 200))
        } catch {
            throw CLIError("\(error.message)\nPoint gok at a cluster with --kubeconfig or KUBECONFIG (`gok demo --keep-running` starts a local one).")
        }
    }

    var timeoutDuration: Duration {
        get throws {
            guard let value = try? FluxDuration(parsing: timeout) else { throw CLIError("--timeout: invalid duration \"\(timeout)\"") }
            return value.duration
        }
    }
}

/// `-A`, for the commands that can span namespaces.
struct ScopeOptions: ParsableArguments {
    @Flag(name: [.customShort("A"), .customLong("all-namespaces")], help: "List the objects across all namespaces.")
    var allNamespaces = false
}

/// `-o table|yaml|json`.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, yaml, json
}

/// A failure the user can act on: printed as `✗ message`, exit status 1.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
