import Foundation
import GitOpsKit
import Testing

struct PatchStrategicMergeTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var original: JSONValue
        var patch: JSONValue
        var expected: JSONValue?
        var error: String?
        var testDescription: String { name }
    }

    static func load(_ text: String) -> [Case] {
        guard let list = try? JSONValue(json: text).arrayValue else { return [] }
        return list.map {
            Case(name: $0["name"]?.stringValue ?? "?", original: $0["original"] ?? .null, patch: $0["patch"] ?? .null,
                 expected: $0["expected"], error: $0["error"]?.stringValue)
        }
    }

    static let cases = load(StrategicMergeOracle.cases)
    static let errorCases = load(StrategicMergeOracle.errors)

    static func schema(of object: JSONValue) throws -> PatchSchema {
        let kind = try #require(GroupVersionKind(of: object))
        return try #require(PatchSchema.builtIn(kind))
    }

    @Test func oracleFixturesLoaded() {
        #expect(Self.cases.count >= 20)
        #expect(Self.errorCases.count >= 7)
    }

    @Test(arguments: cases)
    func matchesKubectl(_ c: Case) throws {
        let result = try StrategicMergePatch.apply(c.patch, to: c.original, schema: try Self.schema(of: c.original))
        #expect(result == c.expected, "\(c.name): \(result.jsonString())")
    }

    @Test(arguments: errorCases)
    func failsLikeKubectl(_ c: Case) throws {
        let schema = try Self.schema(of: c.original)
        #expect {
            _ = try StrategicMergePatch.apply(c.patch, to: c.original, schema: schema)
        } throws: { error in
            let message = (error as? PatchError)?.message.trimmingCharacters(in: .whitespacesAndNewlines)
            return message == c.error?.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    @Test func deleteDirectiveAtTheTopEmptiesTheObject() throws {
        let cm: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "data": ["a": "1"]]
        #expect(try StrategicMergePatch.apply(["$patch": "delete"], to: cm, schema: try Self.schema(of: cm)) == [:])
    }

    @Test func rejectsNonObjectPatchesAndOriginals() throws {
        let schema = PatchSchema(root: .untyped)
        #expect(throws: PatchError.self) { try StrategicMergePatch.apply([1], to: [:], schema: schema) }
        #expect(throws: PatchError.self) { try StrategicMergePatch.apply([:], to: "x", schema: schema) }
        #expect(try StrategicMergePatch.apply(["a": 1], to: .null, schema: schema) == ["a": 1])
    }

    @Test func unknownFieldsMergeObjectsAndReplaceLists() throws {
        let original: JSONValue = ["spec": ["extra": ["a": 1, "b": [1, 2]]]]
        let patch: JSONValue = ["spec": ["extra": ["c": 3, "b": [3]]]]
        let result = try StrategicMergePatch.apply(patch, to: original, schema: PatchSchema(root: .untyped))
        #expect(result == ["spec": ["extra": ["a": 1, "b": [3], "c": 3]]])
    }

    @Test func builtInSchemasCoverTheEmulatorKinds() throws {
        for (apiVersion, kind) in [("v1", "Pod"), ("v1", "Service"), ("v1", "ConfigMap"), ("v1", "Secret"), ("v1", "Namespace"),
                                   ("v1", "ServiceAccount"), ("v1", "Event"), ("apps/v1", "Deployment"), ("apps/v1", "StatefulSet"),
                                   ("apps/v1", "DaemonSet"), ("apps/v1", "ReplicaSet"), ("batch/v1", "Job"), ("batch/v1", "CronJob"),
                                   ("networking.k8s.io/v1", "Ingress"), ("coordination.k8s.io/v1", "Lease"),
                                   ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"), ("events.k8s.io/v1", "Event")] {
            #expect(PatchSchema.builtIn(GroupVersionKind(apiVersion: apiVersion, kind: kind)) != nil, "\(kind)")
        }
        #expect(PatchSchema.builtIn(GroupVersionKind(apiVersion: "source.toolkit.fluxcd.io/v1", kind: "GitRepository")) == nil)
        // Container ports merge by containerPort but are identified by (containerPort, protocol) for apply.
        let deployment = try #require(PatchSchema.builtIn(GroupVersionKind(apiVersion: "apps/v1", kind: "Deployment")))
        let podSpec = deployment.root.child("spec").child("template").child("spec")
        guard case .list(let container, .map(let containerKeys)) = podSpec.child("containers") else {
            Issue.record("containers is not a keyed list")
            return
        }
        #expect(containerKeys == ["name"])
        #expect(container.field("ports")?.mergeKey == "containerPort")
        guard case .list(let port, .map(let portKeys)) = container.child("ports") else {
            Issue.record("ports is not a keyed list")
            return
        }
        #expect(portKeys == ["containerPort", "protocol"])
        #expect(port.field("containerPort")?.node == .scalar)
        #expect(container.field("args")?.node == .list(items: .scalar, type: .atomic))
        #expect(deployment.root.child("spec").child("selector").isAtomic)
    }

    @Test func cronJobPodTemplateMergesContainersByName() throws {
        let cronJob: JSONValue = ["apiVersion": "batch/v1", "kind": "CronJob", "spec": ["jobTemplate": ["spec": ["template": ["spec": [
            "containers": [["name": "a", "image": "1"], ["name": "b", "image": "1"]],
        ]]]]]]
        let patch: JSONValue = ["spec": ["jobTemplate": ["spec": ["template": ["spec": ["containers": [["name": "b", "image": "2"]]]]]]]]
        let result = try StrategicMergePatch.apply(patch, to: cronJob, schema: try Self.schema(of: cronJob))
        #expect(result[path: "spec", "jobTemplate", "spec", "template", "spec", "containers"] == [["name": "a", "image": "1"], ["name": "b", "image": "2"]])
    }
}
