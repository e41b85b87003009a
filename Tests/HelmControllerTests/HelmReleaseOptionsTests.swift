import Foundation
import GitOpsKit
import GitOpsTestSupport
import HelmControllerKit
import Testing

/// Spec options beyond the basic lifecycle: `dependsOn`, `suspend`, `targetNamespace` with `createNamespace` and
/// `storageNamespace`, `crds` policies, `disableWait`, and the `forceAt`/`resetAt` requests of `flux reconcile hr`.
@Suite(.serialized) struct HelmReleaseOptionsTests {
    static let chartRef: JSONValue = ["kind": "HelmChart", "name": "chart"]

    func request(_ env: HelmTestEnvironment, _ name: String, _ ns: String, _ token: String, _ extra: String? = nil) async throws {
        try await env.modify(name, namespace: ns) {
            $0[path: "metadata", "annotations", FluxAnnotation.reconcileRequestedAt] = .string(token)
            if let extra { $0[path: "metadata", "annotations", extra] = .string(token) }
        }
    }

    @Test func dependsOnAndSuspend() async throws {
        let env = try await HelmTestEnvironment.get()
        let ns = try await env.makeNamespace("hr-deps")
        defer { Task { await env.cleanUp(namespace: ns) } }
        try await env.publishChart(namespace: ns, version: "1.0.0", templates: ["cm.yaml": ChartTemplates.configMap])
        try await env.createRelease("app", namespace: ns, spec: [
            "interval": "1h", "chartRef": Self.chartRef, "dependsOn": [["name": "infra"]],
        ])
        let waiting = try await env.waitFor("app", namespace: ns, "waiting") { $0.readyCondition?.reason.rawValue == "DependencyNotReady" }
        #expect(waiting.readyCondition?.message.contains("dependency '\(ns)/infra' is not ready") == true)
        #expect(try await env.helmJSON(["list", "--all"], namespace: ns).arrayValue?.isEmpty == true)

        // A suspended dependency is not installed, so the dependant keeps waiting; resuming installs both.
        try await env.createRelease("infra", namespace: ns, spec: ["interval": "1h", "chartRef": Self.chartRef, "suspend": true])
        try await Task.sleep(for: .seconds(1))
        #expect(try await env.helmJSON(["list", "--all"], namespace: ns).arrayValue?.isEmpty == true)
        try await env.modify("infra", namespace: ns) { $0[path: "spec", "suspend"] = false }
        _ = try await env.waitFor("infra", namespace: ns, "dependency installed") { $0.isReadyNow }
        _ = try await env.waitFor("app", namespace: ns, "dependant installed") { $0.isReadyNow }
        let names = try await env.helmJSON(["list"], namespace: ns).arrayValue?.compactMap { $0["name"]?.stringValue }
        #expect(Set(names ?? []) == ["app", "infra"])
    }

    @Test func targetAndStorageNamespacesWithCRDPolicies() async throws {
        let env = try await HelmTestEnvironment.get()
        let ns = try await env.makeNamespace("hr-target")
        let target = ns + "-apps"
        let storage = try await env.makeNamespace("hr-storage")
        defer { Task { for namespace in [ns, target, storage] { await env.cleanUp(namespace: namespace) } } }
        let group = "\(ns).example.com"
        let crd = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: widgets.\(group)
            spec:
              group: \(group)
              names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
              scope: Namespaced
              versions:
              - name: v1
                served: true
                storage: true
                schema:
                  openAPIV3Schema:
                    type: object
                    x-kubernetes-preserve-unknown-fields: true
            """
        try await env.publishChart(namespace: ns, version: "1.0.0",
                                   templates: ["cm.yaml": ChartTemplates.configMap,
                                               "widget.yaml": "apiVersion: \(group)/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: 1\n"],
                                   extraFiles: ["crds/widget.yaml": crd])
        try await env.createRelease("web", namespace: ns, spec: [
            "interval": "1h", "chartRef": Self.chartRef, "targetNamespace": .string(target),
            "storageNamespace": .string(storage), "install": ["createNamespace": true],
        ])
        let installed = try await env.waitFor("web", namespace: ns, "installed") { $0.isReadyNow }
        #expect(installed.status?.storageNamespace == storage)
        #expect(installed.status?.history?.first?.namespace == target)
        // Release name `<targetNamespace>-<name>`, objects in the target namespace, storage where asked.
        let releaseName = "\(target)-web"
        #expect(try await env.get(HelmTestEnvironment.configMapKind, "\(releaseName)-config", namespace: target) != nil)
        #expect(try await env.get(HelmTestEnvironment.secretKind, "sh.helm.release.v1.\(releaseName).v1", namespace: storage) != nil)
        #expect(try await env.get(GroupVersionKind(group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition"),
                                  "widgets.\(group)", namespace: nil) != nil)
        #expect(try await env.get(GroupVersionKind(group: group, version: "v1", kind: "Widget"), "w", namespace: target) != nil)
        let list = try await env.helmJSON(["list"], namespace: storage).arrayValue ?? []
        #expect(list.first?["name"]?.stringValue == releaseName)
        #expect(list.first?["namespace"]?.stringValue == target)
    }

    @Test func crdSkipPolicyLeavesCRDsOut() async throws {
        let env = try await HelmTestEnvironment.get()
        let ns = try await env.makeNamespace("hr-crd-skip")
        defer { Task { await env.cleanUp(namespace: ns) } }
        let group = "\(ns).example.com"
        try await env.publishChart(namespace: ns, version: "1.0.0", templates: ["cm.yaml": ChartTemplates.configMap],
                                   extraFiles: ["crds/gadget.yaml": """
                                       apiVersion: apiextensions.k8s.io/v1
                                       kind: CustomResourceDefinition
                                       metadata:
                                         name: gadgets.\(group)
                                       spec:
                                         group: \(group)
                                         names: {kind: Gadget, plural: gadgets}
                                         scope: Namespaced
                                         versions:
                                         - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}
                                       """])
        try await env.createRelease("web", namespace: ns, spec: [
            "interval": "1h", "chartRef": Self.chartRef, "install": ["crds": "Skip"],
        ])
        _ = try await env.waitFor("web", namespace: ns, "installed") { $0.isReadyNow }
        #expect(try await env.get(GroupVersionKind(group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition"),
                                  "gadgets.\(group)", namespace: nil) == nil)
    }

    @Test func disableWaitForceAndReset() async throws {
        let env = try await HelmTestEnvironment.get()
        let ns = try await env.makeNamespace("hr-force")
        defer { Task { await env.cleanUp(namespace: ns) } }
        try await env.publishChart(namespace: ns, version: "1.0.0", templates: ChartTemplates.standard)

        // Without the wait, a workload that never becomes healthy does not fail the install.
        try await env.createRelease("nowait", namespace: ns, spec: [
            "interval": "1h", "chartRef": Self.chartRef, "values": ["failRollout": true], "install": ["disableWait": true],
        ])
        _ = try await env.waitFor("nowait", namespace: ns, "installed without waiting") { $0.isReadyNow }

        // With it, the install fails; no retries: Stalled.
        try await env.createRelease("web", namespace: ns, spec: [
            "interval": "1h", "chartRef": Self.chartRef, "timeout": "10s", "values": ["failRollout": true],
        ])
        let stalled = try await env.waitFor("web", namespace: ns, "install retries exhausted") { $0.conditions[.stalled]?.status == .true }
        #expect(stalled.status?.installFailures == 1)
        #expect(stalled.readyCondition?.message.contains("install retries exhausted") == true)

        // `resetAt` clears the counters: with no failure counted, a failed release gets one upgrade attempt (as in
        // Flux), which fails again and stalls on the upgrade counter.
        try await request(env, "web", ns, "reset-1", FluxAnnotation.resetRequestedAt)
        let reset = try await env.waitFor("web", namespace: ns, "reset handled") {
            $0.status?.lastHandledResetAt == "reset-1" && $0.conditions[.stalled]?.status == .true
        }
        #expect(reset.status?.installFailures == nil)
        #expect(reset.status?.upgradeFailures == 1, "\(String(describing: try? JSONValue(encoding: reset.status)))")
        let revisions = try await ReleaseStorage(api: env.client, namespace: ns).history("web").map(\.version)
        #expect(revisions.count >= 2, "\(revisions)")

        // `forceAt` upgrades an in-sync release once, with the same chart and values.
        try await env.modify("nowait", namespace: ns) { $0[path: "spec", "values"] = [:] }
        _ = try await env.waitFor("nowait", namespace: ns, "upgraded") { $0.observedGeneration == 2 && $0.isReadyNow }
        try await request(env, "nowait", ns, "force-1", FluxAnnotation.forceRequestedAt)
        let forced = try await env.waitFor("nowait", namespace: ns, "forced upgrade") {
            $0.status?.lastHandledForceAt == "force-1" && $0.isReadyNow
        }
        #expect(forced.status?.history?.first?.version == 3)
        #expect(try await env.helmJSON(["history", "nowait"], namespace: ns).arrayValue?.count == 3)
    }
}
