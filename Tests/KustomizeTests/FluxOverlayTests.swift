import Foundation
import GitOpsKit
import Kustomize
import Testing

/// Flux's additions, checked against `kubectl kustomize` of the kustomization Flux would have written.
@Suite struct FluxOverlayTests {
    static let deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: app
                image: nginx:1.25

        """

    @Test func overlayOnExistingKustomizationMatchesKubectl() throws {
        let tree = try ScratchTree()
        try tree.write("app/kustomization.yaml", "resources:\n- d.yaml\nimages:\n- name: nginx\n  newTag: \"1.26\"\n")
        try tree.write("app/d.yaml", Self.deployment)
        try tree.write("app/monitoring/kustomization.yaml",
                       "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncommonAnnotations:\n  monitored: \"true\"\n")
        let overlay = FluxKustomizeOverlay(
            targetNamespace: "prod", namePrefix: "p-", nameSuffix: "-s",
            patches: [.object(["patch": "- op: add\n  path: /spec/replicas\n  value: 2\n",
                               "target": .object(["kind": "Deployment"])])],
            images: [.object(["name": "nginx", "newName": "ghcr.io/acme/nginx"])],
            components: ["monitoring"], commonLabels: ["team": "web"], commonAnnotations: ["owner": "ops"])
        let ours = YAML.encodeAll(try KustomizeBuilder(root: tree.root).build(path: "app", overlay: overlay))

        // What Flux writes: the same kustomization with the overlay merged in.
        var raw = try YAML.decode(String(contentsOfFile: tree.root + "/app/kustomization.yaml", encoding: .utf8))
        overlay.apply(to: &raw)
        #expect(raw["images"] == .array([.object(["name": "nginx", "newTag": "1.26", "newName": "ghcr.io/acme/nginx"])]))
        try tree.write("app/kustomization.yaml", YAML.encode(raw))
        let kubectl = try KubectlKustomize.run(tree.root + "/app")
        #expect(kubectl.status == 0, "\(kubectl.stderr)")
        #expect(ours == kubectl.stdout)
        #expect(ours.contains("namespace: prod") && ours.contains("name: p-web-s") && ours.contains("ghcr.io/acme/nginx:1.26"))
    }

    @Test func generatesKustomizationWhenMissing() throws {
        let tree = try ScratchTree()
        try tree.write("apps/d.yaml", Self.deployment)
        try tree.write("apps/nested/cm.yml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n")
        try tree.write("apps/notes.yaml", "just: text\n")
        try tree.write("apps/README.md", "# not yaml\n")
        try tree.write("apps/sub/kustomization.yaml", "resources:\n- s.yaml\nnamePrefix: sub-\n")
        try tree.write("apps/sub/s.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: svc\n")
        try tree.write("apps/sub/ignored.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: not-listed\n")
        let objects = try KustomizeBuilder(root: tree.root).build(path: "apps", overlay: FluxKustomizeOverlay(targetNamespace: "ns"))
        let names = objects.compactMap { $0[path: "metadata", "name"]?.stringValue }
        #expect(names == ["cm", "sub-svc", "web"])
        #expect(objects.allSatisfy { $0[path: "metadata", "namespace"] == "ns" })
    }
}
