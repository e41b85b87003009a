import ArgumentParser
import GitOpsKit

/// `gok trace <kind>/<name>`: which Flux object manages an object (from the origin labels kustomize- and
/// helm-controller set), which source that one reads and at which revision — up the chain of owners.
struct TraceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace", abstract: "Show how an object got into the cluster: owner, source, revision.",
        discussion: "Example: gok trace deployment/web -n apps")

    @OptionGroup var cluster: ClusterOptions
    @Argument(help: "The object, <kind>/<name> (kind as in kubectl: deployment, configmap, …).") var object: String
    @Option(help: "The object's apiVersion, when the kind is ambiguous.") var apiVersion: String?

    func run() async throws {
        try await CLIRun.guarded {
            let api = try cluster.client()
            let parts = object.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw ValidationError("name the object as <kind>/<name>, e.g. deployment/web") }
            let mapping = try await Self.resolve(kind: parts[0], apiVersion: apiVersion, api: api)
            let key = ObjectKey(namespace: mapping.namespaced ? cluster.namespace : nil, name: parts[1])
            var current = try await api.get(mapping.kind, key)
            var sections = [Self.describe(current, title: mapping.kind.kind)]
            var visited: Set<String> = []
            while let owner = Self.owner(of: current), visited.insert("\(owner.0.kind)/\(owner.1)").inserted {
                guard let object = try await api.getIfPresent(owner.0, owner.1) else {
                    sections.append(["\(owner.0.kind):": "\(owner.1.name) (not found: managed by a deleted object)"].asSection)
                    break
                }
                sections.append(Self.describe(object, title: owner.0.kind))
                if let (sourceKind, sourceKey) = ReconcileCommand.source(of: object, namespace: owner.1.namespace ?? ""),
                   let source = try await api.getIfPresent(sourceKind, sourceKey) {
                    sections.append(Self.describe(source, title: sourceKind.kind))
                }
                current = object
            }
            if sections.count == 1 {
                throw CLIError("\(mapping.kind.kind)/\(parts[1]) is not managed by Flux (no kustomize.toolkit.fluxcd.io or helm.toolkit.fluxcd.io labels)")
            }
            Terminal.output(sections.map { $0.map { "\($0.0.padded(16))\($0.1)" }.joined(separator: "\n") }.joined(separator: "\n---\n"))
        }
    }

    /// A kubectl-style kind word (`deployment`, `deploy`, `Deployment`, `deployments.apps`) to its mapping.
    static func resolve(kind word: String, apiVersion: String?, api: KubeClient) async throws -> ResourceMapping {
        let lowered = word.lowercased()
        let candidates = try await api.discoverResources().filter { mapping in
            let kind = mapping.kind.kind.lowercased()
            let names = [kind, mapping.resource.resource, mapping.resource.resource + "." + mapping.kind.group]
            return (names.contains(lowered) || (lowered == "deploy" && kind == "deployment") || (lowered == "cm" && kind == "configmap")
                || (lowered == "svc" && kind == "service") || (lowered == "ns" && kind == "namespace"))
                && (apiVersion == nil || mapping.kind.apiVersion == apiVersion)
        }
        guard let mapping = candidates.first(where: { $0.kind.group.isEmpty || $0.kind.group == "apps" }) ?? candidates.first else {
            throw CLIError("the server does not serve a kind \"\(word)\"\(apiVersion.map { " in \($0)" } ?? "")")
        }
        return mapping
    }

    /// The Kustomization or HelmRelease whose origin labels the object carries.
    static func owner(of object: JSONValue) -> (GroupVersionKind, ObjectKey)? {
        let labels = object[path: "metadata", "labels"]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
        for (prefix, kind) in [("kustomize.toolkit.fluxcd.io", Kustomization.kind), ("helm.toolkit.fluxcd.io", HelmRelease.kind)] {
            if let name = labels["\(prefix)/name"], let namespace = labels["\(prefix)/namespace"] {
                return (kind, ObjectKey(namespace: namespace, name: name))
            }
        }
        return nil
    }

    /// The lines of one section: the object, where it is, and what its status says.
    static func describe(_ object: JSONValue, title: String) -> [(String, String)] {
        var lines: [(String, String)] = [("\(title):", object[path: "metadata", "name"]?.stringValue ?? "")]
        if let namespace = object[path: "metadata", "namespace"]?.stringValue { lines.append(("Namespace:", namespace)) }
        if let url = object[path: "spec", "url"]?.stringValue { lines.append(("URL:", url)) }
        if let path = object[path: "spec", "path"]?.stringValue { lines.append(("Path:", path)) }
        if let chart = object[path: "spec", "chart", "spec", "chart"]?.stringValue { lines.append(("Chart:", chart)) }
        if let revision = ReadinessWaiter.revision(of: object) { lines.append(("Revision:", revision)) }
        if let ready = FluxResource.readyCondition(object) {
            let status = ready["status"] == "True" ? "Ready" : "Not ready (\(ready["reason"]?.stringValue ?? ""))"
            lines.append(("Status:", "\(status), last transition \(ready["lastTransitionTime"]?.stringValue ?? "")"))
            lines.append(("Message:", ready["message"]?.stringValue ?? ""))
        } else if owner(of: object) != nil {
            lines.append(("Status:", "Managed by Flux"))
        }
        return lines
    }
}

extension String {
    func padded(_ width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }
}

extension Dictionary where Key == String, Value == String {
    var asSection: [(String, String)] { sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }
}
