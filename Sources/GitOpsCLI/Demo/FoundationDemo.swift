import GitOpsKit

/// The demo's script on the foundation layer: everything goes through `KubernetesAPI`, exactly as controllers will.
struct FoundationDemo {
    static let namespace = "demo"
    static let fieldManager = "gok-demo"

    let client: any KubernetesAPI
    let narrator: DemoNarrator

    private let deployment = GroupVersionKind(group: "apps", version: "v1", kind: "Deployment")
    private let configMap = GroupVersionKind(group: "", version: "v1", kind: "ConfigMap")

    func run() async throws {
        narrator.step("Server-side apply of namespace '\(Self.namespace)', a ConfigMap, a Deployment and a Service")
        for object in manifests(replicas: 2) {
            let applied = try await client.apply(object, fieldManager: Self.fieldManager)
            narrator.detail("applied \(describe(applied))  resourceVersion=\(applied[path: "metadata", "resourceVersion"]?.stringValue ?? "?")")
        }

        narrator.step("Watching the Deployment roll out")
        try await waitForRollout(replicas: 2)

        narrator.step("Scaling to 3 replicas with a re-apply (generation bumps, roll-out follows)")
        let scaled = try await client.apply(deploymentManifest(replicas: 3), fieldManager: Self.fieldManager)
        narrator.detail("generation \(scaled[path: "metadata", "generation"]?.intValue ?? 0)")
        try await waitForRollout(replicas: 3)

        narrator.step("Drift: the ConfigMap is deleted by hand")
        let key = ObjectKey(namespace: Self.namespace, name: "web-config")
        try await client.delete(configMap, key, options: DeleteOptions())
        let gone = try await client.getIfPresent(configMap, key) == nil
        narrator.detail("ConfigMap present: \(!gone)")

        narrator.step("Repair: the desired state is applied again (a dry-run first shows what would change)")
        let desired = manifests(replicas: 3)
        var repaired = 0
        for object in desired {
            guard let kind = GroupVersionKind(of: object), let objectKey = ObjectKey(of: object) else { continue }
            let live = try await client.getIfPresent(kind, objectKey)
            let dryRun = try await client.apply(object, fieldManager: Self.fieldManager, dryRun: true)
            if live == nil || live?["spec"] != dryRun["spec"] || live?["data"] != dryRun["data"] {
                _ = try await client.apply(object, fieldManager: Self.fieldManager)
                narrator.detail("re-applied \(describe(object))")
                repaired += 1
            }
        }
        let restored = try await client.get(configMap, key)
        narrator.detail("\(repaired) object(s) repaired; ConfigMap data: \(restored["data"]?.jsonString() ?? "{}")")

        narrator.step("Done: the cluster equals the desired state.")
    }

    /// Follows the Deployment with a watch until the emulator reports the roll-out of its current generation.
    private func waitForRollout(replicas: Int64) async throws {
        let key = ObjectKey(namespace: Self.namespace, name: "web")
        let current = try await client.get(deployment, key)
        if isRolledOut(current, replicas: replicas) {
            narrator.detail("already rolled out")
            return
        }
        let events = try await client.watch(
            deployment, namespace: Self.namespace,
            options: WatchOptions(resourceVersion: current[path: "metadata", "resourceVersion"]?.stringValue,
                                  fieldSelector: "metadata.name=web", timeoutSeconds: 60))
        for try await event in events {
            guard case .modified(let object) = event else { continue }
            let status = object["status"]
            narrator.detail("replicas=\(status?["replicas"]?.intValue ?? 0) ready=\(status?["readyReplicas"]?.intValue ?? 0) "
                + "observedGeneration=\(status?["observedGeneration"]?.intValue ?? 0)")
            if isRolledOut(object, replicas: replicas) {
                narrator.detail("rolled out")
                return
            }
        }
        throw DemoError(message: "the Deployment did not roll out within 60 s")
    }

    private func isRolledOut(_ object: JSONValue, replicas: Int64) -> Bool {
        object[path: "status", "observedGeneration"]?.intValue == object[path: "metadata", "generation"]?.intValue
            && object[path: "status", "readyReplicas"]?.intValue == replicas
    }

    private func describe(_ object: JSONValue) -> String {
        "\(object["kind"]?.stringValue ?? "?")/\(object[path: "metadata", "name"]?.stringValue ?? "?")"
    }

    private static let labels: JSONValue = ["app": "web"]

    private func deploymentManifest(replicas: Int64) -> JSONValue {
        ["apiVersion": "apps/v1", "kind": "Deployment",
         "metadata": ["name": "web", "namespace": .string(Self.namespace), "labels": Self.labels],
         "spec": [
            "replicas": .int(replicas),
            "selector": ["matchLabels": Self.labels],
            "template": [
                "metadata": ["labels": Self.labels],
                "spec": ["containers": [[
                    "name": "web", "image": "ghcr.io/stefanprodan/podinfo:6.7.0",
                    "ports": [["containerPort": 9898, "name": "http"]],
                    "envFrom": [["configMapRef": ["name": "web-config"]]],
                ]]],
            ],
         ]]
    }

    private func manifests(replicas: Int64) -> [JSONValue] {
        let labels = Self.labels
        return [
            ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(Self.namespace)]],
            ["apiVersion": "v1", "kind": "ConfigMap",
             "metadata": ["name": "web-config", "namespace": .string(Self.namespace)],
             "data": ["greeting": "hello from GitOpsKit"]],
            deploymentManifest(replicas: replicas),
            ["apiVersion": "v1", "kind": "Service",
             "metadata": ["name": "web", "namespace": .string(Self.namespace)],
             "spec": ["selector": labels, "ports": [["port": 80, "targetPort": "http"]]]],
        ]
    }
}

struct DemoError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
