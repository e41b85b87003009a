import GitOpsKit
import Logging

/// The part of the deployment controller clients can observe: each Deployment owns a ReplicaSet
/// `<name>-<pod-template-hash>` for its current template (older ones are scaled to zero), so tools that look for
/// the "new ReplicaSet" (`helm --wait`, `kubectl rollout`) find it.
struct DeploymentReplicaSets {
    static let replicaSets = StorageID(group: "apps", resource: "replicasets")
    static let hashLabel = "pod-template-hash"

    let server: APIServer

    func reconcile(_ deployment: JSONValue) {
        guard deployment[path: "metadata", "deletionTimestamp"] == nil,
              let name = deployment[path: "metadata", "name"]?.stringValue,
              let namespace = deployment[path: "metadata", "namespace"]?.stringValue,
              let uid = deployment[path: "metadata", "uid"]?.stringValue,
              let type = server.storageType(Self.replicaSets) else { return }
        let hash = WorkloadSimulator.templateHash(deployment)
        let replicaSetName = "\(name)-\(hash)"
        let replicas = deployment[path: "spec", "replicas"] ?? 1
        for (ref, owned) in server.store.dependents(of: uid) where ref.storage == Self.replicaSets && ref.name != replicaSetName {
            guard owned.object[path: "spec", "replicas"]?.intValue != 0 else { continue }
            server.controllerUpdate(Self.replicaSets, namespace: namespace, name: ref.name, manager: ClusterControllers.manager) { object in
                object[path: "spec", "replicas"] = 0
                return true
            }
        }
        if server.store.get(Self.replicaSets, namespace: namespace, name: replicaSetName) != nil {
            server.controllerUpdate(Self.replicaSets, namespace: namespace, name: replicaSetName, manager: ClusterControllers.manager) { object in
                guard object[path: "spec", "replicas"] != replicas else { return false }
                object[path: "spec", "replicas"] = replicas
                return true
            }
            return
        }
        var template = deployment[path: "spec", "template"] ?? .object([:])
        template[path: "metadata", "labels", Self.hashLabel] = .string(hash)
        var selector = deployment[path: "spec", "selector"] ?? .object([:])
        selector[path: "matchLabels", Self.hashLabel] = .string(hash)
        let revision = String((deployment[path: "metadata", "annotations", "deployment.kubernetes.io/revision"]?.stringValue
            .flatMap { Int($0) } ?? 0) + 1)
        let body: JSONValue = [
            "metadata": [
                "name": .string(replicaSetName), "namespace": .string(namespace),
                "labels": template[path: "metadata", "labels"] ?? .object([:]),
                "annotations": ["deployment.kubernetes.io/desired-replicas": .string(String(replicas.intValue ?? 1)),
                                "deployment.kubernetes.io/max-replicas": .string(String(replicas.intValue ?? 1)),
                                "deployment.kubernetes.io/revision": .string(revision)],
                "ownerReferences": [["apiVersion": "apps/v1", "kind": "Deployment", "name": .string(name), "uid": .string(uid),
                                     "controller": true, "blockOwnerDeletion": true]],
            ],
            "spec": ["replicas": replicas, "selector": selector, "template": template],
        ]
        do {
            _ = try server.create(type, namespace: namespace, body: body,
                                  request: WriteContext(fieldManager: ClusterControllers.manager,
                                                        userAgentManager: ClusterControllers.manager))
        } catch {
            if error.reason != "AlreadyExists" {
                server.logger.debug("creating ReplicaSet failed", metadata: ["name": "\(replicaSetName)", "error": "\(error.message)"])
            }
        }
        server.controllerUpdate(StorageID(group: "apps", resource: "deployments"), namespace: namespace, name: name,
                                manager: ClusterControllers.manager) { object in
            guard object[path: "metadata", "annotations", "deployment.kubernetes.io/revision"]?.stringValue != revision else { return false }
            object[path: "metadata", "annotations", "deployment.kubernetes.io/revision"] = .string(revision)
            return true
        }
    }
}
