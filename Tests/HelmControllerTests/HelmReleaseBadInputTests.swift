import Foundation
import GitOpsKit
import GitOpsTestSupport
import HelmControllerKit
import Testing

/// Bad input the reconciler must name precisely without touching what is deployed: a default release name longer
/// than Helm allows, a corrupted release Secret, a chart artifact whose digest does not match.
@Suite(.serialized) struct HelmReleaseBadInputTests {
    static let chartRef: JSONValue = ["kind": "HelmChart", "name": "chart"]

    @Test func releaseNameTooLongStalls() async throws {
        let env = try await HelmTestEnvironment.get()
        let ns = try await env.makeNamespace("hr-longname")
        defer { Task { await env.cleanUp(namespace: ns) } }
        try await env.publishChart(namespace: ns, version: "1.0.0", templates: ChartTemplates.standard)
        // The default release name is `<targetNamespace>-<name>`: 60 characters here.
        let target = String(repeating: "t", count: 30)
        try await env.createRelease("a-release-with-a-long-name-xx", namespace: ns, spec: [
            "interval": "1h", "chartRef": Self.chartRef, "targetNamespace": .string(target),
        ])
        let stalled = try await env.waitFor("a-release-with-a-long-name-xx", namespace: ns, "stalled") {
            $0.conditions[.stalled]?.status == .true
        }
        #expect(stalled.readyCondition?.reason.rawValue == "InvalidSpec")
        #expect(stalled.readyCondition?.message == "release name '\(target)-a-release-with-a-long-name-xx' is longer than 53 characters")
    }

    @Test func corruptReleaseSecretIsReportedAndNothingIsDeleted() async throws {
        let env = try await HelmTestEnvironment.get()
        let ns = try await env.makeNamespace("hr-corrupt")
        defer { Task { await env.cleanUp(namespace: ns) } }
        try await env.publishChart(namespace: ns, version: "1.0.0", templates: ChartTemplates.standard)
        try await env.createRelease("web", namespace: ns, spec: ["interval": "1h", "chartRef": Self.chartRef])
        _ = try await env.waitFor("web", namespace: ns, "installed") { $0.isReadyNow }
        _ = try await env.client.patch(HelmTestEnvironment.secretKind, ObjectKey(namespace: ns, name: "sh.helm.release.v1.web.v1"),
                                       patch: ["data": ["release": .string(Data("not a release".utf8).base64EncodedString())]],
                                       type: .merge, subresource: nil, options: WriteOptions())
        try await env.modify("web", namespace: ns) { $0[path: "metadata", "annotations", FluxAnnotation.reconcileRequestedAt] = "corrupt" }
        let failed = try await env.waitFor("web", namespace: ns, "corruption reported") {
            $0.readyCondition?.reason.rawValue == "GetLastReleaseFailed"
        }
        #expect(failed.readyCondition?.message.hasPrefix("failed to get last release revision: ") == true,
                "\(failed.readyCondition?.message ?? "")")
        #expect(failed.readyCondition?.message.contains("sh.helm.release.v1.web.v1") == true)
        // The deployed objects and the Secret are left alone.
        #expect(try await env.get(HelmTestEnvironment.configMapKind, "web-config", namespace: ns) != nil)
        #expect(try await env.get(HelmTestEnvironment.secretKind, "sh.helm.release.v1.web.v1", namespace: ns) != nil)
    }

    @Test func chartDigestMismatchIsAnArtifactFailure() async throws {
        let env = try await HelmTestEnvironment.get()
        let ns = try await env.makeNamespace("hr-digest")
        defer { Task { await env.cleanUp(namespace: ns) } }
        try await env.publishChart(namespace: ns, version: "1.0.0", templates: ChartTemplates.standard)
        let chart = try HelmChart(from: try #require(try await env.get(HelmChart.kind, "chart", namespace: ns)))
        let url = try #require(chart.artifact?.url)
        try await env.setChartArtifact(ObjectKey(namespace: ns, name: "chart"), url: url,
                                       digest: "sha256:" + String(repeating: "0", count: 64), revision: "1.0.0")
        try await env.createRelease("web", namespace: ns, spec: ["interval": "1h", "chartRef": Self.chartRef])
        let failed = try await env.waitFor("web", namespace: ns, "artifact failure") { $0.readyCondition?.status == .false }
        #expect(failed.readyCondition?.reason.rawValue == "ArtifactFailed")
        #expect(failed.readyCondition?.message.contains("does not match") == true, "\(failed.readyCondition?.message ?? "")")
        #expect(try await env.helmJSON(["list", "--all"], namespace: ns).arrayValue?.isEmpty == true)
    }
}
