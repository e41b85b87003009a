import ArgumentParser
import Foundation
import GitOpsKit
import Kustomize

/// `gok install`: renders the chosen controllers from `config/` (built in-process, as `kubectl kustomize` would)
/// and applies them — CRDs first — then waits for the Deployments; `--export` prints the manifests instead.
struct InstallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install", abstract: "Install the controllers (or print their manifests with --export).")

    static let defaultComponents = ["source-controller", "kustomize-controller", "helm-controller", "notification-controller"]
    static let extraComponents = ["image-automation-controller"]

    @OptionGroup var cluster: ClusterOptions
    @Option(help: "The controllers to install, comma-separated.") var components = defaultComponents.joined(separator: ",")
    @Option(help: "Optional controllers to add: image-automation-controller.") var componentsExtra = ""
    @Flag(help: "Print the manifests instead of applying them.") var export = false
    @Option(help: "GitOpsKit's config/ directory (default: found above gok or the working directory).") var manifests: String?

    func run() async throws {
        try await CLIRun.guarded {
            let chosen = try selectedComponents()
            let objects = try InstallManifests(config: try configDirectory()).render(chosen, namespace: cluster.namespace)
            if export {
                Terminal.output(Terminal.format(objects, as: .yaml))
                return
            }
            let api = try cluster.client()
            Terminal.action("installing \(chosen.joined(separator: ", ")) in \(cluster.namespace) namespace")
            let changes = try await ResourceApplier(api: api, fieldManager: ObjectWriter.fieldManager).applyAllStaged(objects)
            for entry in changes.entries { Terminal.success("\(entry)") }
            Terminal.waiting("verifying installation")
            let timeout = try cluster.timeoutDuration
            for component in chosen {
                try await waitForDeployment(component, api: api, timeout: timeout)
                Terminal.success("\(component): deployment ready")
            }
            Terminal.success("install finished")
        }
    }

    private func selectedComponents() throws -> [String] {
        let names = (components + "," + componentsExtra).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        let known = Self.defaultComponents + Self.extraComponents
        for name in names where !known.contains(name) {
            throw CLIError("unknown component \"\(name)\"; choose from \(known.joined(separator: ", "))")
        }
        guard !names.isEmpty else { throw CLIError("--components: choose at least one controller") }
        return known.filter(names.contains)
    }

    private func configDirectory() throws -> String {
        if let manifests { return manifests }
        let starts = [(DemoInstallation.currentExecutable() as NSString).deletingLastPathComponent, FileManager.default.currentDirectoryPath]
        for start in starts {
            var directory = URL(fileURLWithPath: start).standardizedFileURL
            while directory.path != "/" {
                let candidate = directory.appendingPathComponent("config")
                if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("default/kustomization.yaml").path) {
                    return candidate.path
                }
                directory.deleteLastPathComponent()
            }
        }
        throw CLIError("cannot find GitOpsKit's config/ above gok or the working directory; pass --manifests <checkout>/config")
    }

    private func waitForDeployment(_ name: String, api: KubeClient, timeout: Duration) async throws {
        let kind = GroupVersionKind(group: "apps", version: "v1", kind: "Deployment")
        let deadline = ContinuousClock.now + timeout
        while true {
            let deployment = try await api.getIfPresent(kind, ObjectKey(namespace: cluster.namespace, name: name))
            let wanted = deployment?[path: "spec", "replicas"]?.intValue ?? 1
            if let deployment, (deployment[path: "status", "readyReplicas"]?.intValue ?? 0) >= wanted { return }
            guard ContinuousClock.now < deadline else {
                throw CLIError("\(name) is not ready after \(cluster.timeout); see `kubectl -n \(cluster.namespace) describe deployment \(name)`")
            }
            try await Task.sleep(for: .milliseconds(500))
        }
    }
}

/// Renders an installation from `config/`: a kustomization listing the chosen controller directories in the
/// namespace, built in a scratch copy so the checkout is never written to.
struct InstallManifests {
    var config: String

    func render(_ components: [String], namespace: String) throws -> [JSONValue] {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("gok-install-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: config, toPath: scratch + "/config")
        let defaults = try String(contentsOfFile: config + "/default/kustomization.yaml", encoding: .utf8)
        var kustomization = try YAML.decode(defaults)
        kustomization["namespace"] = .string(namespace)
        kustomization["resources"] = .array((["namespace"] + components).map { .string("../\($0)") })
        try FileManager.default.createDirectory(atPath: scratch + "/config/install", withIntermediateDirectories: true)
        try YAML.encode(kustomization).write(toFile: scratch + "/config/install/kustomization.yaml", atomically: true, encoding: .utf8)
        var objects = try KustomizeBuilder(root: scratch + "/config").build(path: "install")
        // The namespace object is named by config/namespace; follow --namespace.
        for index in objects.indices where objects[index]["kind"] == "Namespace" {
            objects[index][path: "metadata", "name"] = .string(namespace)
        }
        return objects
    }
}
