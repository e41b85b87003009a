import Foundation
import GitOpsKit
@testable import KubeEmulator
import Testing

/// CRUD, concurrency, generation and error semantics over HTTP.
@Suite struct APISemanticsTests {
    func emulator() async throws -> RunningEmulator { try await TestEmulators.plain.value }

    static func configMap(_ name: String, data: JSONValue = ["a": "1"], labels: JSONValue? = nil) -> JSONValue {
        var object: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name)], "data": data]
        if let labels { object[path: "metadata", "labels"] = labels }
        return object
    }

    static func deployment(_ name: String, replicas: Int64 = 1, image: String = "nginx:1.27") -> JSONValue {
        ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": .string(name)],
         "spec": ["replicas": .int(replicas), "selector": ["matchLabels": ["app": .string(name)]],
                  "template": ["metadata": ["labels": ["app": .string(name)]],
                               "spec": ["containers": [["name": "main", "image": .string(image)]]]]]]
    }

    @Test func requestsWithoutTheTokenAreUnauthorized() async throws {
        let running = try await emulator()
        let anonymous = try await running.anonymous.get("/api/v1/namespaces")
        #expect(anonymous.status == 401)
        #expect(anonymous.body["kind"] == "Status")
        #expect(anonymous.body["reason"] == "Unauthorized")
        #expect(anonymous.body["message"] == "Unauthorized")
        let wrong = try await TestHTTPClient(baseURL: running.endpoint.url, token: "not-the-token").get("/version")
        #expect(wrong.status == 401)
        let health = try await running.anonymous.get("/healthz")
        #expect(health.status == 200)
    }

    @Test func createsGetsAndRejectsDuplicates() async throws {
        let client = try await emulator().client
        let namespace = try await TestEmulators.namespace(client, "crud")
        let created = try await client.post("/api/v1/namespaces/\(namespace)/configmaps", Self.configMap("one"))
        #expect(created.status == 201)
        #expect(created.body[path: "metadata", "uid"]?.stringValue?.count == 36)
        #expect(created.body[path: "metadata", "creationTimestamp"]?.stringValue?.hasSuffix("Z") == true)
        #expect(created.body[path: "metadata", "namespace"] == .string(namespace))
        #expect(created.body[path: "metadata", "generation"] == nil)
        let fetched = try await client.get("/api/v1/namespaces/\(namespace)/configmaps/one")
        #expect(fetched.status == 200)
        #expect(fetched.body["data"] == ["a": "1"])
        #expect(fetched.resourceVersion == created.resourceVersion)

        let duplicate = try await client.post("/api/v1/namespaces/\(namespace)/configmaps", Self.configMap("one"))
        #expect(duplicate.status == 409)
        #expect(duplicate.body["reason"] == "AlreadyExists")
        #expect(duplicate.body["message"] == "configmaps \"one\" already exists")
        #expect(duplicate.body[path: "details", "kind"] == "configmaps")

        let missing = try await client.get("/apis/apps/v1/namespaces/\(namespace)/deployments/nope")
        #expect(missing.status == 404)
        #expect(missing.body["message"] == "deployments.apps \"nope\" not found")
        #expect(missing.body[path: "details", "group"] == "apps")
    }

    @Test func generateNameAndNamespaceChecks() async throws {
        let client = try await emulator().client
        let namespace = try await TestEmulators.namespace(client, "gen")
        let generated = try await client.post("/api/v1/namespaces/\(namespace)/configmaps",
                                              ["metadata": ["generateName": "cfg-"], "data": ["k": "v"]])
        #expect(generated.status == 201)
        let name = generated.body[path: "metadata", "name"]?.stringValue ?? ""
        #expect(name.hasPrefix("cfg-") && name.count == 9)

        let noNamespace = try await client.post("/api/v1/namespaces/absent-ns/configmaps", Self.configMap("x"))
        #expect(noNamespace.status == 404)
        #expect(noNamespace.body["message"] == "namespaces \"absent-ns\" not found")

        var mismatched = Self.configMap("y")
        mismatched[path: "metadata", "namespace"] = "other"
        let mismatch = try await client.post("/api/v1/namespaces/\(namespace)/configmaps", mismatched)
        #expect(mismatch.status == 400)
        #expect(mismatch.body["message"] == "the namespace of the provided object does not match the namespace sent on the request")

        let invalid = try await client.post("/api/v1/namespaces/\(namespace)/configmaps", Self.configMap("Bad_Name"))
        #expect(invalid.status == 422)
        #expect(invalid.body["reason"] == "Invalid")
        #expect(invalid.body["message"]?.stringValue?.hasPrefix("ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain") == true)
        #expect(invalid.body[path: "details", "causes"]?[0]?["field"] == "metadata.name")
        #expect(invalid.body[path: "details", "causes"]?[0]?["reason"] == "FieldValueInvalid")

        let nameless = try await client.post("/api/v1/namespaces/\(namespace)/configmaps", ["data": ["a": "b"]])
        #expect(nameless.status == 422)
        #expect(nameless.body["message"] == "ConfigMap \"\" is invalid: metadata.name: Required value: name or generateName is required")
    }

    @Test func staleUpdatesConflict() async throws {
        let client = try await emulator().client
        let namespace = try await TestEmulators.namespace(client, "conflict")
        let path = "/api/v1/namespaces/\(namespace)/configmaps/shared"
        let created = try await client.post("/api/v1/namespaces/\(namespace)/configmaps", Self.configMap("shared"))
        var first = created.body
        first["data"] = ["a": "2"]
        let updated = try await client.put(path, first)
        #expect(updated.status == 200)
        #expect(Int(updated.resourceVersion) ?? 0 > Int(created.resourceVersion) ?? 0)

        var stale = created.body
        stale["data"] = ["a": "3"]
        let conflict = try await client.put(path, stale)
        #expect(conflict.status == 409)
        #expect(conflict.body["reason"] == "Conflict")
        #expect(conflict.body["message"] == "Operation cannot be fulfilled on configmaps \"shared\": the object has been modified; please apply your changes to the latest version and try again")
        let current = try await client.get(path)
        #expect(current.body["data"] == ["a": "2"])

        var unconditional = created.body
        unconditional[path: "metadata", "resourceVersion"] = nil
        unconditional["data"] = ["a": "4"]
        #expect(try await client.put(path, unconditional).status == 200)

        let wrongName = try await client.put("/api/v1/namespaces/\(namespace)/configmaps/other", unconditional)
        #expect(wrongName.status == 400)
        #expect(wrongName.body["message"] == "the name of the object (shared) does not match the name on the URL (other)")
    }

    @Test func noOpUpdatesKeepTheResourceVersion() async throws {
        let client = try await emulator().client
        let namespace = try await TestEmulators.namespace(client, "noop")
        let created = try await client.post("/api/v1/namespaces/\(namespace)/configmaps", Self.configMap("same"))
        let again = try await client.put("/api/v1/namespaces/\(namespace)/configmaps/same", created.body)
        #expect(again.status == 200)
        #expect(again.resourceVersion == created.resourceVersion)
        let patched = try await client.patch("/api/v1/namespaces/\(namespace)/configmaps/same", ["data": ["a": "1"]])
        #expect(patched.resourceVersion == created.resourceVersion)
    }

    @Test func generationBumpsOnSpecChangesOnly() async throws {
        let client = try await emulator().client
        let namespace = try await TestEmulators.namespace(client, "generation")
        let base = "/apis/apps/v1/namespaces/\(namespace)/deployments"
        let created = try await client.post(base, Self.deployment("web"))
        #expect(created.status == 201)
        #expect(created.body[path: "metadata", "generation"] == 1)
        #expect(created.body["status"] == .object([:]))

        let labelled = try await client.patch("\(base)/web", ["metadata": ["labels": ["tier": "front"]]])
        #expect(labelled.body[path: "metadata", "generation"] == 1)

        let statusViaMain = try await client.patch("\(base)/web", ["status": ["replicas": 7]])
        #expect(statusViaMain.body[path: "status", "replicas"] != 7)
        #expect(statusViaMain.body[path: "metadata", "generation"] == 1)

        let scaled = try await client.patch("\(base)/web", ["spec": ["replicas": 3]])
        #expect(scaled.body[path: "metadata", "generation"] == 2)

        let statusWrite = try await client.patch("\(base)/web/status",
                                                 ["spec": ["replicas": 9], "status": ["observedGeneration": 2, "replicas": 5]])
        #expect(statusWrite.status == 200)
        #expect(statusWrite.body[path: "status", "replicas"] == 5)
        #expect(statusWrite.body[path: "spec", "replicas"] == 3)
        #expect(statusWrite.body[path: "metadata", "generation"] == 2)

        let imageChange = try await client.patch("\(base)/web", ["spec": ["template": ["spec": ["containers": [["name": "main", "image": "nginx:1.28"]]]]]])
        #expect(imageChange.body[path: "metadata", "generation"] == 3)
    }

    @Test func builtInDefaultsAndValidation() async throws {
        let client = try await emulator().client
        let namespace = try await TestEmulators.namespace(client, "defaults")
        let created = try await client.post("/apis/apps/v1/namespaces/\(namespace)/deployments", Self.deployment("d"))
        #expect(created.body[path: "spec", "strategy", "rollingUpdate", "maxSurge"] == "25%")
        #expect(created.body[path: "spec", "template", "spec", "containers"]?[0]?["imagePullPolicy"] == "IfNotPresent")
        #expect(created.body[path: "spec", "template", "spec", "restartPolicy"] == "Always")

        var mismatched = Self.deployment("bad")
        mismatched[path: "spec", "template", "metadata", "labels"] = ["app": "other"]
        let invalid = try await client.post("/apis/apps/v1/namespaces/\(namespace)/deployments", mismatched)
        #expect(invalid.status == 422)
        #expect(invalid.body["message"] == "Deployment.apps \"bad\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not match template `labels`")

        let service = try await client.post("/api/v1/namespaces/\(namespace)/services",
                                            ["metadata": ["name": "svc"], "spec": ["ports": [["port": 80]], "selector": ["app": "d"]]])
        #expect(service.status == 201)
        #expect(service.body[path: "spec", "clusterIP"]?.stringValue?.hasPrefix("10.96.") == true)
        #expect(service.body[path: "spec", "ports"]?[0]?["targetPort"] == 80)
        #expect(service.body[path: "spec", "type"] == "ClusterIP")

        let secret = try await client.post("/api/v1/namespaces/\(namespace)/secrets",
                                           ["metadata": ["name": "s"], "stringData": ["password": "hunter2"]])
        #expect(secret.body[path: "data", "password"] == "aHVudGVyMg==")
        #expect(secret.body["stringData"] == nil)
        #expect(secret.body["type"] == "Opaque")
    }

    @Test func errorsForUnknownPathsMethodsAndMediaTypes() async throws {
        let client = try await emulator().client
        let unknown = try await client.get("/apis/nothing.example.com/v1/things")
        #expect(unknown.status == 404)
        #expect(unknown.body["message"] == "the server could not find the requested resource")
        let method = try await client.request("PUT", "/api/v1/namespaces/default/configmaps", body: Self.configMap("x"))
        #expect(method.status == 405)
        #expect(method.body["reason"] == "MethodNotAllowed")
        let media = try await client.patch("/api/v1/namespaces/default/configmaps/x", ["a": 1], type: "text/plain")
        #expect(media.status == 415)
        #expect(media.body["message"] == "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml")
    }

    @Test func dryRunLeavesNoTrace() async throws {
        let running = try await emulator()
        let client = running.client
        let namespace = try await TestEmulators.namespace(client, "dryrun")
        let base = "/api/v1/namespaces/\(namespace)/configmaps"
        let watch = client.watch("\(base)?watch=true")
        defer { watch.cancel() }
        let dryCreate = try await client.request("POST", "\(base)?dryRun=All", body: Self.configMap("ghost"))
        #expect(dryCreate.status == 201)
        #expect(dryCreate.body[path: "metadata", "uid"] != nil)
        #expect(dryCreate.body[path: "metadata", "resourceVersion"] == nil)
        #expect(try await client.get("\(base)/ghost").status == 404)

        let real = try await client.post(base, Self.configMap("real"))
        let dryPatch = try await client.request("PATCH", "\(base)/real?dryRun=All", body: ["data": ["a": "changed"]],
                                                contentType: "application/merge-patch+json")
        #expect(dryPatch.body[path: "data", "a"] == "changed")
        let dryDelete = try await client.request("DELETE", "\(base)/real?dryRun=All")
        #expect(dryDelete.status == 200)
        let afterDryRuns = try await client.get("\(base)/real")
        #expect(afterDryRuns.body[path: "data", "a"] == "1")
        #expect(afterDryRuns.resourceVersion == real.resourceVersion)

        let first = await watch.next()
        #expect(first?["type"] == "ADDED")
        #expect(first?[path: "object", "metadata", "name"] == "real")
        _ = try await client.post(base, Self.configMap("marker"))
        let second = await watch.next()
        #expect(second?[path: "object", "metadata", "name"] == "marker")
    }

    @Test func unknownFieldsOfBuiltInKindsFollowFieldValidation() async throws {
        let client = try await emulator().client
        let namespace = try await TestEmulators.namespace(client, "unknown")
        var object = Self.configMap("u")
        object["colour"] = "blue"
        object[path: "metadata", "bogus"] = "x"
        let base = "/api/v1/namespaces/\(namespace)/configmaps"
        let strict = try await client.request("POST", "\(base)?fieldValidation=Strict", body: object)
        #expect(strict.status == 400)
        #expect(strict.body["message"] == "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: unknown field \"colour\"")
        let warned = try await client.request("POST", "\(base)?fieldValidation=Warn", body: object)
        #expect(warned.status == 201)
        #expect(warned.headers["warning"] == "299 - \"unknown field \\\"colour\\\"\"")
        #expect(warned.body["colour"] == nil)
        #expect(warned.body[path: "metadata", "bogus"] == nil)
        var nested = Self.deployment("n")
        nested[path: "spec", "template", "spec", "containers"] = [["name": "main", "image": "x", "imagePolicy": "Always"]]
        let deep = try await client.request("POST", "/apis/apps/v1/namespaces/\(namespace)/deployments?fieldValidation=Strict", body: nested)
        #expect(deep.status == 400)
        #expect(deep.body["message"]?.stringValue?.hasSuffix("unknown field \"spec.template.spec.containers[0].imagePolicy\"") == true)
    }

    @Test func dryRunCreateNeedsTheNamespace() async throws {
        let client = try await emulator().client
        let response = try await client.request("POST", "/api/v1/namespaces/nowhere/configmaps?dryRun=All", body: Self.configMap("x"))
        #expect(response.status == 404)
        #expect(response.body["message"] == "namespaces \"nowhere\" not found")
    }

    @Test func bindingSubjectsAreValidated() async throws {
        let client = try await emulator().client
        let roleRef: JSONValue = ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"]
        func binding(_ subject: JSONValue) -> JSONValue {
            ["apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": ["name": "b"],
             "roleRef": roleRef, "subjects": [subject]]
        }
        let path = "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings"
        let missingNamespace = try await client.request("POST", path, body: binding(["kind": "ServiceAccount", "name": "sa"]))
        #expect(missingNamespace.status == 422)
        #expect(missingNamespace.body["message"]?.stringValue?.contains("subjects[0].namespace: Required value") == true,
                "\(missingNamespace.body)")
        let badKind = try await client.request("POST", path, body: binding(["kind": "Robot", "name": "r"]))
        #expect(badKind.status == 422)
        let valid = try await client.request("POST", path, body: binding(["kind": "ServiceAccount", "name": "sa", "namespace": "default"]))
        #expect(valid.status == 201, "\(valid.body)")
    }

    @Test func invalidDryRunValueIsRejected() async throws {
        let client = try await emulator().client
        let response = try await client.request("POST", "/api/v1/namespaces/default/configmaps?dryRun=Some",
                                                body: Self.configMap("x"))
        #expect(response.status == 400)
    }
}
