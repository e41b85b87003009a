import Foundation
import GitOpsKit
import GitOpsTestSupport
import HelmControllerKit
import Testing

/// `spec.postRenderers` (kustomize patches and images) and `spec.commonMetadata` change what is applied and what
/// Helm stores; changing them is an upgrade.
@Suite(.serialized) struct HelmReleasePostRenderTests {
    @Test func kustomizePatchesImagesAndCommonMetadata() async throws {
        let env = try await HelmTestEnvironment.get()
        let ns = try await env.makeNamespace("hr-postrender")
        defer { Task { await env.cleanUp(namespace: ns) } }
        try await env.publishChart(namespace: ns, version: "1.0.0", templates: ChartTemplates.standard)
        let patch = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: not-used
              annotations:
                patched: "yes"
            """
        try await env.createRelease("web", namespace: ns, spec: [
            "interval": "1h", "chartRef": ["kind": "HelmChart", "name": "chart"],
            "commonMetadata": ["labels": ["team": "platform"], "annotations": ["owner": "sre"]],
            "postRenderers": [["kustomize": [
                "patches": [["patch": .string(patch), "target": ["kind": "Deployment"]]],
                "images": [["name": "nginx", "newTag": "1.27"]],
            ]]],
        ])
        let installed = try await env.waitFor("web", namespace: ns, "installed") { $0.isReadyNow }
        #expect(installed.status?.observedPostRenderersDigest?.hasPrefix("sha256:") == true)
        let deployment = try #require(try await env.get(HelmTestEnvironment.deploymentKind, "web-web", namespace: ns))
        #expect(deployment[path: "metadata", "annotations", "patched"] == "yes")
        #expect(deployment[path: "spec", "template", "spec", "containers"]?.arrayValue?.first?["image"] == "nginx:1.27")
        #expect(deployment[path: "metadata", "labels", "team"] == "platform")
        #expect(deployment[path: "spec", "selector", "matchLabels"] == ["app": "web"], "common labels stay off selectors")
        let config = try #require(try await env.get(HelmTestEnvironment.configMapKind, "web-config", namespace: ns))
        #expect(config[path: "metadata", "annotations", "owner"] == "sre")
        #expect(config[path: "metadata", "labels", "helm.toolkit.fluxcd.io/name"] == "web")
        #expect(config[path: "metadata", "labels", "helm.toolkit.fluxcd.io/namespace"] == .string(ns))
        // Helm stores the post-rendered manifest.
        let manifest = try await env.helm(["get", "manifest", "web"], namespace: ns)
        #expect(manifest.contains("image: nginx:1.27"), "\(manifest)")

        // A new image tag in the post-renderer is an upgrade (revision 2) with the same chart and values.
        try await env.modify("web", namespace: ns) {
            $0[path: "spec", "postRenderers"] = [["kustomize": [
                "patches": [["patch": .string(patch), "target": ["kind": "Deployment"]]],
                "images": [["name": "nginx", "newTag": "1.28"]],
            ]]]
        }
        let upgraded = try await env.waitFor("web", namespace: ns, "upgraded") { $0.observedGeneration == 2 && $0.isReadyNow }
        #expect(upgraded.status?.history?.first?.version == 2)
        let image = try await env.get(HelmTestEnvironment.deploymentKind, "web-web", namespace: ns)?[
            path: "spec", "template", "spec", "containers"]?.arrayValue?.first?["image"]
        #expect(image == "nginx:1.28")

        // A patch kustomize cannot apply fails the upgrade with kustomize's message; nothing new is stored.
        try await env.modify("web", namespace: ns) {
            $0[path: "spec", "postRenderers"] = [["kustomize": [
                "patches": [["patch": "- op: remove\n  path: /spec/missing\n", "target": ["kind": "Deployment"]]],
            ]]]
        }
        let failed = try await env.waitFor("web", namespace: ns, "post-render failure") {
            $0.observedGeneration == 3 || $0.readyCondition?.status == .false
        }
        #expect(failed.readyCondition?.status == .false)
        #expect(failed.readyCondition?.message.contains("post-render failed") == true, "\(failed.readyCondition?.message ?? "")")
        #expect(try await env.helmJSON(["history", "web"], namespace: ns).arrayValue?.count == 2)
    }
}
