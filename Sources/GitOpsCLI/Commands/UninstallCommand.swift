import ArgumentParser
import Foundation
import GitOpsKit

/// `gok uninstall`: removes the Flux objects (without their finalizers, so what they applied stays in the cluster),
/// the controllers, the CRDs and the namespace — in that order, as `flux uninstall` does.
struct UninstallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "uninstall", abstract: "Remove GitOpsKit from the cluster (workloads stay).")

    @OptionGroup var cluster: ClusterOptions
    @Flag(help: "Keep the namespace.") var keepNamespace = false
    @Flag(help: "Only print what would be deleted.") var dryRun = false
    @Flag(name: [.short, .long], help: "Do not ask for confirmation.") var silent = false

    static let controllerKinds = [
        GroupVersionKind(group: "apps", version: "v1", kind: "Deployment"),
        GroupVersionKind(group: "", version: "v1", kind: "Service"),
        GroupVersionKind(group: "", version: "v1", kind: "ServiceAccount"),
        GroupVersionKind(group: "rbac.authorization.k8s.io", version: "v1", kind: "RoleBinding"),
        GroupVersionKind(group: "rbac.authorization.k8s.io", version: "v1", kind: "Role"),
        GroupVersionKind(group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRoleBinding"),
        GroupVersionKind(group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole"),
        GroupVersionKind(group: "networking.k8s.io", version: "v1", kind: "NetworkPolicy"),
    ]
    static let partOf = "app.kubernetes.io/part-of=gitopskit"

    func run() async throws {
        if !silent, !dryRun {
            guard isatty(0) == 1 else { throw ValidationError("refusing to uninstall without confirmation: add --silent") }
            FileHandle.standardError.write(Data("Are you sure you want to delete GitOpsKit and its custom resource definitions? [y/N] ".utf8))
            guard readLine()?.lowercased().hasPrefix("y") == true else { throw ExitCode(1) }
        }
        try await CLIRun.guarded {
            let api = try cluster.client()
            let suffix = dryRun ? " (dry run)" : ""
            Terminal.action("deleting Flux objects")
            for resource in FluxResource.all {
                let items: [JSONValue]
                do {
                    items = try await api.listAll(resource.kind, namespace: nil).items
                } catch let error as KubeError where error.code == .notFound {
                    continue
                }
                for object in items {
                    guard let key = ObjectKey(of: object) else { continue }
                    if !dryRun {
                        if object[path: "metadata", "finalizers"] != nil {
                            _ = try await api.patch(resource.kind, key, patch: ["metadata": ["finalizers": .null]], type: .merge,
                                                    subresource: nil, options: WriteOptions(fieldManager: ObjectWriter.fieldManager))
                        }
                        try await api.delete(resource.kind, key, options: DeleteOptions())
                    }
                    Terminal.success("\(resource.kind.kind)/\(key.namespace ?? "")/\(key.name) deleted\(suffix)")
                }
            }
            Terminal.action("deleting components in \(cluster.namespace) namespace")
            for kind in Self.controllerKinds {
                let namespaced = !kind.kind.hasPrefix("Cluster")
                let items = try await api.listAll(kind, namespace: namespaced ? cluster.namespace : nil,
                                                  options: ListOptions(labelSelector: Self.partOf)).items
                for object in items {
                    guard let key = ObjectKey(of: object) else { continue }
                    if !dryRun { try await api.delete(kind, key, options: DeleteOptions()) }
                    Terminal.success("\(kind.kind)/\(key.name) deleted\(suffix)")
                }
            }
            Terminal.action("deleting toolkit.fluxcd.io custom resource definitions")
            let crdKind = GroupVersionKind(group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition")
            for crd in try await api.listAll(crdKind, namespace: nil).items {
                guard let name = crd[path: "metadata", "name"]?.stringValue, name.hasSuffix(".toolkit.fluxcd.io") else { continue }
                if !dryRun { try await api.delete(crdKind, ObjectKey(namespace: nil, name: name), options: DeleteOptions()) }
                Terminal.success("CustomResourceDefinition/\(name) deleted\(suffix)")
            }
            if !keepNamespace {
                let namespaceKind = GroupVersionKind(group: "", version: "v1", kind: "Namespace")
                if !dryRun { try await api.delete(namespaceKind, ObjectKey(namespace: nil, name: cluster.namespace), options: DeleteOptions()) }
                Terminal.success("Namespace/\(cluster.namespace) deleted\(suffix)")
            }
            Terminal.success("uninstall finished")
        }
    }
}
