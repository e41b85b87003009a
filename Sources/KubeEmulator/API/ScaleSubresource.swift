import GitOpsKit

/// The `scale` subresource (`autoscaling/v1` Scale) of Deployments, StatefulSets, ReplicaSets and CRDs that
/// declare one.
enum ScaleSubresource {
    static func replicasPath(_ type: ResourceType) -> [String] { ["spec", "replicas"] }

    static func scale(of type: ResourceType, _ object: JSONValue) -> JSONValue {
        var metadata: [String: JSONValue] = [:]
        for key in ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"] {
            if let value = object[path: "metadata", key] { metadata[key] = value }
        }
        let labels = object[path: "spec", "selector", "matchLabels"]?.objectValue ?? [:]
        let selector = labels.keys.sorted().map { "\($0)=\(labels[$0]?.stringValue ?? "")" }.joined(separator: ",")
        var status: [String: JSONValue] = ["replicas": .int(object[path: "status", "replicas"]?.intValue ?? 0)]
        if !selector.isEmpty { status["selector"] = .string(selector) }
        return ["kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": .object(metadata),
                "spec": ["replicas": .int(object[path: "spec", "replicas"]?.intValue ?? 0)], "status": .object(status)]
    }

    static func update(_ server: APIServer, _ type: ResourceType, namespace: String?, name: String, scale: JSONValue,
                       request: WriteContext) throws(APIError) -> JSONValue {
        guard let replicas = scale[path: "spec", "replicas"]?.intValue else {
            throw APIError.invalid(kind: "Scale", group: "autoscaling", name: name,
                                   causes: [FieldProblem.required("spec.replicas").cause])
        }
        let requested = scale[path: "metadata", "resourceVersion"]?.stringValue ?? ""
        return try setReplicas(server, type, namespace: namespace, name: name, replicas: replicas,
                               requiredVersion: requested.isEmpty ? nil : requested, request: request)
    }

    static func patch(_ server: APIServer, _ type: ResourceType, namespace: String?, name: String, patch bytes: [UInt8],
                      contentType: String, request: WriteContext) throws(APIError) -> JSONValue {
        let current = try server.get(type, namespace: namespace, name: name)
        let patch: JSONValue
        do {
            patch = try JSONValue(json: bytes)
        } catch {
            throw APIError.badRequest("error decoding patch: \(error)")
        }
        let scaleObject = scale(of: type, current.object)
        let patched: JSONValue
        if contentType.hasPrefix("application/json-patch+json") {
            patched = try PatchEngine.jsonPatch(patch, to: scaleObject)
        } else {
            patched = PatchEngine.mergePatch(patch, to: scaleObject)
        }
        guard let replicas = patched[path: "spec", "replicas"]?.intValue else {
            throw APIError.invalid(kind: "Scale", group: "autoscaling", name: name,
                                   causes: [FieldProblem.required("spec.replicas").cause])
        }
        return try setReplicas(server, type, namespace: namespace, name: name, replicas: replicas, requiredVersion: nil,
                               request: request)
    }

    private static func setReplicas(_ server: APIServer, _ type: ResourceType, namespace: String?, name: String,
                                    replicas: Int64, requiredVersion: String?, request: WriteContext) throws(APIError) -> JSONValue {
        if replicas < 0 {
            throw APIError.invalid(kind: "Scale", group: "autoscaling", name: name,
                                   causes: [FieldProblem.invalid("spec.replicas", .int(replicas), "must be greater than or equal to 0").cause])
        }
        var warnings: [String] = []
        let result = try server.guaranteedUpdate(type, namespace: namespace, name: name, request: request,
                                                 pinned: requiredVersion != nil) { current throws(APIError) in
            if let requiredVersion, requiredVersion != String(current.resourceVersion) {
                throw APIError.staleResourceVersion(resource: type.resource, group: type.group, name: name)
            }
            var candidate = current.object
            candidate[path: "spec", "replicas"] = .int(replicas)
            return try server.finishUpdate(type, candidate: candidate, current: current, subresource: "scale",
                                           request: request, managedFields: .record(manager: request.manager),
                                           warnings: &warnings)
        }
        return scale(of: type, result.object)
    }
}
