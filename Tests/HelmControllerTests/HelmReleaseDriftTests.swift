import Foundation
import GitOpsKit
import GitOpsTestSupport
import HelmControllerKit
import Testing

/// `spec.driftDetection`: a deleted ConfigMap and a scaled Deployment are put back without a new Helm revision in
/// `enabled` mode, only reported in `warn` mode; ignore rules and the per-object opt-out keep fields and objects
/// out of the comparison.
@Suite(.serialized) struct HelmReleaseDriftTests {
    static let chartRef: JSONValue = ["kind": "HelmChart", "name": "chart"]

    func requestReconcile(_ env: HelmTestEnvironment, _ ns: String, _ token: String) async throws {
        try await env.modify("web", namespace: ns) { $0[path: "metadata", "annotations", FluxAnnotation.reconcileRequestedAt] = .string(token) }
    }

    /// Scales the Deployment as `kubectl scale` would (another field manager).
    func scale(_ env: HelmTestEnvironment, _ ns: String, to replicas: Int64) async throws {
        _ = try await env.client.patch(HelmTestEnvironment.deploymentKind, ObjectKey(namespace: ns, name: "web-web"),
                                       patch: ["spec": ["replicas": .int(replicas)]], type: .merge, subresource: nil,
                                       options: WriteOptions(fieldManager: "kubectl-scale"))
    }

    func replicas(_ env: HelmTestEnvironment, _ ns: String) async throws -> Int64? {
        try await env.get(HelmTestEnvironment.deploymentKind, "web-web", namespace: ns)?[path: "spec", "replicas"]?.intValue
    }

    @Test func enabledModeCorrectsDriftWithoutANewRevision() async throws {
        let env = try await HelmTestEnvironment.get()
        let ns = try await env.makeNamespace("hr-drift")
        defer { Task { await env.cleanUp(namespace: ns) } }
        try await env.publishChart(namespace: ns, version: "1.0.0", templates: ChartTemplates.standard)
        try await env.createRelease("web", namespace: ns, spec: [
            "interval": "1h", "chartRef": Self.chartRef, "driftDetection": ["mode": "enabled"],
        ])
        let installed = try await env.waitFor("web", namespace: ns, "installed") { $0.isReadyNow }
        #expect(installed.conditions[.drifted]?.reason.rawValue == "NoDriftDetected")

        _ = try await env.client.delete(HelmTestEnvironment.configMapKind, ObjectKey(namespace: ns, name: "web-config"),
                                        options: DeleteOptions())
        try await scale(env, ns, to: 5)
        try await requestReconcile(env, ns, "drift-1")
        let corrected = try await env.waitFor("web", namespace: ns, "drift corrected") {
            $0.status?.lastHandledReconcileAt == "drift-1" && $0.isReadyNow
        }
        #expect(try await env.get(HelmTestEnvironment.configMapKind, "web-config", namespace: ns)?[path: "data", "color"] == "blue")
        #expect(try await replicas(env, ns) == 1)
        #expect(corrected.conditions[.drifted]?.status == .false)
        #expect(corrected.status?.history?.count == 1)
        // No new Helm revision: the real helm still sees revision 1.
        let history = try await env.helmJSON(["history", "web"], namespace: ns).arrayValue ?? []
        #expect(history.map { $0["revision"]?.intValue } == [1])
        let events = try await env.client.list(GroupVersionKind(group: "", version: "v1", kind: "Event"), namespace: ns, options: ListOptions()).items
        let reasons = Set(events.compactMap { $0["reason"]?.stringValue })
        #expect(reasons.isSuperset(of: ["DriftDetected", "DriftCorrected"]), "\(reasons)")
        let detected = events.first { $0["reason"] == "DriftDetected" }?["message"]?.stringValue ?? ""
        #expect(detected.contains("ConfigMap/\(ns)/web-config removed"), "\(detected)")
        #expect(detected.contains("Deployment/\(ns)/web-web changed"), "\(detected)")

        // An ignore rule leaves the replicas to the scaler; everything else is still watched.
        try await env.modify("web", namespace: ns) {
            $0[path: "spec", "driftDetection", "ignore"] = [["paths": ["/spec/replicas"], "target": ["kind": "Deployment"]]]
        }
        _ = try await env.waitFor("web", namespace: ns, "ignore rule observed") { $0.observedGeneration == 2 && $0.isReadyNow }
        try await scale(env, ns, to: 3)
        try await requestReconcile(env, ns, "drift-2")
        let ignored = try await env.waitFor("web", namespace: ns, "reconciled with ignore rule") {
            $0.status?.lastHandledReconcileAt == "drift-2" && $0.isReadyNow
        }
        #expect(try await replicas(env, ns) == 3)
        #expect(ignored.conditions[.drifted]?.reason.rawValue == "NoDriftDetected")
    }

    @Test func warnModeOnlyReports() async throws {
        let env = try await HelmTestEnvironment.get()
        let ns = try await env.makeNamespace("hr-drift-warn")
        defer { Task { await env.cleanUp(namespace: ns) } }
        try await env.publishChart(namespace: ns, version: "1.0.0", templates: ChartTemplates.standard)
        try await env.createRelease("web", namespace: ns, spec: [
            "interval": "1h", "chartRef": Self.chartRef, "driftDetection": ["mode": "warn"],
        ])
        _ = try await env.waitFor("web", namespace: ns, "installed") { $0.isReadyNow }
        _ = try await env.client.delete(HelmTestEnvironment.configMapKind, ObjectKey(namespace: ns, name: "web-config"),
                                        options: DeleteOptions())
        try await requestReconcile(env, ns, "warn-1")
        let warned = try await env.waitFor("web", namespace: ns, "drift reported") {
            $0.status?.lastHandledReconcileAt == "warn-1" && $0.conditions[.drifted]?.status == .true
        }
        #expect(warned.conditions[.drifted]?.reason.rawValue == "DriftDetected")
        #expect(warned.conditions[.drifted]?.message.contains("ConfigMap/\(ns)/web-config removed") == true)
        #expect(warned.readyCondition?.status == .true)
        #expect(try await env.get(HelmTestEnvironment.configMapKind, "web-config", namespace: ns) == nil)

        // Opted-out objects are never drift: the label on the release's ConfigMap keeps it out of the comparison.
        try await env.modify("web", namespace: ns) { $0[path: "spec", "values"] = ["color": "green"] }
        _ = try await env.waitFor("web", namespace: ns, "upgraded") { $0.observedGeneration == 2 && $0.isReadyNow }
        #expect(try await env.get(HelmTestEnvironment.configMapKind, "web-config", namespace: ns)?[path: "data", "color"] == "green")
        let clean = try await env.release("web", namespace: ns)
        #expect(clean.conditions[.drifted]?.reason.rawValue == "NoDriftDetected")
    }

    @Test func invalidIgnoreRuleStalls() async throws {
        let env = try await HelmTestEnvironment.get()
        let ns = try await env.makeNamespace("hr-drift-bad")
        defer { Task { await env.cleanUp(namespace: ns) } }
        try await env.publishChart(namespace: ns, version: "1.0.0", templates: ChartTemplates.standard)
        try await env.createRelease("web", namespace: ns, spec: [
            "interval": "1h", "chartRef": Self.chartRef,
            "driftDetection": ["mode": "enabled", "ignore": [["paths": ["spec/replicas"]]]],
        ])
        let stalled = try await env.waitFor("web", namespace: ns, "stalled") { $0.conditions[.stalled]?.status == .true }
        #expect(stalled.readyCondition?.reason.rawValue == "InvalidSpec")
        #expect(stalled.readyCondition?.message.contains("spec.driftDetection.ignore[0].paths[0]") == true,
                "\(stalled.readyCondition?.message ?? "")")
        #expect(try await env.helmJSON(["list", "--all"], namespace: ns).arrayValue?.isEmpty == true)
    }
}
