import GitOpsKit
import KustomizeControllerKit
import Testing

/// Pure parts: bash-style substitution, Flux's apply order, kstatus health of built-in kinds, inventory identities.
struct VariableSubstitutionTests {
    let substitution = VariableSubstitution(variables: ["name": "web", "empty": "", "n": "3"])

    @Test func substitutesBashSyntax() throws {
        #expect(try substitution.substitute("app: ${name}") == "app: web")
        #expect(try substitution.substitute("${name}-${n}") == "web-3")
        #expect(try substitution.substitute("${missing:=fallback}") == "fallback")
        #expect(try substitution.substitute("${missing:-fallback}") == "fallback")
        #expect(try substitution.substitute("${empty:=fallback}") == "fallback")
        #expect(try substitution.substitute("${empty=fallback}") == "")
        #expect(try substitution.substitute("${missing:=${name}}") == "web")
        #expect(try substitution.substitute("$${name} and $name and $") == "${name} and $name and $")
        #expect(try substitution.substitute("no variables") == "no variables")
        #expect(try substitution.substitute("${unterminated") == "${unterminated")
    }

    @Test func strictModeNamesTheVariable() throws {
        #expect(throws: VariableSubstitution.Failure(message: "variable not set (strict mode): \"cluster_env\"")) {
            try substitution.substitute("env: ${cluster_env}")
        }
        #expect(try VariableSubstitution(variables: [:], strict: false).substitute("[${x}]") == "[]")
        #expect(throws: VariableSubstitution.Failure(message: "bad substitution: \"${1abc}\"")) { try substitution.substitute("${1abc}") }
        // Bash reads `${bad-name}` as `bad` with the default `name`.
        #expect(try substitution.substitute("${bad-name}") == "name")
    }

    @Test func validNames() {
        #expect(VariableSubstitution.isValidName("_a1"))
        #expect(VariableSubstitution.isValidName("CLUSTER_ENV"))
        #expect(!VariableSubstitution.isValidName("1abc"))
        #expect(!VariableSubstitution.isValidName("a-b"))
        #expect(!VariableSubstitution.isValidName(""))
    }
}

struct ApplyOrderTests {
    static func object(_ kind: String, _ name: String, namespace: String? = nil) -> JSONValue {
        var metadata: [String: JSONValue] = ["name": .string(name)]
        if let namespace { metadata["namespace"] = .string(namespace) }
        return ["apiVersion": "v1", "kind": .string(kind), "metadata": .object(metadata)]
    }

    @Test func stagesAndKindOrder() {
        let objects = [
            Self.object("Deployment", "web", namespace: "a"), Self.object("Widget", "w", namespace: "a"),
            Self.object("ValidatingWebhookConfiguration", "hook"), Self.object("Namespace", "a"),
            Self.object("ConfigMap", "b", namespace: "a"), Self.object("ConfigMap", "a", namespace: "a"),
            Self.object("CustomResourceDefinition", "widgets.x"), Self.object("IngressClass", "nginx"),
            Self.object("ServiceAccount", "sa", namespace: "a"),
        ]
        let stages = ApplyOrder.stages(objects).map { $0.objects.map { "\($0["kind"]?.stringValue ?? "")/\($0[path: "metadata", "name"]?.stringValue ?? "")" } }
        #expect(stages == [
            ["CustomResourceDefinition/widgets.x", "Namespace/a"],
            ["IngressClass/nginx"],
            ["ServiceAccount/sa", "ConfigMap/a", "ConfigMap/b", "Deployment/web", "Widget/w", "ValidatingWebhookConfiguration/hook"],
        ])
        #expect(ApplyOrder.stages(objects).map(\.waitsForReadiness) == [true, false, false])
    }
}

struct ResourceHealthTests {
    static func deployment(replicas: Int64, generation: Int64, status: JSONValue?) -> JSONValue {
        var object: JSONValue = ["apiVersion": "apps/v1", "kind": "Deployment",
                                 "metadata": ["name": "web", "generation": .int(generation)], "spec": ["replicas": .int(replicas)]]
        if let status { object["status"] = status }
        return object
    }

    @Test func deployments() {
        #expect(ResourceHealth.evaluate(Self.deployment(replicas: 2, generation: 1, status: nil)).status == .inProgress)
        let rolledOut: JSONValue = ["observedGeneration": 1, "replicas": 2, "updatedReplicas": 2, "readyReplicas": 2, "availableReplicas": 2]
        #expect(ResourceHealth.evaluate(Self.deployment(replicas: 2, generation: 1, status: rolledOut)) == .current)
        #expect(ResourceHealth.evaluate(Self.deployment(replicas: 2, generation: 2, status: rolledOut)).status == .inProgress)
        #expect(ResourceHealth.evaluate(Self.deployment(replicas: 3, generation: 1, status: rolledOut))
            == ResourceHealth(.inProgress, "Updated: 2/3"))
        let deadline: JSONValue = ["observedGeneration": 1, "conditions": [["type": "Progressing", "status": "False",
                                                                            "reason": "ProgressDeadlineExceeded"]]]
        #expect(ResourceHealth.evaluate(Self.deployment(replicas: 1, generation: 1, status: deadline)).status == .failed)
    }

    @Test func conditionsAndOtherKinds() {
        func custom(_ conditions: JSONValue) -> JSONValue {
            ["apiVersion": "x.io/v1", "kind": "Widget", "metadata": ["name": "w", "generation": 1],
             "status": ["observedGeneration": 1, "conditions": conditions]]
        }
        #expect(ResourceHealth.evaluate(custom([["type": "Ready", "status": "True"]])) == .current)
        #expect(ResourceHealth.evaluate(custom([["type": "Ready", "status": "False", "message": "waiting"]]))
            == ResourceHealth(.inProgress, "waiting"))
        #expect(ResourceHealth.evaluate(custom([["type": "Stalled", "status": "True", "message": "bad spec"]]))
            == ResourceHealth(.failed, "bad spec"))
        #expect(ResourceHealth.evaluate(["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "c"]]) == .current)
        let job: JSONValue = ["apiVersion": "batch/v1", "kind": "Job", "metadata": ["name": "j"],
                              "status": ["conditions": [["type": "Failed", "status": "True", "message": "backoff"]]]]
        #expect(ResourceHealth.evaluate(job) == ResourceHealth(.failed, "backoff"))
        let crd: JSONValue = ["apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": ["name": "c"]]
        #expect(ResourceHealth.evaluate(crd).status == .inProgress)
    }
}

struct ResourceIdentityTests {
    @Test func inventoryRoundTrip() throws {
        let deployment = ResourceIdentity(kind: GroupVersionKind(group: "apps", version: "v1", kind: "Deployment"), namespace: "apps", name: "web")
        #expect(deployment.inventoryEntry == ResourceRef(id: "apps_web_apps_Deployment", version: "v1"))
        #expect(deployment.subject == "Deployment/apps/web")
        #expect(ResourceIdentity(inventory: deployment.inventoryEntry) == deployment)
        let namespace = ResourceIdentity(kind: GroupVersionKind(group: "", version: "v1", kind: "Namespace"), namespace: "", name: "apps")
        #expect(namespace.subject == "Namespace/apps")
        #expect(namespace.inventoryEntry.id == "_apps__Namespace")
        #expect(ResourceIdentity(inventory: namespace.inventoryEntry) == namespace)
        var changes = ChangeSet()
        changes.append(ChangeSet.Entry(deployment, .configured))
        changes.append(ChangeSet.Entry(namespace, .unchanged))
        changes.append(ChangeSet.Entry(namespace, .deleted))
        #expect(changes.summary == "Deployment/apps/web configured\nNamespace/apps deleted")
    }
}

struct ManagedFieldsTakeoverTests {
    static func entry(_ manager: String, _ operation: String, _ fields: JSONValue, subresource: String? = nil) -> JSONValue {
        var entry: JSONValue = ["manager": .string(manager), "operation": .string(operation), "apiVersion": "v1",
                                "fieldsType": "FieldsV1", "fieldsV1": fields]
        if let subresource { entry["subresource"] = .string(subresource) }
        return entry
    }

    @Test func kubectlFieldsMoveToTheApplier() throws {
        let live: JSONValue = ["metadata": ["managedFields": [
            Self.entry("kc", "Apply", ["f:data": ["f:a": [:]]]),
            Self.entry("kubectl-edit", "Update", ["f:metadata": ["f:labels": ["f:x": [:]]]]),
            Self.entry("flux-client-side-apply", "Update", ["f:data": ["f:b": [:]]]),
            Self.entry("kube-controller-manager", "Update", ["f:status": [:]], subresource: "status"),
        ]]]
        let patch = try #require(ResourceApplier.takeoverPatch(for: live, fieldManager: "kc", apiVersion: "v1"))
        let entries = patch[path: "metadata", "managedFields"]?.arrayValue ?? []
        #expect(entries.compactMap { $0["manager"]?.stringValue } == ["kc", "flux-client-side-apply", "kube-controller-manager"])
        #expect(entries[0]["fieldsV1"] == ["f:data": ["f:a": [:]], "f:metadata": ["f:labels": ["f:x": [:]]]])
        #expect(patch[path: "metadata", "annotations"] == nil)
    }

    @Test func overrideManagersAreTakenOverToo() throws {
        let live: JSONValue = ["metadata": ["managedFields": [
            Self.entry("kc", "Apply", ["f:data": ["f:a": [:]]]),
            Self.entry("legacy-tool", "Apply", ["f:data": ["f:b": [:]]]),
            Self.entry("kc-old", "Update", ["f:data": ["f:c": [:]]]),
            Self.entry("gotk-kc", "Update", ["f:metadata": ["f:finalizers": [:]]]),
        ]]]
        #expect(ResourceApplier.takeoverPatch(for: live, fieldManager: "kc", apiVersion: "v1")?[path: "metadata", "managedFields"]?
            .arrayValue?.compactMap { $0["manager"]?.stringValue } == ["kc", "legacy-tool", "gotk-kc"])
        let patch = try #require(ResourceApplier.takeoverPatch(for: live, fieldManager: "kc", apiVersion: "v1",
                                                               overrideManagers: ["legacy"]))
        let entries = patch[path: "metadata", "managedFields"]?.arrayValue ?? []
        // The status manager (`gotk-…`) keeps the finalizer: a parent Kustomization never strips it.
        #expect(entries.compactMap { $0["manager"]?.stringValue } == ["kc", "gotk-kc"])
        #expect(entries[0]["fieldsV1"] == ["f:data": ["f:a": [:], "f:b": [:], "f:c": [:]]])
    }

    @Test func nothingToTakeOver() {
        let live: JSONValue = ["metadata": ["managedFields": [Self.entry("kc", "Apply", ["f:data": [:]]),
                                                              Self.entry("other", "Update", ["f:data": [:]])]]]
        #expect(ResourceApplier.takeoverPatch(for: live, fieldManager: "kc", apiVersion: "v1") == nil)
        let annotated: JSONValue = ["metadata": ["annotations": ["kubectl.kubernetes.io/last-applied-configuration": "{}"]]]
        let patch = ResourceApplier.takeoverPatch(for: annotated, fieldManager: "kc", apiVersion: "v1")
        #expect(patch?[path: "metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration"] == .null)
    }
}
