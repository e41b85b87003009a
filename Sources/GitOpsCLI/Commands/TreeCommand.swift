import ArgumentParser
import GitOpsKit
import HelmControllerKit

/// `gok tree kustomization <name>`: what a Kustomization applied (its inventory), with nested Kustomizations and
/// HelmReleases (from the Helm release's manifest) expanded, as `flux tree` draws it.
struct TreeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tree", abstract: "Show the objects a Flux object manages.")

    @OptionGroup var cluster: ClusterOptions
    @Argument(help: "kustomization <name> or helmrelease <name>.") var words: [String]
    @Option(name: .shortAndLong, help: "Output format: table (a tree), yaml or json.") var output: OutputFormat = .table

    func run() async throws {
        try await CLIRun.guarded {
            let target = try ObjectTarget(words)
            guard [Kustomization.kind, HelmRelease.kind].contains(target.resource.kind) else {
                throw CLIError("tree works on a Kustomization or a HelmRelease")
            }
            let root = ObjectRef(kind: target.resource.kind, namespace: cluster.namespace, name: target.name)
            let tree = try await InventoryTree(api: try cluster.client()).expand(root)
            switch output {
            case .table: Terminal.output(tree.rendered())
            case .yaml, .json: Terminal.output(Terminal.format([tree.json], as: output))
            }
        }
    }
}

/// An object named by kind, namespace and name.
struct ObjectRef: Hashable {
    var kind: GroupVersionKind
    var namespace: String
    var name: String

    var description: String { namespace.isEmpty ? "\(kind.kind)/\(name)" : "\(kind.kind)/\(namespace)/\(name)" }
}

/// A node of the tree: an object and what it manages.
struct TreeNode {
    var object: ObjectRef
    var children: [TreeNode] = []

    /// `flux tree`'s drawing: `├──`, `└──`, `│   ` indentation.
    func rendered() -> String {
        var lines = [object.description]
        append(children, prefix: "", to: &lines)
        return lines.joined(separator: "\n")
    }

    private func append(_ nodes: [TreeNode], prefix: String, to lines: inout [String]) {
        for (index, node) in nodes.enumerated() {
            let last = index == nodes.count - 1
            lines.append(prefix + (last ? "└── " : "├── ") + node.object.description)
            node.append(node.children, prefix: prefix + (last ? "    " : "│   "), to: &lines)
        }
    }

    var json: JSONValue {
        var value: JSONValue = ["kind": .string(object.kind.kind), "apiVersion": .string(object.kind.apiVersion),
                                "name": .string(object.name)]
        if !object.namespace.isEmpty { value["namespace"] = .string(object.namespace) }
        if !children.isEmpty { value["resources"] = .array(children.map(\.json)) }
        return value
    }
}

/// Walks inventories: a Kustomization's `status.inventory`, a HelmRelease's latest release manifest.
struct InventoryTree {
    var api: KubeClient

    func expand(_ root: ObjectRef, depth: Int = 0) async throws -> TreeNode {
        var node = TreeNode(object: root)
        guard depth < 16 else { return node }  // a Kustomization that (indirectly) applies itself
        let children: [ObjectRef]
        switch root.kind.group {
        case Kustomization.kind.group where root.kind.kind == Kustomization.kind.kind:
            children = try await kustomizationInventory(root)
        case HelmRelease.kind.group where root.kind.kind == HelmRelease.kind.kind:
            children = try await helmReleaseObjects(root)
        default:
            return node
        }
        for child in children {
            let managesMore = (child.kind.group == Kustomization.kind.group && child.kind.kind == Kustomization.kind.kind)
                || (child.kind.group == HelmRelease.kind.group && child.kind.kind == HelmRelease.kind.kind)
            node.children.append(managesMore ? try await expand(child, depth: depth + 1) : TreeNode(object: child))
        }
        return node
    }

    private func kustomizationInventory(_ root: ObjectRef) async throws -> [ObjectRef] {
        let object = try await api.get(Kustomization.kind, ObjectKey(namespace: root.namespace, name: root.name))
        let entries = (try? Kustomization(from: object))?.status?.inventory?.entries ?? []
        return entries.compactMap { entry in
            guard let parts = entry.parts, let kind = entry.kind else { return nil }
            return ObjectRef(kind: kind, namespace: parts.namespace, name: parts.name)
        }
    }

    private func helmReleaseObjects(_ root: ObjectRef) async throws -> [ObjectRef] {
        let object = try await api.get(HelmRelease.kind, ObjectKey(namespace: root.namespace, name: root.name))
        let release = try HelmRelease(from: object)
        guard let stored = try await ReleaseStorage(api: api, namespace: release.storageNamespace).last(release.releaseName) else {
            return []
        }
        var references: [ObjectRef] = []
        for document in (try? YAML.decodeAll(stored.manifest)) ?? [] {
            guard let kind = GroupVersionKind(of: document), let name = document[path: "metadata", "name"]?.stringValue else { continue }
            var namespace = document[path: "metadata", "namespace"]?.stringValue ?? ""
            if namespace.isEmpty, (try? await api.mapping(for: kind))?.namespaced ?? true { namespace = release.releaseNamespace }
            references.append(ObjectRef(kind: kind, namespace: namespace, name: name))
        }
        return references
    }
}
