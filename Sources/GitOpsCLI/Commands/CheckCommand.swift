import ArgumentParser
import GitOpsKit

/// `gok check`: the cluster meets the prerequisites, the Flux CRDs are established and the controllers are ready.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Check prerequisites, CRDs and controllers.")

    /// The oldest Kubernetes minor version the Flux APIs we implement are tested with.
    static let minimumMinor = 28

    @OptionGroup var cluster: ClusterOptions
    @Flag(help: "Only check the prerequisites (before install).") var pre = false

    func run() async throws {
        var failed = false
        try await CLIRun.guarded {
            let api = try cluster.client()
            Terminal.action("checking prerequisites")
            let version = try await api.serverVersion()
            let minor = Int((version["minor"]?.stringValue ?? "").prefix { $0.isNumber }) ?? 0
            let gitVersion = version["gitVersion"]?.stringValue ?? "unknown"
            if minor >= Self.minimumMinor {
                Terminal.success("Kubernetes \(gitVersion) >=1.\(Self.minimumMinor).0-0")
            } else {
                Terminal.failure("Kubernetes \(gitVersion) is older than 1.\(Self.minimumMinor); upgrade the cluster")
                failed = true
            }
            if pre { return }

            Terminal.action("checking controllers")
            let deployments = try await api.listAll(GroupVersionKind(group: "apps", version: "v1", kind: "Deployment"),
                                                    namespace: cluster.namespace,
                                                    options: ListOptions(labelSelector: "app.kubernetes.io/part-of=gitopskit")).items
            if deployments.isEmpty {
                Terminal.failure("no GitOpsKit controllers in \(cluster.namespace) (label app.kubernetes.io/part-of=gitopskit); run `gok install`")
                failed = true
            }
            for deployment in deployments {
                let name = deployment[path: "metadata", "name"]?.stringValue ?? ""
                let wanted = deployment[path: "spec", "replicas"]?.intValue ?? 1
                let ready = deployment[path: "status", "readyReplicas"]?.intValue ?? 0
                let image = deployment[path: "spec", "template", "spec", "containers"]?.arrayValue?.first?["image"]?.stringValue ?? ""
                if ready >= wanted {
                    Terminal.success("\(name): deployment ready (\(image))")
                } else {
                    Terminal.failure("\(name): \(ready)/\(wanted) replicas ready; see `kubectl -n \(cluster.namespace) describe deployment \(name)`")
                    failed = true
                }
            }

            Terminal.action("checking crds")
            let crds = try await api.listAll(GroupVersionKind(group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition"), namespace: nil).items
            let byName = Dictionary(crds.compactMap { crd in crd[path: "metadata", "name"]?.stringValue.map { ($0, crd) } },
                                    uniquingKeysWith: { first, _ in first })
            for resource in FluxResource.all {
                let name = "\(Self.plural(resource.kind.kind)).\(resource.kind.group)"
                guard let crd = byName[name] else {
                    if resource.kind.group == ImagePolicy.kind.group { continue }  // image automation is optional
                    Terminal.failure("\(name) is not installed; run `gok install`")
                    failed = true
                    continue
                }
                let established = crd[path: "status", "conditions"]?.arrayValue?.contains { $0["type"] == "Established" && $0["status"] == "True" } ?? false
                let versions = crd[path: "spec", "versions"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
                if established, versions.contains(resource.kind.version) {
                    Terminal.success("\(name)/\(resource.kind.version)")
                } else {
                    Terminal.failure("\(name): \(established ? "does not serve \(resource.kind.version)" : "not established")")
                    failed = true
                }
            }
        }
        if failed {
            Terminal.failure("check failed")
            throw ExitCode(1)
        }
        Terminal.success("all checks passed")
    }

    static func plural(_ kind: String) -> String {
        let lower = kind.lowercased()
        return lower.hasSuffix("y") ? String(lower.dropLast()) + "ies" : lower + "s"
    }
}

/// `gok completion bash|zsh|fish`: the shell completion script.
struct CompletionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "completion", abstract: "Print the shell completion script.",
        discussion: "bash: source <(gok completion bash); zsh: gok completion zsh > \"${fpath[1]}/_gok\"")

    @Argument(help: "bash, zsh or fish.") var shell: String

    func run() throws {
        guard let kind = CompletionShell(rawValue: shell) else { throw ValidationError("unsupported shell \"\(shell)\": bash, zsh or fish") }
        Terminal.output(Gok.completionScript(for: kind))
    }
}
