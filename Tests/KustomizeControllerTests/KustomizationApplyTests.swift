import Foundation
import GitOpsKit
import GitOpsTestSupport
import KustomizeControllerKit
import Testing

/// The core loop against the emulator: first apply (inventory, owner labels, field manager, change-set event), a new
/// revision that scales, adds and removes objects (applied and pruned), a steady state that writes nothing, hand-made
/// drift put back on the next reconcile, and deletion garbage-collecting what was applied.
@Suite(.serialized)
struct KustomizationApplyTests {
    typealias Env = KustomizeTestEnvironment

    @Test func applyUpdatePruneAndDelete() async throws {
        let env = try await Env.get()
        let ns = try await env.makeNamespace("apply")
        defer { Task { await env.cleanUp(namespace: ns) } }
        let first = try await env.publish(KustomizeFixtures.first, namespace: ns, commit: String(repeating: "a", count: 40))
        try await env.createKustomization("app", namespace: ns, spec: ["path": "./overlays/dev", "targetNamespace": .string(ns)])

        var ks = try await env.waitFor("app", namespace: ns, "first revision applied") { $0.isReadyTrue }
        #expect(ks.readyReason == "ReconciliationSucceeded")
        #expect(ks.readyMessage == "Applied revision: \(first)")
        #expect(ks.status?.lastAppliedRevision == first)
        #expect(ks.status?.lastAttemptedRevision == first)
        #expect(ks.observedGeneration == ks.generation)
        #expect(ks.metadata.finalizers == ["finalizers.fluxcd.io"])
        #expect(ks.inventoryIDs == ["\(ns)_dev-settings__ConfigMap", "\(ns)_dev-web__Service", "\(ns)_dev-web_apps_Deployment"])
        #expect(ks.status?.inventory?.entries.map(\.version) == ["v1", "v1", "v1"])

        let deployment = try #require(try await env.get(Env.deploymentKind, "dev-web", namespace: ns))
        #expect(deployment[path: "metadata", "labels", "kustomize.toolkit.fluxcd.io/name"] == "app")
        #expect(deployment[path: "metadata", "labels", "kustomize.toolkit.fluxcd.io/namespace"] == .string(ns))
        let managers = (deployment[path: "metadata", "managedFields"]?.arrayValue ?? []).compactMap { $0["manager"]?.stringValue }
        #expect(managers.contains("kustomize-controller"))
        #expect(deployment[path: "spec", "replicas"] == 1)
        var events = try await env.events(for: "app", namespace: ns)
        let created = "ConfigMap/\(ns)/dev-settings created\nService/\(ns)/dev-web created\nDeployment/\(ns)/dev-web created"
        #expect(events["Progressing"]?.contains(created) == true, "\(events)")
        #expect(events["ReconciliationSucceeded"]?.contains("Applied revision: \(first)") == true)
        // The final status asks for a commit status (notification-controller's git providers); progress does not.
        let recorded = try await env.client.list(GroupVersionKind(group: "", version: "v1", kind: "Event"), namespace: ns,
                                                 options: ListOptions()).items
        let commitStatus = "kustomize.toolkit.fluxcd.io/commit_status"
        #expect(recorded.first { $0["reason"] == "ReconciliationSucceeded" }?[path: "metadata", "annotations", commitStatus] == "update")
        #expect(recorded.first { $0["reason"] == "Progressing" }.map { $0[path: "metadata", "annotations", commitStatus] == nil } == true)

        // Steady state: a reconcile of the same revision writes nothing (once the emulator reported the rollout).
        try await env.eventually("rollout reported") {
            try await env.get(Env.deploymentKind, "dev-web", namespace: ns)?[path: "status", "readyReplicas"] == 1
        }
        let versionsBefore = try await resourceVersions(env, ns)
        var token = try await env.requestReconcile("app", namespace: ns)
        ks = try await env.waitFor("app", namespace: ns, "reconcile request handled") { $0.status?.lastHandledReconcileAt == token }
        #expect(try await resourceVersions(env, ns) == versionsBefore)

        // Drift: scaled by hand and a ConfigMap deleted; the next reconcile puts both back.
        var scaled = try #require(try await env.get(Env.deploymentKind, "dev-web", namespace: ns))
        scaled[path: "spec", "replicas"] = 5
        scaled[path: "metadata", "labels", "hand-made"] = "true"
        scaled[path: "metadata", "managedFields"] = nil
        _ = try await env.client.update(scaled, options: WriteOptions(fieldManager: "kubectl-edit"))
        try await env.client.delete(Env.configMapKind, ObjectKey(namespace: ns, name: "dev-settings"), options: DeleteOptions())
        token = try await env.requestReconcile("app", namespace: ns)
        ks = try await env.waitFor("app", namespace: ns, "drift corrected") { $0.status?.lastHandledReconcileAt == token }
        let corrected = try #require(try await env.get(Env.deploymentKind, "dev-web", namespace: ns))
        #expect(corrected[path: "spec", "replicas"] == 1)
        #expect(corrected[path: "metadata", "labels", "hand-made"] == nil)
        let correctedManagers = (corrected[path: "metadata", "managedFields"]?.arrayValue ?? []).compactMap { $0["manager"]?.stringValue }
        #expect(!correctedManagers.contains("kubectl-edit"), "\(correctedManagers)")
        #expect(try await env.get(Env.configMapKind, "dev-settings", namespace: ns) != nil)
        events = try await env.events(for: "app", namespace: ns)
        #expect(events["Progressing"]?.contains("ConfigMap/\(ns)/dev-settings created\nDeployment/\(ns)/dev-web configured") == true,
                "\(events)")

        // A new revision: replicas 3, settings removed, feature-flags added — applied and pruned in one reconcile.
        let second = try await env.publish(KustomizeFixtures.second, namespace: ns, commit: String(repeating: "b", count: 40))
        ks = try await env.waitFor("app", namespace: ns, "second revision applied") { $0.status?.lastAppliedRevision == second }
        #expect(ks.readyMessage == "Applied revision: \(second)")
        #expect(ks.inventoryIDs == ["\(ns)_dev-feature-flags__ConfigMap", "\(ns)_dev-web__Service", "\(ns)_dev-web_apps_Deployment"])
        #expect(try await env.get(Env.deploymentKind, "dev-web", namespace: ns)?[path: "spec", "replicas"] == 3)
        #expect(try await env.get(Env.configMapKind, "dev-feature-flags", namespace: ns) != nil)
        #expect(try await env.get(Env.configMapKind, "dev-settings", namespace: ns) == nil)
        events = try await env.events(for: "app", namespace: ns)
        let changes = "ConfigMap/\(ns)/dev-feature-flags created\nDeployment/\(ns)/dev-web configured\nConfigMap/\(ns)/dev-settings deleted"
        #expect(events["Progressing"]?.contains(changes) == true, "\(events)")

        // Deleting the Kustomization (prune: true) removes what it applied.
        try await env.client.delete(Kustomization.kind, ObjectKey(namespace: ns, name: "app"), options: DeleteOptions())
        try await env.eventually("objects garbage-collected") {
            let deployment = try await env.get(Env.deploymentKind, "dev-web", namespace: ns)
            let service = try await env.get(Env.serviceKind, "dev-web", namespace: ns)
            let flags = try await env.get(Env.configMapKind, "dev-feature-flags", namespace: ns)
            let kustomization = try await env.get(Kustomization.kind, "app", namespace: ns)
            return deployment == nil && service == nil && flags == nil && kustomization == nil
        }
    }

    @Test func pruneRespectsOptOutAndForeignObjects() async throws {
        let env = try await Env.get()
        let ns = try await env.makeNamespace("optout")
        defer { Task { await env.cleanUp(namespace: ns) } }
        let keep = "  annotations:\n    kustomize.toolkit.fluxcd.io/prune: disabled\n"
        try await env.publish([
            "deploy/keep.yaml": KustomizeFixtures.configMap("keep", annotations: keep),
            "deploy/gone.yaml": KustomizeFixtures.configMap("gone"),
            "deploy/stays.yaml": KustomizeFixtures.configMap("stays"),
            "deploy/foreign.yaml": KustomizeFixtures.configMap("foreign"),
        ], namespace: ns, commit: String(repeating: "1", count: 40))
        try await env.createKustomization("app", namespace: ns, spec: ["path": "deploy", "targetNamespace": .string(ns)])
        try await env.waitFor("app", namespace: ns, "applied") { $0.isReadyTrue }
        // Someone else takes over `foreign`: without our owner labels it is no longer ours to delete.
        var foreign = try #require(try await env.get(Env.configMapKind, "foreign", namespace: ns))
        foreign[path: "metadata", "labels", "kustomize.toolkit.fluxcd.io/name"] = "other"
        _ = try await env.client.update(foreign, options: WriteOptions(fieldManager: "someone"))
        let second = try await env.publish(["deploy/stays.yaml": KustomizeFixtures.configMap("stays")],
                                           namespace: ns, commit: String(repeating: "2", count: 40))
        let ks = try await env.waitFor("app", namespace: ns, "second applied") { $0.status?.lastAppliedRevision == second }
        #expect(ks.inventoryIDs == ["\(ns)_stays__ConfigMap"])
        #expect(try await env.get(Env.configMapKind, "keep", namespace: ns) != nil)
        #expect(try await env.get(Env.configMapKind, "foreign", namespace: ns) != nil)
        #expect(try await env.get(Env.configMapKind, "gone", namespace: ns) == nil)
    }

    @Test func noPruneWhenDisabledAndOrphanOnDelete() async throws {
        let env = try await Env.get()
        let ns = try await env.makeNamespace("noprune")
        defer { Task { await env.cleanUp(namespace: ns) } }
        try await env.publish(["a.yaml": KustomizeFixtures.configMap("a"), "b.yaml": KustomizeFixtures.configMap("b")],
                              namespace: ns, commit: String(repeating: "3", count: 40))
        try await env.createKustomization("app", namespace: ns, spec: ["targetNamespace": .string(ns), "prune": false])
        try await env.waitFor("app", namespace: ns, "applied") { $0.isReadyTrue }
        let second = try await env.publish(["a.yaml": KustomizeFixtures.configMap("a")], namespace: ns,
                                           commit: String(repeating: "4", count: 40))
        try await env.waitFor("app", namespace: ns, "second applied") { $0.status?.lastAppliedRevision == second }
        #expect(try await env.get(Env.configMapKind, "b", namespace: ns) != nil)
        try await env.client.delete(Kustomization.kind, ObjectKey(namespace: ns, name: "app"), options: DeleteOptions())
        try await env.eventually("Kustomization gone") { try await env.get(Kustomization.kind, "app", namespace: ns) == nil }
        #expect(try await env.get(Env.configMapKind, "a", namespace: ns) != nil)
    }

    @Test func customResourceDefinitionAndCustomResourceInOnePath() async throws {
        let env = try await Env.get()
        let ns = try await env.makeNamespace("crds")
        defer { Task { await env.cleanUp(namespace: ns) } }
        let group = "\(ns).example.com"
        let crd = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: widgets.\(group)
            spec:
              group: \(group)
              scope: Namespaced
              names: {plural: widgets, singular: widget, kind: Widget, listKind: WidgetList}
              versions:
              - name: v1
                served: true
                storage: true
                schema:
                  openAPIV3Schema:
                    type: object
                    x-kubernetes-preserve-unknown-fields: true

            """
        let widget = "apiVersion: \(group)/v1\nkind: Widget\nmetadata:\n  name: gear\n  namespace: \(ns)-extra\nspec:\n  size: 3\n"
        let namespace = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: \(ns)-extra\n"
        // Order in the repository does not matter: the CRD and the Namespace go first, the Widget after.
        let revision = try await env.publish(["a-widget.yaml": widget, "crd.yaml": crd, "ns.yaml": namespace],
                                             namespace: ns, commit: String(repeating: "5", count: 40))
        try await env.createKustomization("app", namespace: ns, spec: [:])
        let ks = try await env.waitFor("app", namespace: ns, "applied") { $0.isReadyTrue }
        #expect(ks.status?.lastAppliedRevision == revision)
        #expect(ks.inventoryIDs == ["_\(ns)-extra__Namespace",
                                    "_widgets.\(group)_apiextensions.k8s.io_CustomResourceDefinition", "\(ns)-extra_gear_\(group)_Widget"])
        let object = try await env.get(GroupVersionKind(group: group, version: "v1", kind: "Widget"), "gear", namespace: "\(ns)-extra")
        #expect(object?[path: "spec", "size"] == 3)
        try await env.client.delete(Kustomization.kind, ObjectKey(namespace: ns, name: "app"), options: DeleteOptions())
        try await env.eventually("CRD and namespace garbage-collected") {
            let crd = try await env.get(Env.crdKind, "widgets.\(group)", namespace: nil)
            let namespace = try await env.get(GroupVersionKind(group: "", version: "v1", kind: "Namespace"), "\(ns)-extra", namespace: nil)
            return crd == nil && (namespace == nil || namespace?[path: "metadata", "deletionTimestamp"] != nil)
        }
    }

    @Test func immutableFieldChangeNeedsForce() async throws {
        let env = try await Env.get()
        let ns = try await env.makeNamespace("force")
        defer { Task { await env.cleanUp(namespace: ns) } }
        try await env.publish(["web.yaml": KustomizeFixtures.deployment("web")], namespace: ns, commit: String(repeating: "a", count: 40))
        try await env.createKustomization("app", namespace: ns, spec: ["targetNamespace": .string(ns), "retryInterval": "1s"])
        try await env.waitFor("app", namespace: ns, "applied") { $0.isReadyTrue }
        let uid = try await env.get(Env.deploymentKind, "web", namespace: ns)?[path: "metadata", "uid"]

        // A new selector is immutable: without force the apply fails and the old Deployment stays.
        let moved = KustomizeFixtures.deployment("web").replacing("app: web", with: "app: web-v2")
        let revision = try await env.publish(["web.yaml": moved], namespace: ns, commit: String(repeating: "b", count: 40))
        let failed = try await env.waitFor("app", namespace: ns, "immutable failure") {
            $0.isReadyFalse && $0.status?.lastAttemptedRevision == revision
        }
        #expect(failed.readyReason == "ReconciliationFailed")
        #expect(failed.readyMessage.contains("Deployment/\(ns)/web dry-run failed (Invalid)"), "\(failed.readyMessage)")
        #expect(failed.readyMessage.contains("field is immutable"), "\(failed.readyMessage)")
        #expect(try await env.get(Env.deploymentKind, "web", namespace: ns)?[path: "metadata", "uid"] == uid)

        // spec.force recreates it.
        try await env.modify("app", namespace: ns) { $0[path: "spec", "force"] = true }
        try await env.waitFor("app", namespace: ns, "recreated") { $0.isReadyTrue && $0.status?.lastAppliedRevision == revision }
        let recreated = try #require(try await env.get(Env.deploymentKind, "web", namespace: ns))
        #expect(recreated[path: "metadata", "uid"] != uid)
        #expect(recreated[path: "spec", "selector", "matchLabels", "app"] == "web-v2")
    }

    private func resourceVersions(_ env: Env, _ ns: String) async throws -> [String] {
        var versions: [String] = []
        for (kind, name) in [(Env.deploymentKind, "dev-web"), (Env.serviceKind, "dev-web"), (Env.configMapKind, "dev-settings")] {
            let object = try #require(try await env.get(kind, name, namespace: ns))
            versions.append(object[path: "metadata", "resourceVersion"]?.stringValue ?? "")
        }
        return versions
    }
}
