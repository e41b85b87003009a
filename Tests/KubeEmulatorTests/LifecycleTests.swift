import Foundation
import GitOpsKit
@testable import KubeEmulator
import Testing

/// Finalizers, deletion propagation (garbage collection), namespace and CRD lifecycles, simulated workloads.
@Suite struct LifecycleTests {
    func emulator() async throws -> RunningEmulator { try await TestEmulators.plain.value }

    private func exists(_ client: TestHTTPClient, _ path: String) async throws -> Bool {
        try await client.get(path).status == 200
    }

    @Test func finalizersBlockDeletionUntilRemoved() async throws {
        let client = try await emulator().client
        let namespace = try await TestEmulators.namespace(client, "finalizers")
        let path = "/api/v1/namespaces/\(namespace)/configmaps/held"
        var object = APISemanticsTests.configMap("held")
        object[path: "metadata", "finalizers"] = ["example.com/hold"]
        _ = try await client.post("/api/v1/namespaces/\(namespace)/configmaps", object)
        let deleted = try await client.delete(path)
        #expect(deleted.status == 200)
        #expect(deleted.body[path: "metadata", "deletionTimestamp"] != nil)
        #expect(deleted.body[path: "metadata", "deletionGracePeriodSeconds"] == 0)
        let still = try await client.get(path)
        #expect(still.status == 200)

        let adding = try await client.patch(path, ["metadata": ["finalizers": ["example.com/hold", "example.com/more"]]])
        #expect(adding.status == 422)
        #expect(adding.body["message"]?.stringValue?.contains("no new finalizers can be added if the object is being deleted") == true)

        let released = try await client.patch(path, ["metadata": ["finalizers": nil]])
        #expect(released.status == 200)
        #expect(try await client.get(path).status == 404)
    }

    @Test func deletePreconditions() async throws {
        let client = try await emulator().client
        let namespace = try await TestEmulators.namespace(client, "preconditions")
        let created = try await client.post("/api/v1/namespaces/\(namespace)/configmaps", APISemanticsTests.configMap("p"))
        let path = "/api/v1/namespaces/\(namespace)/configmaps/p"
        let wrongUID = try await client.delete(path, ["preconditions": ["uid": "00000000-0000-0000-0000-000000000000"]])
        #expect(wrongUID.status == 409)
        #expect(wrongUID.body["message"]?.stringValue?.contains("Precondition failed: UID in precondition: 00000000-0000-0000-0000-000000000000") == true)
        let ok = try await client.delete(path, ["preconditions": ["uid": created.body[path: "metadata", "uid"] ?? ""]])
        #expect(ok.status == 200)
        #expect(ok.body["kind"] == "Status")
        #expect(ok.body["status"] == "Success")
        #expect(ok.body[path: "details", "name"] == "p")
    }

    private func owned(_ name: String, by owner: JSONValue, kind: String = "ConfigMap") -> JSONValue {
        var object = APISemanticsTests.configMap(name)
        object[path: "metadata", "ownerReferences"] = [[
            "apiVersion": "v1", "kind": .string(kind), "name": owner[path: "metadata", "name"] ?? "",
            "uid": owner[path: "metadata", "uid"] ?? "", "blockOwnerDeletion": true,
        ]]
        return object
    }

    @Test func backgroundDeletionCollectsDependents() async throws {
        let client = try await emulator().client
        let namespace = try await TestEmulators.namespace(client, "gc")
        let base = "/api/v1/namespaces/\(namespace)/configmaps"
        let owner = try await client.post(base, APISemanticsTests.configMap("owner")).body
        let child = try await client.post(base, owned("child", by: owner)).body
        _ = try await client.post(base, owned("grandchild", by: child))
        _ = try await client.delete("\(base)/owner")
        let collected = try await TestEmulators.eventually {
            let child = try await exists(client, "\(base)/child")
            let grandchild = try await exists(client, "\(base)/grandchild")
            return !child && !grandchild
        }
        #expect(collected)
    }

    @Test func orphanDeletionKeepsDependents() async throws {
        let client = try await emulator().client
        let namespace = try await TestEmulators.namespace(client, "orphan")
        let base = "/api/v1/namespaces/\(namespace)/configmaps"
        let owner = try await client.post(base, APISemanticsTests.configMap("owner")).body
        _ = try await client.post(base, owned("kept", by: owner))
        _ = try await client.delete("\(base)/owner", ["propagationPolicy": "Orphan"])
        let ownerGone = try await TestEmulators.eventually { try await !exists(client, "\(base)/owner") }
        #expect(ownerGone)
        try await Task.sleep(for: .milliseconds(100))
        let kept = try await client.get("\(base)/kept")
        #expect(kept.status == 200)
        #expect(kept.body[path: "metadata", "ownerReferences"] == nil)
    }

    @Test func foregroundDeletionWaitsForDependents() async throws {
        let client = try await emulator().client
        let namespace = try await TestEmulators.namespace(client, "foreground")
        let base = "/api/v1/namespaces/\(namespace)/configmaps"
        let owner = try await client.post(base, APISemanticsTests.configMap("owner")).body
        var blocker = owned("blocker", by: owner)
        blocker[path: "metadata", "finalizers"] = ["example.com/slow"]
        _ = try await client.post(base, blocker)
        let deleting = try await client.delete("\(base)/owner", ["propagationPolicy": "Foreground"])
        #expect(deleting.body[path: "metadata", "finalizers"] == ["foregroundDeletion"])
        let dependentMarked = try await TestEmulators.eventually {
            try await client.get("\(base)/blocker").body[path: "metadata", "deletionTimestamp"] != nil
        }
        #expect(dependentMarked)
        #expect(try await exists(client, "\(base)/owner"))
        _ = try await client.patch("\(base)/blocker", ["metadata": ["finalizers": nil]])
        let ownerGone = try await TestEmulators.eventually { try await !exists(client, "\(base)/owner") }
        #expect(ownerGone)
    }

    @Test func objectsWhoseOwnerNeverExistedAreCollected() async throws {
        let client = try await emulator().client
        let namespace = try await TestEmulators.namespace(client, "dangling")
        let base = "/api/v1/namespaces/\(namespace)/configmaps"
        let phantom: JSONValue = ["metadata": ["name": "ghost", "uid": "11111111-2222-3333-4444-555555555555"]]
        _ = try await client.post(base, owned("orphaned", by: phantom))
        let collected = try await TestEmulators.eventually { try await !exists(client, "\(base)/orphaned") }
        #expect(collected)
    }

    @Test func namespaceDeletionRemovesItsContents() async throws {
        let client = try await emulator().client
        let namespace = try await TestEmulators.namespace(client, "doomed")
        _ = try await client.post("/api/v1/namespaces/\(namespace)/configmaps", APISemanticsTests.configMap("c"))
        _ = try await client.post("/apis/apps/v1/namespaces/\(namespace)/deployments", APISemanticsTests.deployment("d"))
        let serviceAccount = try await TestEmulators.eventually {
            try await exists(client, "/api/v1/namespaces/\(namespace)/serviceaccounts/default")
        }
        #expect(serviceAccount)
        let deleting = try await client.delete("/api/v1/namespaces/\(namespace)")
        #expect(deleting.status == 200)
        #expect(deleting.body[path: "status", "phase"] == "Terminating")
        let gone = try await TestEmulators.eventually { try await !exists(client, "/api/v1/namespaces/\(namespace)") }
        #expect(gone)
        #expect(try await client.get("/api/v1/namespaces/\(namespace)/configmaps/c").status == 404)

        let protected = try await client.delete("/api/v1/namespaces/default")
        #expect(protected.status == 403)
        #expect(protected.body["message"] == "namespaces \"default\" is forbidden: this namespace may not be deleted")
    }

    @Test func creatingInATerminatingNamespaceIsForbidden() async throws {
        let client = try await emulator().client
        let namespace = try await TestEmulators.namespace(client, "terminating")
        var held = APISemanticsTests.configMap("held")
        held[path: "metadata", "finalizers"] = ["example.com/hold"]
        _ = try await client.post("/api/v1/namespaces/\(namespace)/configmaps", held)
        _ = try await client.delete("/api/v1/namespaces/\(namespace)")
        let refused = try await client.post("/api/v1/namespaces/\(namespace)/configmaps", APISemanticsTests.configMap("new"))
        #expect(refused.status == 403)
        #expect(refused.body["message"] == .string("configmaps \"new\" is forbidden: unable to create new content in namespace \(namespace) because it is being terminated"))
        _ = try await client.patch("/api/v1/namespaces/\(namespace)/configmaps/held", ["metadata": ["finalizers": nil]])
        let gone = try await TestEmulators.eventually { try await !exists(client, "/api/v1/namespaces/\(namespace)") }
        #expect(gone)
    }

    @Test func deploymentsRollOutAndCanBeMadeToFail() async throws {
        let client = try await emulator().client
        let namespace = try await TestEmulators.namespace(client, "workloads")
        let base = "/apis/apps/v1/namespaces/\(namespace)/deployments"
        _ = try await client.post(base, APISemanticsTests.deployment("ok", replicas: 2))
        var failing = APISemanticsTests.deployment("broken", replicas: 1)
        failing[path: "metadata", "annotations"] = ["emulator.gitopskit.io/fail": "true"]
        _ = try await client.post(base, failing)
        let rolledOut = try await TestEmulators.eventually {
            try await client.get("\(base)/ok").body[path: "status", "readyReplicas"] == 2
        }
        #expect(rolledOut)
        let ok = try await client.get("\(base)/ok").body
        #expect(ok[path: "status", "observedGeneration"] == 1)
        #expect(ok[path: "status", "updatedReplicas"] == 2)
        #expect(ok[path: "status", "availableReplicas"] == 2)
        let conditions = ok[path: "status", "conditions"]?.arrayValue ?? []
        #expect(conditions.contains { $0["type"] == "Available" && $0["status"] == "True" && $0["reason"] == "MinimumReplicasAvailable" })
        #expect(conditions.contains { $0["type"] == "Progressing" && $0["reason"] == "NewReplicaSetAvailable" })

        let replicaSets = try await client.get("/apis/apps/v1/namespaces/\(namespace)/replicasets?labelSelector=app%3Dok")
        #expect(replicaSets.body["items"]?.arrayValue?.count == 1)
        #expect(replicaSets.body["items"]?[0]?[path: "metadata", "ownerReferences"]?[0]?["kind"] == "Deployment")

        let failed = try await TestEmulators.eventually {
            let status = try await client.get("\(base)/broken").body[path: "status", "conditions"]?.arrayValue ?? []
            return status.contains { $0["type"] == "Progressing" && $0["status"] == "False" && $0["reason"] == "ProgressDeadlineExceeded" }
        }
        #expect(failed)

        _ = try await client.patch("\(base)/ok", ["spec": ["replicas": 3]])
        let rescaled = try await TestEmulators.eventually {
            let body = try await client.get("\(base)/ok").body
            return body[path: "status", "observedGeneration"] == 2 && body[path: "status", "readyReplicas"] == 3
        }
        #expect(rescaled)
    }

    @Test func podsRunOrComplete() async throws {
        let client = try await emulator().client
        let namespace = try await TestEmulators.namespace(client, "pods")
        let base = "/api/v1/namespaces/\(namespace)/pods"
        func pod(_ name: String, restart: String) -> JSONValue {
            ["metadata": ["name": .string(name)],
             "spec": ["restartPolicy": .string(restart), "containers": [["name": "c", "image": "busybox"]]]]
        }
        let created = try await client.post(base, pod("server", restart: "Always"))
        #expect(created.body[path: "status", "phase"] == "Pending")
        #expect(created.body[path: "spec", "serviceAccountName"] == "default")
        _ = try await client.post(base, pod("task", restart: "Never"))
        let running = try await TestEmulators.eventually {
            try await client.get("\(base)/server").body[path: "status", "phase"] == "Running"
        }
        #expect(running)
        let ready = try await client.get("\(base)/server").body[path: "status", "containerStatuses"]?[0]?["ready"]
        #expect(ready == true)
        let succeeded = try await TestEmulators.eventually {
            try await client.get("\(base)/task").body[path: "status", "phase"] == "Succeeded"
        }
        #expect(succeeded)
    }

    @Test func jobsCompleteOrFail() async throws {
        let client = try await emulator().client
        let namespace = try await TestEmulators.namespace(client, "jobs")
        let base = "/apis/batch/v1/namespaces/\(namespace)/jobs"
        func job(_ name: String, fail: Bool) -> JSONValue {
            var object: JSONValue = ["metadata": ["name": .string(name)],
                                     "spec": ["template": ["spec": ["restartPolicy": "Never",
                                                                    "containers": [["name": "run", "image": "busybox"]]]]]]
            if fail { object[path: "metadata", "annotations"] = ["emulator.gitopskit.io/fail": "true"] }
            return object
        }
        let created = try await client.post(base, job("done", fail: false))
        #expect(created.status == 201)
        #expect(created.body[path: "spec", "selector", "matchLabels", "batch.kubernetes.io/controller-uid"] == created.body[path: "metadata", "uid"])
        _ = try await client.post(base, job("boom", fail: true))
        let complete = try await TestEmulators.eventually {
            let conditions = try await client.get("\(base)/done").body[path: "status", "conditions"]?.arrayValue ?? []
            return conditions.contains { $0["type"] == "Complete" && $0["status"] == "True" }
        }
        #expect(complete)
        let failed = try await TestEmulators.eventually {
            let conditions = try await client.get("\(base)/boom").body[path: "status", "conditions"]?.arrayValue ?? []
            return conditions.contains { $0["type"] == "Failed" && $0["reason"] == "BackoffLimitExceeded" }
        }
        #expect(failed)
        let invalid = try await client.post(base, ["metadata": ["name": "bad"],
                                                   "spec": ["template": ["spec": ["containers": [["name": "run", "image": "x"]]]]]])
        #expect(invalid.status == 422)
        #expect(invalid.body["message"] == "Job.batch \"bad\" is invalid: spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\"")
    }
}
