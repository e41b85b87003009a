import Foundation
import GitOpsKit
import GitOpsTestSupport
import KustomizeControllerKit
import Testing

/// `spec.serviceAccountName` and `--default-service-account`: everything a Kustomization applies, prunes and
/// health-checks goes through the API as that service account, so the emulator's RBAC decides — a Kustomization
/// without rights fails with the server's 403, and succeeds once a RoleBinding grants them.
@Suite(.serialized)
struct KustomizationImpersonationTests {
    typealias Env = KustomizeTestEnvironment

    static func grant(_ env: Env, account: String, namespace: String, clusterRole: String = "cluster-admin") async throws {
        try await env.create([
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
            "metadata": ["name": .string("\(account)-\(clusterRole)"), "namespace": .string(namespace)],
            "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": .string(clusterRole)],
            "subjects": [["kind": "ServiceAccount", "name": .string(account), "namespace": .string(namespace)]],
        ])
    }

    @Test func serviceAccountWithoutRightsFailsUntilARoleBindingGrantsThem() async throws {
        let env = try await Env.get()
        let ns = try await env.makeNamespace("impersonate")
        defer { Task { await env.cleanUp(namespace: ns) } }
        try await env.publish(["a.yaml": KustomizeFixtures.configMap("a"), "web.yaml": KustomizeFixtures.deployment("web")],
                              namespace: ns, commit: String(repeating: "1", count: 40))
        try await env.createKustomization("app", namespace: ns, spec: [
            "targetNamespace": .string(ns), "serviceAccountName": "deployer", "retryInterval": "1s", "wait": true,
        ])
        let user = "system:serviceaccount:\(ns):deployer"
        let failed = try await env.waitFor("app", namespace: ns, "forbidden") { $0.isReadyFalse }
        #expect(failed.readyReason == "ReconciliationFailed")
        #expect(failed.readyMessage == "ConfigMap/\(ns)/a dry-run failed (Forbidden): configmaps \"a\" is forbidden: User \"\(user)\" cannot patch resource \"configmaps\" in API group \"\" in the namespace \"\(ns)\"",
                "\(failed.readyMessage)")
        #expect(try await env.get(Env.configMapKind, "a", namespace: ns) == nil)

        // A Role that grants what applying, pruning and health checks need; the retry succeeds.
        try await env.create(["apiVersion": "v1", "kind": "ServiceAccount", "metadata": ["name": "deployer", "namespace": .string(ns)]])
        try await env.create([
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": ["name": "deployer", "namespace": .string(ns)],
            "rules": [["apiGroups": ["", "apps"], "resources": ["configmaps", "deployments"],
                       "verbs": ["get", "list", "watch", "create", "patch", "delete"]]],
        ])
        try await env.create([
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": ["name": "deployer", "namespace": .string(ns)],
            "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "deployer"],
            "subjects": [["kind": "ServiceAccount", "name": "deployer"]],
        ])
        let ks = try await env.waitFor("app", namespace: ns, "granted") { $0.isReadyTrue }
        #expect(ks.inventoryIDs == ["\(ns)_a__ConfigMap", "\(ns)_web_apps_Deployment"])
        #expect(ks.conditions[.healthy]?.status == .true)

        // An object outside the account's rights fails the apply; what it may touch stays.
        let second = try await env.publish(["a.yaml": KustomizeFixtures.configMap("a"), "web.yaml": KustomizeFixtures.deployment("web"),
                                            "svc.yaml": KustomizeFixtures.service],
                                           namespace: ns, commit: String(repeating: "2", count: 40))
        let denied = try await env.waitFor("app", namespace: ns, "service forbidden") {
            $0.isReadyFalse && $0.status?.lastAttemptedRevision == second
        }
        #expect(denied.readyMessage.contains("services \"web\" is forbidden: User \"\(user)\" cannot patch resource \"services\""),
                "\(denied.readyMessage)")

        // Deletion prunes as the account.
        try await env.client.delete(Kustomization.kind, ObjectKey(namespace: ns, name: "app"), options: DeleteOptions())
        try await env.eventually("objects pruned") {
            let configMap = try await env.get(Env.configMapKind, "a", namespace: ns)
            let deployment = try await env.get(Env.deploymentKind, "web", namespace: ns)
            let kustomization = try await env.get(Kustomization.kind, "app", namespace: ns)
            return configMap == nil && deployment == nil && kustomization == nil
        }
    }

    @Test func missingServiceAccountAtDeletionOrphansTheObjects() async throws {
        let env = try await Env.get()
        let ns = try await env.makeNamespace("ghost")
        defer { Task { await env.cleanUp(namespace: ns) } }
        try await env.publish(["a.yaml": KustomizeFixtures.configMap("a")], namespace: ns, commit: String(repeating: "3", count: 40))
        // RBAC does not need the ServiceAccount object; deletion does (Flux's CanImpersonate).
        try await Self.grant(env, account: "ghost", namespace: ns)
        try await env.createKustomization("app", namespace: ns, spec: ["targetNamespace": .string(ns), "serviceAccountName": "ghost"])
        try await env.waitFor("app", namespace: ns, "applied") { $0.isReadyTrue }
        try await env.client.delete(Kustomization.kind, ObjectKey(namespace: ns, name: "app"), options: DeleteOptions())
        try await env.eventually("Kustomization gone") { try await env.get(Kustomization.kind, "app", namespace: ns) == nil }
        #expect(try await env.get(Env.configMapKind, "a", namespace: ns) != nil)
        let events = try await env.events(for: "app", namespace: ns)
        #expect(events["PruneFailed"]?.contains("unable to prune objects: \nConfigMap/\(ns)/a") == true, "\(events)")
    }

    @Test func defaultServiceAccountAppliesWhenNoneIsSet() async throws {
        let env = try await Env.get()
        let ns = try await env.makeNamespace("default-sa")
        defer { Task { await env.cleanUp(namespace: ns) } }
        try await env.publish(["a.yaml": KustomizeFixtures.configMap("a")], namespace: ns, commit: String(repeating: "4", count: 40))
        let shard = [Env.shardLabel: Env.defaultServiceAccountShard]
        try await env.createKustomization("app", namespace: ns, spec: ["targetNamespace": .string(ns), "retryInterval": "1s"],
                                          labels: shard)
        let failed = try await env.waitFor("app", namespace: ns, "forbidden as the default account") { $0.isReadyFalse }
        #expect(failed.readyMessage.contains("User \"system:serviceaccount:\(ns):\(Env.defaultServiceAccount)\" cannot patch"),
                "\(failed.readyMessage)")
        // `spec.serviceAccountName` wins over the default.
        try await Self.grant(env, account: "own", namespace: ns)
        try await env.modify("app", namespace: ns) { $0[path: "spec", "serviceAccountName"] = "own" }
        try await env.waitFor("app", namespace: ns, "applied as its own account") { $0.isReadyTrue }
        #expect(try await env.get(Env.configMapKind, "a", namespace: ns) != nil)
    }
}
