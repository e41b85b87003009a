import Testing
@testable import GitOpsKit

struct APIHelpersTests {
    @Test func finalizersAreAddedOnceAndRemovedCleanly() {
        var meta = ObjectMeta(name: "a")
        let added = meta.addFinalizer(GitRepository.finalizer)
        let addedAgain = meta.addFinalizer(GitRepository.finalizer)
        #expect(added && !addedAgain)
        #expect(meta.finalizers == ["finalizers.fluxcd.io"])
        #expect(meta.hasFinalizer("finalizers.fluxcd.io"))
        let removed = meta.removeFinalizer("finalizers.fluxcd.io")
        let removedAgain = meta.removeFinalizer("finalizers.fluxcd.io")
        #expect(removed && !removedAgain)
        #expect(meta.finalizers == nil)
    }

    @Test func perObjectPoliciesMatchIgnoringCase() {
        let meta = ObjectMeta(labels: ["kustomize.toolkit.fluxcd.io/prune": "disabled"],
                              annotations: ["kustomize.toolkit.fluxcd.io/ssa": "ifnotpresent",
                                            "kustomize.toolkit.fluxcd.io/force": ""])
        #expect(meta.hasLabelOrAnnotation(FluxAnnotation.kustomizePrune, equalTo: FluxAnnotationValue.disabled))
        #expect(meta.hasLabelOrAnnotation(FluxAnnotation.kustomizeSSA, equalTo: FluxAnnotationValue.ssaIfNotPresent))
        #expect(!meta.hasLabelOrAnnotation(FluxAnnotation.kustomizeSSA, equalTo: FluxAnnotationValue.ssaIgnore))
        #expect(!meta.hasLabelOrAnnotation(FluxAnnotation.kustomizeForce, equalTo: ""))
        #expect(!meta.hasLabelOrAnnotation(FluxAnnotation.kustomizeReconcile, equalTo: FluxAnnotationValue.disabled))
    }

    @Test func statusAccessorsForTheRuntime() throws {
        var ks = try Kustomization(from: fixture("kustomizationFluxSystem"))
        #expect(ks.status == nil)
        #expect(ks.observedGeneration == -1)
        #expect(ks.conditions.isEmpty)
        #expect(!ks.isReady)
        ks.metadata.generation = 2
        ks.observedGeneration = 2
        ks.conditions = [Condition(type: .ready, status: .true, reason: .reconciliationSucceeded,
                                   message: "Applied revision: main@sha1:abc", observedGeneration: 2)]
        #expect(ks.isReady)
        #expect(ks.conditions.isTrue(.ready))
        #expect(!ks.conditions.isFalse(.ready))
        #expect(ks.conditions[.stalled] == nil)
        ks.metadata.generation = 3
        #expect(!ks.isReady, "a Ready condition for an older generation is not ready")
        ks.conditions = []
        #expect(ks.status?.conditions == nil)
        #expect(ks.toJSON()[path: "status"] == ["observedGeneration": 2])

        ks.metadata.annotations = [FluxAnnotation.reconcileRequestedAt: "2024-05-02T10:00:00Z"]
        #expect(ks.hasPendingReconcileRequest)
        ks.lastHandledReconcileAt = ks.reconcileRequest
        #expect(!ks.hasPendingReconcileRequest)
        #expect(ks.toJSON()[path: "status", "lastHandledReconcileAt"] == "2024-05-02T10:00:00Z")
    }

    @Test func conditionDefaultsToWholeSecondTimestamps() {
        let condition = Condition(type: .reconciling, status: .true, reason: .progressing, message: "reconciling")
        #expect(condition.lastTransitionTime.nanoseconds == 0)
        #expect(condition.isTrue)
        #expect(ConditionStatus.allowedValues == [.true, .false, .unknown])
        #expect(ConditionType.ready.isAllowed, "open sets accept any value")
    }

    @Test(arguments: [
        ("apps_podinfo_apps_Deployment", "apps", "podinfo", "apps", "Deployment"),
        ("apps_podinfo__Service", "apps", "podinfo", "", "Service"),
        ("_apps-view_rbac.authorization.k8s.io_ClusterRole", "", "apps-view", "rbac.authorization.k8s.io", "ClusterRole"),
        ("_system__aggregate-to-view_rbac.authorization.k8s.io_ClusterRole", "", "system:aggregate-to-view",
         "rbac.authorization.k8s.io", "ClusterRole"),
    ])
    func inventoryIdentifiersParse(id: String, namespace: String, name: String, group: String, kind: String) throws {
        let ref = ResourceRef(id: id, version: "v1")
        let parts = try #require(ref.parts)
        #expect(parts.namespace == namespace)
        #expect(parts.name == name)
        #expect(parts.group == group)
        #expect(parts.kind == kind)
        #expect(ResourceRef(namespace: namespace, name: name, group: group, kind: kind, version: "v1") == ref)
        #expect(ref.kind == GroupVersionKind(group: group, version: "v1", kind: kind))
        #expect(ref.key == ObjectKey(namespace: namespace.isEmpty ? nil : namespace, name: name))
    }

    @Test func malformedInventoryIdentifiers() {
        #expect(ResourceRef(id: "nounderscores", version: "v1").parts == nil)
        #expect(ResourceRef(id: "ns_name", version: "v1").parts == nil)
        #expect(ResourceRef(id: "ns_name_Kind", version: "v1").parts == nil)
        #expect(ResourceRef(id: "ns_a_b_group_Kind", version: "v1").parts == nil)
        #expect(ResourceRef(id: "ns_a_b_group_Kind", version: "v1").key == nil)
        // Colons are only transcoded for RBAC kinds.
        #expect(ResourceRef(namespace: "ns", name: "a:b", group: "", kind: "ConfigMap", version: "v1").id == "ns_a:b__ConfigMap")
        #expect(ResourceRef(namespace: "", name: "a:b", group: "rbac.authorization.k8s.io", kind: "ClusterRoleBinding",
                            version: "v1").id == "_a__b_rbac.authorization.k8s.io_ClusterRoleBinding")
    }

    @Test func historyRecordsLikeFlux() throws {
        var history: [ReconcileSnapshot] = []
        let t0 = try KubeTime(parsing: "2024-05-02T10:00:00Z")
        history.record(digest: "sha256:a", at: t0, duration: .seconds(1), status: "ReconciliationSucceeded", metadata: nil)
        history.record(digest: "sha256:a", at: t0.adding(.minutes(10)), duration: .seconds(2),
                       status: "ReconciliationSucceeded", metadata: ["revision": "r1"])
        #expect(history.count == 1)
        #expect(history[0].totalReconciliations == 2)
        #expect(history[0].firstReconciled == t0)
        #expect(history[0].lastReconciled == t0.adding(.minutes(10)))
        #expect(history[0].metadata == ["revision": "r1"])
        history.record(digest: "sha256:a", at: t0.adding(.minutes(20)), duration: .seconds(3),
                       status: "HealthCheckFailed", metadata: nil)
        #expect(history.map(\.lastReconciledStatus) == ["HealthCheckFailed", "ReconciliationSucceeded"])
        history.record(digest: "sha256:a", at: t0.adding(.minutes(30)), duration: .seconds(3),
                       status: "ReconciliationSucceeded", metadata: nil)
        #expect(history.map(\.lastReconciledStatus) == ["ReconciliationSucceeded", "HealthCheckFailed"])
        #expect(history[0].totalReconciliations == 3)
        for i in 0..<10 {
            history.record(digest: "sha256:\(i)", at: t0, duration: .zero, status: "ReconciliationSucceeded", metadata: nil)
        }
        #expect(history.count == ReconcileSnapshot.historyLimit)
        #expect(history.first?.digest == "sha256:9")
    }

    @Test func labelSelectorMatching() {
        let selector = LabelSelector(matchLabels: ["env": "production"], matchExpressions: [
            .init(key: "tier", operator: "In", values: ["frontend", "backend"]),
            .init(key: "legacy", operator: "DoesNotExist"),
        ])
        #expect(selector.matches(["env": "production", "tier": "frontend"]))
        #expect(!selector.matches(["env": "production", "tier": "db"]))
        #expect(!selector.matches(["env": "staging", "tier": "frontend"]))
        #expect(!selector.matches(["env": "production", "tier": "frontend", "legacy": "yes"]))
        #expect(LabelSelector().matches([:]))
        #expect(!LabelSelector(matchExpressions: [.init(key: "a", operator: "Exists")]).matches(["b": "1"]))
        #expect(LabelSelector(matchExpressions: [.init(key: "a", operator: "NotIn", values: ["1"])]).matches(["b": "1"]))
        #expect(!LabelSelector(matchExpressions: [.init(key: "a", operator: "Unknown")]).matches(["a": "1"]))
    }

    @Test func artifactDigestPattern() {
        #expect(Artifact.isValidDigest("sha256:3b0e8e8f0e0f9a3c"))
        #expect(Artifact.isValidDigest("sha512:AbC=_-"))
        #expect(Artifact.isValidDigest("multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8"))
        #expect(!Artifact.isValidDigest("sha256"))
        #expect(!Artifact.isValidDigest("SHA256:abc"))
        #expect(!Artifact.isValidDigest("sha256:"))
        #expect(!Artifact.isValidDigest(":abc"))
        #expect(!Artifact.isValidDigest("sha256-:abc"))
        #expect(!Artifact.isValidDigest("sha256:ab/c"))
    }

    @Test func referencesDescribeThemselves() {
        #expect(DependencyReference(name: "infra", namespace: "flux-system", readyExpr: "true").description == "flux-system/infra@true")
        #expect(DependencyReference(name: "infra").key(defaultNamespace: "apps") == ObjectKey(namespace: "apps", name: "infra"))
        #expect(CrossNamespaceSourceReference(kind: "GitRepository", name: "flux-system").description == "GitRepository/flux-system")
        #expect(CrossNamespaceSourceReference(kind: "GitRepository", name: "r", namespace: "ns").key(defaultNamespace: "x")
                == ObjectKey(namespace: "ns", name: "r"))
        #expect(NamespacedObjectReference(name: "a", namespace: "b").description == "b/a")
        #expect(ValuesReference(kind: .configMap, name: "v").effectiveValuesKey == "values.yaml")
        #expect(KubeConfigReference(secretRef: SecretKeyReference(name: "kc")).secretKey == "value")
        #expect(KubeConfigReference(secretRef: SecretKeyReference(name: "kc", key: "config")).secretKey == "config")
        #expect(KubeConfigReference(configMapRef: LocalObjectReference(name: "c")).secretKey == nil)
    }
}
