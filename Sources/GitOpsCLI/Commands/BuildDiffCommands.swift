import ArgumentParser
import Foundation
import GitOpsKit
import KustomizeControllerKit

/// `gok build kustomization <name> --path DIR`: what the Kustomization would apply if its source held DIR — built
/// in-process exactly as kustomize-controller builds (overlay, substitutions, owner labels).
struct BuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build", abstract: "Build a Kustomization from a local directory.",
        subcommands: [Build.self])

    struct Build: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "kustomization", abstract: "Print what a Kustomization builds to.",
                                                        aliases: ["ks"])
        @OptionGroup var local: LocalKustomizationOptions

        func run() async throws {
            try await CLIRun.guarded {
                let built = try await local.build()
                Terminal.output(Terminal.format(built.objects, as: .yaml))
            }
        }
    }
}

/// `gok diff kustomization <name> --path DIR`: a server-side dry-run of the local build against the cluster; exit
/// status 1 when something would change.
struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "Show what applying a local directory would change (exit 1 on a difference).",
        subcommands: [Diff.self])

    struct Diff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "kustomization", abstract: "Diff a Kustomization's local build against the cluster.",
                                                        aliases: ["ks"])
        @OptionGroup var local: LocalKustomizationOptions

        func run() async throws {
            var changed = false
            try await CLIRun.guarded {
                let built = try await local.build()
                let api = try local.cluster.client()
                let report = try await ClusterDiff(api: api).diff(built.objects, inventory: built.kustomization)
                if report.isEmpty {
                    Terminal.success("no changes")
                } else {
                    Terminal.output(report.joined(separator: "\n"))
                    changed = true
                }
            }
            if changed { throw ExitCode(1) }
        }
    }
}

/// The Kustomization to build and the local directory standing in for its `spec.path`.
struct LocalKustomizationOptions: ParsableArguments {
    @OptionGroup var cluster: ClusterOptions
    @Argument(help: "The Kustomization's name.") var name: String
    @Option(help: "The local directory to build in place of spec.path.") var path: String
    @Option(help: "Read the Kustomization from this file instead of the cluster.") var kustomizationFile: String?
    @Flag(help: "Do not read anything from the cluster (needs --kustomization-file; substituteFrom is skipped).") var dryRun = false

    /// The built objects and the Kustomization they were built for.
    func build() async throws -> (objects: [JSONValue], kustomization: Kustomization) {
        var kustomization = try await loadKustomization()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError("--path: \(path) is not a directory")
        }
        let directory = URL(fileURLWithPath: path).standardizedFileURL.path
        let root = Self.repositoryRoot(of: directory)
        let relative = directory == root ? "./" : "./" + directory.dropFirst(root.count + 1)
        kustomization.spec.path = relative
        if dryRun { kustomization.spec.postBuild?.substituteFrom = nil }
        let api: any KubernetesAPI = dryRun ? OfflineAPI() : try cluster.client()
        let built = try await KustomizationBuild(api: api).objects(for: kustomization, root: root)
        return (built.objects, kustomization)
    }

    private func loadKustomization() async throws -> Kustomization {
        if let kustomizationFile {
            guard let text = try? String(contentsOfFile: kustomizationFile, encoding: .utf8) else {
                throw CLIError("--kustomization-file: cannot read \(kustomizationFile)")
            }
            let documents = try YAML.decodeAll(text)
            guard let object = documents.first(where: { $0["kind"] == "Kustomization" && $0[path: "metadata", "name"] == .string(name) })
                ?? documents.first(where: { $0["kind"] == "Kustomization" }) else {
                throw CLIError("--kustomization-file: no Kustomization in \(kustomizationFile)")
            }
            var kustomization = try Kustomization(from: object)
            if kustomization.metadata.namespace == nil { kustomization.metadata.namespace = cluster.namespace }
            return kustomization
        }
        if dryRun { throw ValidationError("--dry-run needs --kustomization-file") }
        let object = try await cluster.client().get(Kustomization.kind, ObjectKey(namespace: cluster.namespace, name: name))
        return try Kustomization(from: object)
    }

    /// The enclosing Git work tree (so `../base` references resolve as in the source artifact), else `directory`.
    static func repositoryRoot(of directory: String) -> String {
        var candidate = URL(fileURLWithPath: directory)
        while candidate.path != "/" {
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent(".git").path) { return candidate.path }
            candidate.deleteLastPathComponent()
        }
        return directory
    }
}

/// Compares built objects with the cluster through server-side dry-run applies, as kustomize-controller would
/// apply them (its field manager), and lists what the Kustomization would prune.
struct ClusterDiff {
    var api: KubeClient
    static let fieldManager = "kustomize-controller"

    func diff(_ objects: [JSONValue], inventory kustomization: Kustomization) async throws -> [String] {
        var report: [String] = []
        var built: Set<ResourceIdentity> = []
        for object in objects {
            guard let identity = ResourceIdentity(of: object) else { continue }
            built.insert(identity)
            let key = ObjectKey(namespace: identity.namespace, name: identity.name)
            let live = try await api.getIfPresent(identity.kind, key)
            let dryRun: JSONValue
            do {
                dryRun = try await api.apply(object, fieldManager: Self.fieldManager, dryRun: true)
            } catch {
                report.append("✗ \(identity) dry-run failed: \(error.message)")
                continue
            }
            guard let live else {
                report.append("► \(identity) created")
                continue
            }
            let changes = JSONDiff.changes(Self.comparable(live), Self.comparable(dryRun))
            guard !changes.isEmpty else { continue }
            report.append("► \(identity) drifted")
            report.append(contentsOf: changes.map { "  " + $0 })
        }
        if kustomization.spec.prune == true {
            for entry in kustomization.status?.inventory?.entries ?? [] {
                guard let identity = ResourceIdentity(inventory: entry), !built.contains(identity) else { continue }
                report.append("► \(identity) deleted")
            }
        }
        return report
    }

    /// What a diff compares: no status, no server-maintained metadata.
    static func comparable(_ object: JSONValue) -> JSONValue {
        var object = object
        object["status"] = nil
        for key in ["managedFields", "resourceVersion", "generation", "uid", "creationTimestamp"] {
            object[path: "metadata", key] = nil
        }
        return object
    }
}

/// Field-level differences between two JSON values, as `path` then `- old` / `+ new` lines.
enum JSONDiff {
    static func changes(_ old: JSONValue?, _ new: JSONValue?, path: String = "") -> [String] {
        if old == new { return [] }
        if case .object(let a)? = old, case .object(let b)? = new {
            return Set(a.keys).union(b.keys).sorted().flatMap { key in
                changes(a[key], b[key], path: path.isEmpty ? key : path + "." + key)
            }
        }
        var lines = [path.isEmpty ? "(object)" : path]
        if let old { lines.append("  - " + render(old)) }
        if let new { lines.append("  + " + render(new)) }
        return lines
    }

    private static func render(_ value: JSONValue) -> String {
        if let text = value.stringValue { return text }
        return value.jsonString()
    }
}

/// The API for `--dry-run` builds: nothing may be read from a cluster.
struct OfflineAPI: KubernetesAPI {
    private func refuse() -> KubeError { KubeError(code: .invalid, message: "--dry-run: no cluster access") }
    func mapping(for kind: GroupVersionKind) async throws(KubeError) -> ResourceMapping { throw refuse() }
    func get(_ kind: GroupVersionKind, _ key: ObjectKey) async throws(KubeError) -> JSONValue { throw refuse() }
    func list(_ kind: GroupVersionKind, namespace: String?, options: ListOptions) async throws(KubeError) -> ObjectList { throw refuse() }
    func create(_ object: JSONValue, options: WriteOptions) async throws(KubeError) -> JSONValue { throw refuse() }
    func update(_ object: JSONValue, options: WriteOptions) async throws(KubeError) -> JSONValue { throw refuse() }
    func updateStatus(_ object: JSONValue, options: WriteOptions) async throws(KubeError) -> JSONValue { throw refuse() }
    func patch(_ kind: GroupVersionKind, _ key: ObjectKey, patch: JSONValue, type: PatchType, subresource: String?,
               options: WriteOptions) async throws(KubeError) -> JSONValue { throw refuse() }
    func delete(_ kind: GroupVersionKind, _ key: ObjectKey, options: DeleteOptions) async throws(KubeError) -> JSONValue? { throw refuse() }
    func watch(_ kind: GroupVersionKind, namespace: String?, options: WatchOptions) async throws(KubeError)
        -> AsyncThrowingStream<WatchEvent, any Error> { throw refuse() }
}
