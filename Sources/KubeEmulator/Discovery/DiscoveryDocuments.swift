import GitOpsKit

/// The legacy (unaggregated) discovery documents and the OpenAPI v3 index kubectl and helm read. Clients that
/// ask for aggregated discovery get these too and fall back, as they do with servers that lack it.
enum DiscoveryDocuments {
    static func version(_ gitVersion: String) -> JSONValue {
        let trimmed = gitVersion.hasPrefix("v") ? String(gitVersion.dropFirst()) : gitVersion
        let parts = trimmed.split(separator: ".")
        return [
            "major": .string(parts.first.map(String.init) ?? "1"),
            "minor": .string(parts.count > 1 ? String(parts[1]) : "32"),
            "gitVersion": .string(gitVersion), "gitCommit": "0000000000000000000000000000000000000000",
            "gitTreeState": "clean", "buildDate": "2024-12-11T17:59:15Z", "goVersion": "go1.23.3", "compiler": "gc",
            "platform": "linux/amd64",
        ]
    }

    static func coreVersions(serverAddress: String) -> JSONValue {
        ["kind": "APIVersions", "versions": ["v1"],
         "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string(serverAddress)]]]
    }

    private static func groupVersions(_ group: String, _ versions: [String]) -> (JSONValue, JSONValue) {
        let list = JSONValue.array(versions.map { ["groupVersion": .string("\(group)/\($0)"), "version": .string($0)] })
        let preferred = versions.first.map { JSONValue.object(["groupVersion": .string("\(group)/\($0)"), "version": .string($0)]) }
            ?? .object([:])
        return (list, preferred)
    }

    static func group(_ name: String, versions: [String]) -> JSONValue {
        let (list, preferred) = groupVersions(name, versions)
        return ["kind": "APIGroup", "apiVersion": "v1", "name": .string(name), "versions": list, "preferredVersion": preferred]
    }

    static func groupList(_ registry: ResourceRegistry) -> JSONValue {
        let groups = registry.groups().map { group -> JSONValue in
            let (list, preferred) = groupVersions(group.name, group.versions)
            return ["name": .string(group.name), "versions": list, "preferredVersion": preferred]
        }
        return ["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(groups)]
    }

    static func resourceList(group: String, version: String, types: [ResourceType]) -> JSONValue {
        var resources: [JSONValue] = []
        for type in types {
            var verbs = type.verbs
            if type.kind == "Namespace" && type.group.isEmpty { verbs.removeAll { $0 == "deletecollection" } }
            var entry: [String: JSONValue] = [
                "name": .string(type.resource), "singularName": .string(type.singular), "namespaced": .bool(type.namespaced),
                "kind": .string(type.kind), "verbs": .array(verbs.map { .string($0) }),
                "storageVersionHash": .string(storageVersionHash(type)),
            ]
            if !type.shortNames.isEmpty { entry["shortNames"] = .array(type.shortNames.map { .string($0) }) }
            if !type.categories.isEmpty { entry["categories"] = .array(type.categories.map { .string($0) }) }
            resources.append(.object(entry))
            if type.kind == "Namespace" && type.group.isEmpty {
                resources.append(["name": "namespaces/finalize", "singularName": "", "namespaced": false, "kind": "Namespace",
                                  "verbs": ["update"]])
            }
            if type.hasScale {
                resources.append(["name": .string("\(type.resource)/scale"), "singularName": "", "namespaced": .bool(type.namespaced),
                                  "group": "autoscaling", "version": "v1", "kind": "Scale", "verbs": ["get", "patch", "update"]])
            }
            if type.hasStatus {
                resources.append(["name": .string("\(type.resource)/status"), "singularName": "", "namespaced": .bool(type.namespaced),
                                  "kind": .string(type.kind), "verbs": ["get", "patch", "update"]])
            }
        }
        let groupVersion = group.isEmpty ? version : "\(group)/\(version)"
        return ["kind": "APIResourceList", "apiVersion": "v1", "groupVersion": .string(groupVersion), "resources": .array(resources)]
    }

    /// A short stable hash of the storage identity, as discovery publishes it.
    private static func storageVersionHash(_ type: ResourceType) -> String {
        var hash: UInt64 = 1469598103934665603
        for byte in "\(type.storage)/\(type.storageVersion)/\(type.kind)".utf8 {
            hash = (hash ^ UInt64(byte)) &* 1099511628211
        }
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        return String((0..<11).map { i in alphabet[Int((hash >> (UInt64(i) * 6)) & 63)] }) + "="
    }
}

/// The OpenAPI v3 documents kubectl and helm consult: which PATCH operations accept `fieldValidation` (so they
/// leave validation to the server) and which patch types each kind accepts.
enum OpenAPIDocuments {
    static func root(_ registry: ResourceRegistry, hash: String) -> JSONValue {
        var paths: [String: JSONValue] = [:]
        paths["api/v1"] = ["serverRelativeURL": .string("/openapi/v3/api/v1?hash=\(hash)")]
        for group in registry.groups() {
            for version in group.versions {
                paths["apis/\(group.name)/\(version)"] = ["serverRelativeURL": .string("/openapi/v3/apis/\(group.name)/\(version)?hash=\(hash)")]
            }
        }
        return ["paths": .object(paths)]
    }

    /// The document of one group version (`api/v1`, `apis/apps/v1`), or nil when not served.
    static func groupVersion(_ path: String, registry: ResourceRegistry, kubernetesVersion: String) -> JSONValue? {
        let parts = path.split(separator: "/").map(String.init)
        let group: String
        let version: String
        if parts.count == 2, parts[0] == "api" {
            group = ""
            version = parts[1]
        } else if parts.count == 3, parts[0] == "apis" {
            group = parts[1]
            version = parts[2]
        } else {
            return nil
        }
        let types = registry.resources(group: group, version: version)
        guard !types.isEmpty else { return nil }
        let prefix = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        var paths: [String: JSONValue] = [:]
        for type in types {
            let gvk: JSONValue = ["group": .string(group), "version": .string(version), "kind": .string(type.kind)]
            var contentTypes: [String: JSONValue] = [:]
            for media in ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"] {
                contentTypes[media] = ["schema": ["type": "object"]]
            }
            let parameters: JSONValue = .array(["dryRun", "fieldManager", "fieldValidation", "force"].map { name in
                ["name": .string(name), "in": "query", "schema": ["type": .string(name == "force" ? "boolean" : "string")],
                 "uniqueItems": true]
            })
            let patch: JSONValue = [
                "operationId": .string("patch\(type.kind)"), "parameters": parameters,
                "requestBody": ["content": .object(contentTypes), "required": true],
                "responses": ["200": ["description": "OK"]],
                "x-kubernetes-action": "patch", "x-kubernetes-group-version-kind": gvk,
            ]
            let get: JSONValue = ["operationId": .string("read\(type.kind)"), "responses": ["200": ["description": "OK"]],
                                  "x-kubernetes-action": "get", "x-kubernetes-group-version-kind": gvk]
            let path = type.namespaced
                ? "\(prefix)/namespaces/{namespace}/\(type.resource)/{name}" : "\(prefix)/\(type.resource)/{name}"
            paths[path] = ["get": get, "patch": patch]
        }
        return ["openapi": "3.0.0", "info": ["title": "Kubernetes", "version": .string(kubernetesVersion)],
                "paths": .object(paths), "components": ["schemas": .object([:])]]
    }
}
