import Foundation
import GitOpsKit
@testable import KubeEmulator
import Testing

/// PATCH in every format, server-side apply with managed fields and conflicts, over HTTP.
@Suite struct PatchAndApplyTests {
    func emulator() async throws -> RunningEmulator { try await TestEmulators.plain.value }

    @Test func strategicMergeMergesContainersByName() async throws {
        let client = try await emulator().client
        let namespace = try await TestEmulators.namespace(client, "smp")
        let base = "/apis/apps/v1/namespaces/\(namespace)/deployments"
        var deployment = APISemanticsTests.deployment("app")
        deployment[path: "spec", "template", "spec", "containers"] = [["name": "main", "image": "a:1"], ["name": "side", "image": "b:1"]]
        _ = try await client.post(base, deployment)
        let patched = try await client.patch("\(base)/app",
                                             ["spec": ["template": ["spec": ["containers": [["name": "side", "image": "b:2"]]]]]],
                                             type: "application/strategic-merge-patch+json")
        #expect(patched.status == 200)
        let images = (patched.body[path: "spec", "template", "spec", "containers"]?.arrayValue ?? []).compactMap { $0["image"]?.stringValue }
        #expect(images == ["a:1", "b:2"])

        let merge = try await client.patch("\(base)/app", ["spec": ["template": ["spec": ["containers": [["name": "only", "image": "c:1"]]]]]])
        let names = (merge.body[path: "spec", "template", "spec", "containers"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        #expect(names == ["only"])
    }

    @Test func jsonPatchAppliesAndReportsFailures() async throws {
        let client = try await emulator().client
        let namespace = try await TestEmulators.namespace(client, "jsonpatch")
        let path = "/api/v1/namespaces/\(namespace)/configmaps/j"
        _ = try await client.post("/api/v1/namespaces/\(namespace)/configmaps", APISemanticsTests.configMap("j"))
        let ok = try await client.patch(path, [["op": "add", "path": "/data/b", "value": "2"], ["op": "remove", "path": "/data/a"]],
                                        type: "application/json-patch+json")
        #expect(ok.status == 200)
        #expect(ok.body["data"] == ["b": "2"])
        let failed = try await client.patch(path, [["op": "test", "path": "/data/b", "value": "3"]], type: "application/json-patch+json")
        #expect(failed.status == 422)
        #expect(failed.body["message"] == "the server rejected our request due to an error in our request")
        let stale = try await client.patch(path, ["metadata": ["resourceVersion": "1"], "data": ["c": "3"]])
        #expect(stale.status == 409)
        #expect(try await client.patch("/api/v1/namespaces/\(namespace)/configmaps/absent", ["data": ["a": "b"]]).status == 404)
    }

    @Test func serverSideApplyTracksOwnersAndConflicts() async throws {
        let client = try await emulator().client
        let namespace = try await TestEmulators.namespace(client, "apply")
        let path = "/api/v1/namespaces/\(namespace)/configmaps/applied"
        let config: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "applied"], "data": ["a": "1", "b": "2"]]
        let missingManager = try await client.request("PATCH", path, body: config, contentType: "application/apply-patch+yaml")
        #expect(missingManager.status == 400)

        let created = try await client.request("PATCH", "\(path)?fieldManager=alpha", body: config, contentType: "application/apply-patch+yaml")
        #expect(created.status == 201)
        #expect(created.body[path: "metadata", "managedFields"]?[0]?["manager"] == "alpha")
        #expect(created.body[path: "metadata", "managedFields"]?[0]?["operation"] == "Apply")
        #expect(created.body[path: "metadata", "managedFields"]?[0]?[path: "fieldsV1", "f:data", "f:a"] == .object([:]))

        var other = config
        other["data"] = ["a": "changed"]
        let conflict = try await client.request("PATCH", "\(path)?fieldManager=beta", body: other, contentType: "application/apply-patch+yaml")
        #expect(conflict.status == 409)
        #expect(conflict.body["reason"] == "Conflict")
        #expect(conflict.body["message"] == "Apply failed with 1 conflict: conflict with \"alpha\": .data.a")
        #expect(conflict.body[path: "details", "causes"]?[0]?["reason"] == "FieldManagerConflict")
        #expect(conflict.body[path: "details", "causes"]?[0]?["field"] == ".data.a")

        let forced = try await client.request("PATCH", "\(path)?fieldManager=beta&force=true", body: other,
                                              contentType: "application/apply-patch+yaml")
        #expect(forced.status == 200)
        #expect(forced.body["data"] == ["a": "changed", "b": "2"])

        let yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\ndata:\n  b: \"2\"\n"
        let shrink = try await client.request("PATCH", "\(path)?fieldManager=alpha", rawBody: Data(yaml.utf8),
                                              contentType: "application/apply-patch+yaml")
        #expect(shrink.status == 200, "\(shrink.body)")
        #expect(shrink.body["data"] == ["a": "changed", "b": "2"])

        let dry = try await client.request("PATCH", "\(path)?fieldManager=gamma&dryRun=All",
                                           body: ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "applied"], "data": ["z": "9"]],
                                           contentType: "application/apply-patch+yaml")
        #expect(dry.body[path: "data", "z"] == "9")
        #expect(try await client.get(path).body[path: "data", "z"] == nil)
    }

    @Test func customResourcesRejectStrategicMergePatch() async throws {
        let running = try await emulator()
        let client = running.client
        let crd: JSONValue = [
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": ["name": "knobs.patch.test"],
            "spec": ["group": "patch.test", "scope": "Namespaced", "names": ["kind": "Knob", "plural": "knobs"],
                     "versions": [["name": "v1", "served": true, "storage": true,
                                   "schema": ["openAPIV3Schema": ["type": "object", "x-kubernetes-preserve-unknown-fields": true]]]]],
        ]
        let created = try await client.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd)
        #expect(created.status == 201)
        #expect(created.body[path: "spec", "names", "singular"] == "knob")
        #expect(created.body[path: "spec", "names", "listKind"] == "KnobList")
        let served = try await TestEmulators.eventually {
            try await client.get("/apis/patch.test/v1").status == 200
        }
        #expect(served)
        let established = try await client.get("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/knobs.patch.test")
        let conditions = established.body[path: "status", "conditions"]?.arrayValue ?? []
        #expect(conditions.contains { $0["type"] == "Established" && $0["status"] == "True" })
        #expect(conditions.contains { $0["type"] == "NamesAccepted" && $0["reason"] == "NoConflicts" })

        let knob = try await client.post("/apis/patch.test/v1/namespaces/default/knobs",
                                         ["apiVersion": "patch.test/v1", "kind": "Knob", "metadata": ["name": "k"], "spec": ["x": 1]])
        #expect(knob.status == 201)
        #expect(knob.body[path: "metadata", "generation"] == 1)
        let smp = try await client.patch("/apis/patch.test/v1/namespaces/default/knobs/k", ["spec": ["x": 2]],
                                         type: "application/strategic-merge-patch+json")
        #expect(smp.status == 415)
        #expect(smp.body["message"] == "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml")
        let list = try await client.get("/apis/patch.test/v1/knobs")
        #expect(list.body["kind"] == "KnobList")
        #expect(list.body["items"]?[0]?["kind"] == "Knob")

        let deleted = try await client.delete("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/knobs.patch.test")
        #expect(deleted.status == 200)
        let cleaned = try await TestEmulators.eventually {
            try await client.get("/apis/patch.test/v1").status == 404
        }
        #expect(cleaned)
        #expect(running.emulator.api.store.count(StorageID(group: "patch.test", resource: "knobs"), namespace: nil) == 0)
    }

    @Test func invalidCustomResourceDefinitionsAreRefused() async throws {
        let client = try await emulator().client
        func crd(name: String, group: String, plural: String, schema: JSONValue) -> JSONValue {
            ["apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": ["name": .string(name)],
             "spec": ["group": .string(group), "scope": "Namespaced", "names": ["kind": "Thing", "plural": .string(plural)],
                      "versions": [["name": "v1", "served": true, "storage": true, "schema": ["openAPIV3Schema": schema]]]]]
        }
        let misnamed = try await client.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
                                             crd(name: "wrong.invalid.test", group: "invalid.test", plural: "things",
                                                 schema: ["type": "object"]))
        #expect(misnamed.status == 422)
        #expect(misnamed.body["message"]?.stringValue?.contains("metadata.name: Invalid value: \"wrong.invalid.test\": must be spec.names.plural+\".\"+spec.group") == true)
        let badSchema = try await client.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
                                              crd(name: "things.invalid.test", group: "invalid.test", plural: "things",
                                                  schema: ["type": "object", "properties": ["spec": ["type": "sandwich"]]]))
        #expect(badSchema.status == 422, "\(badSchema.body)")
        #expect(badSchema.body[path: "details", "causes"]?[0]?["field"]?.stringValue?.hasPrefix("spec.versions[0].schema") == true)
    }

    @Test func deleteCollectionBySelector() async throws {
        let client = try await emulator().client
        let namespace = try await TestEmulators.namespace(client, "collection")
        let base = "/api/v1/namespaces/\(namespace)/configmaps"
        for (name, tier) in [("a", "x"), ("b", "x"), ("c", "y")] {
            _ = try await client.post(base, APISemanticsTests.configMap(name, labels: ["tier": .string(tier)]))
        }
        let deleted = try await client.delete("\(base)?labelSelector=tier%3Dx")
        #expect(deleted.status == 200)
        #expect(deleted.body["items"]?.arrayValue?.count == 2)
        let remaining = try await client.get(base)
        #expect((remaining.body["items"]?.arrayValue ?? []).compactMap { $0[path: "metadata", "name"]?.stringValue } == ["c"])
    }

    @Test func scaleSubresource() async throws {
        let client = try await emulator().client
        let namespace = try await TestEmulators.namespace(client, "scale")
        let base = "/apis/apps/v1/namespaces/\(namespace)/deployments"
        _ = try await client.post(base, APISemanticsTests.deployment("s", replicas: 2))
        let scale = try await client.get("\(base)/s/scale")
        #expect(scale.body["kind"] == "Scale")
        #expect(scale.body["apiVersion"] == "autoscaling/v1")
        #expect(scale.body[path: "spec", "replicas"] == 2)
        #expect(scale.body[path: "status", "selector"] == "app=s")
        let patched = try await client.patch("\(base)/s/scale", ["spec": ["replicas": 5]])
        #expect(patched.body[path: "spec", "replicas"] == 5)
        #expect(try await client.get("\(base)/s").body[path: "spec", "replicas"] == 5)
    }

    @Test func eventsAreServedInBothVersions() async throws {
        let client = try await emulator().client
        let namespace = try await TestEmulators.namespace(client, "events")
        let created = try await client.post("/apis/events.k8s.io/v1/namespaces/\(namespace)/events", [
            "metadata": ["name": "e1"], "eventTime": "2024-01-01T00:00:00.000000Z", "reason": "Tested", "note": "hello",
            "type": "Normal", "action": "Test", "reportingController": "emulator.test/tests", "reportingInstance": "t1",
            "regarding": ["kind": "ConfigMap", "name": "x", "namespace": .string(namespace)],
        ])
        #expect(created.status == 201, "\(created.body)")
        #expect(created.body["note"] == "hello")
        let core = try await client.get("/api/v1/namespaces/\(namespace)/events/e1")
        #expect(core.body["message"] == "hello")
        #expect(core.body[path: "involvedObject", "name"] == "x")
        #expect(core.body["reportingComponent"] == "emulator.test/tests")
        let selected = try await client.get("/api/v1/namespaces/\(namespace)/events?fieldSelector=involvedObject.name%3Dx,reason%3DTested")
        #expect(selected.body["items"]?.arrayValue?.count == 1)
    }
}
