import Foundation
import GitOpsKit
import GitOpsTestSupport
import KustomizeControllerKit
import Testing

/// `spec.ignore` and `kustomize.toolkit.fluxcd.io/ssa: Merge`: fields other actors manage are left alone — no
/// drift, no writes, and no reset when the object is applied for another change.
@Suite(.serialized)
struct KustomizationIgnoreTests {
    typealias Env = KustomizeTestEnvironment

    static func deployment(_ name: String, image: String = "nginx:1.27", labels: String = "") -> String {
        KustomizeFixtures.deployment(name, replicas: 2, extra: labels).replacing("nginx:1.27", with: image)
    }

    func replicas(_ env: Env, _ name: String, _ ns: String) async throws -> Int64? {
        try await env.get(Env.deploymentKind, name, namespace: ns)?[path: "spec", "replicas"]?.intValue
    }

    /// An autoscaler's writes: the scale subresource, as the HPA controller does it.
    func scale(_ env: Env, _ name: String, _ ns: String, to replicas: Int64) async throws {
        _ = try await env.client.patch(Env.deploymentKind, ObjectKey(namespace: ns, name: name), patch: ["spec": ["replicas": .int(replicas)]],
                                       type: .merge, subresource: "scale", options: WriteOptions(fieldManager: "horizontal-pod-autoscaler"))
    }

    @Test func ignoredReplicasAreLeftToTheAutoscaler() async throws {
        let env = try await Env.get()
        let ns = try await env.makeNamespace("ignore")
        defer { Task { await env.cleanUp(namespace: ns) } }
        let autoscaled = "  labels:\n    autoscaled: \"true\"\n"
        func files(_ image: String) -> [String: String] {
            ["web.yaml": Self.deployment("web", image: image, labels: autoscaled), "api.yaml": Self.deployment("api", image: image)]
        }
        try await env.publish(files("nginx:1.27"), namespace: ns, commit: String(repeating: "1", count: 40))
        try await env.createKustomization("app", namespace: ns, spec: [
            "targetNamespace": .string(ns),
            "ignore": [["paths": ["/spec/replicas"], "target": ["kind": "Deployment", "labelSelector": "autoscaled=true"]]],
        ])
        try await env.waitFor("app", namespace: ns, "applied") { $0.isReadyTrue }
        // Created with every field, the ignored one included.
        #expect(try await replicas(env, "web", ns) == 2)

        // The autoscaler scales both; the next reconcile puts `api` back and leaves `web` alone, without writing it.
        try await scale(env, "web", ns, to: 5)
        try await scale(env, "api", ns, to: 5)
        var token = try await env.requestReconcile("app", namespace: ns)
        try await env.waitFor("app", namespace: ns, "drift checked") { $0.status?.lastHandledReconcileAt == token }
        #expect(try await replicas(env, "api", ns) == 2)
        #expect(try await replicas(env, "web", ns) == 5)
        // (The emulator's rollout simulation writes the status, so the change set says whether the controller wrote.)
        let changes = try await env.events(for: "app", namespace: ns)["Progressing"] ?? []
        #expect(changes.contains("Deployment/\(ns)/api configured"), "\(changes)")
        #expect(!changes.contains { $0.contains("Deployment/\(ns)/web configured") }, "\(changes)")

        // Another change to `web` is applied with the live replica count (the controller is the field's only
        // `Apply` owner: the live value is sent, so applying does not reset it).
        let second = try await env.publish(files("nginx:1.28"), namespace: ns, commit: String(repeating: "2", count: 40))
        try await env.waitFor("app", namespace: ns, "image change applied") { $0.status?.lastAppliedRevision == second }
        var web = try #require(try await env.get(Env.deploymentKind, "web", namespace: ns))
        #expect(web[path: "spec", "template", "spec", "containers"]?[0]?["image"] == "nginx:1.28")
        #expect(web[path: "spec", "replicas"] == 5)

        // An autoscaler that owns the field through server-side apply: the field is left out of the payload, so the
        // controller does not take it back.
        _ = try await env.client.apply(["apiVersion": "apps/v1", "kind": "Deployment",
                                        "metadata": ["name": "web", "namespace": .string(ns)], "spec": ["replicas": 7]],
                                       fieldManager: "autoscaler", force: true)
        let third = try await env.publish(files("nginx:1.29"), namespace: ns, commit: String(repeating: "3", count: 40))
        try await env.waitFor("app", namespace: ns, "second image change applied") { $0.status?.lastAppliedRevision == third }
        web = try #require(try await env.get(Env.deploymentKind, "web", namespace: ns))
        #expect(web[path: "spec", "template", "spec", "containers"]?[0]?["image"] == "nginx:1.29")
        #expect(web[path: "spec", "replicas"] == 7)
        let ours = (web[path: "metadata", "managedFields"]?.arrayValue ?? []).first {
            $0["manager"] == "kustomize-controller" && $0["operation"] == "Apply"
        }
        #expect(ours?[path: "fieldsV1", "f:spec", "f:template"] != nil)
        #expect(ours?[path: "fieldsV1", "f:spec", "f:replicas"] == nil, "\(String(describing: ours))")
        // Drift of a field that is not ignored is still corrected.
        try await scale(env, "api", ns, to: 9)
        token = try await env.requestReconcile("app", namespace: ns)
        try await env.waitFor("app", namespace: ns, "drift corrected") { $0.status?.lastHandledReconcileAt == token }
        #expect(try await replicas(env, "api", ns) == 2)
    }

    @Test func invalidIgnoreRulesStall() async throws {
        let env = try await Env.get()
        let ns = try await env.makeNamespace("ignore-bad")
        defer { Task { await env.cleanUp(namespace: ns) } }
        try await env.publish(["cm.yaml": KustomizeFixtures.configMap("a")], namespace: ns, commit: String(repeating: "4", count: 40))
        try await env.createKustomization("app", namespace: ns, spec: [
            "targetNamespace": .string(ns),
            "ignore": [["paths": ["/data"]], ["paths": ["/spec/replicas"], "target": ["name": "web-("]]],
        ])
        let ks = try await env.waitFor("app", namespace: ns, "stalled") { $0.conditions[.stalled]?.status == .true }
        #expect(ks.readyReason == "InvalidSpec")
        #expect(ks.readyMessage == "spec.ignore[1].target.name: invalid regular expression 'web-('", "\(ks.readyMessage)")
        #expect(try await env.get(Env.configMapKind, "a", namespace: ns) == nil)
    }

    @Test func mergeKeepsWhatOtherManagersSet() async throws {
        let env = try await Env.get()
        let ns = try await env.makeNamespace("merge")
        defer { Task { await env.cleanUp(namespace: ns) } }
        let merge = "  annotations:\n    kustomize.toolkit.fluxcd.io/ssa: Merge\n"
        try await env.publish(["merged.yaml": KustomizeFixtures.configMap("merged", annotations: merge),
                               "plain.yaml": KustomizeFixtures.configMap("plain"),
                               "live.yaml": KustomizeFixtures.configMap("live-merge")],
                              namespace: ns, commit: String(repeating: "5", count: 40))
        try await env.createKustomization("app", namespace: ns, spec: ["targetNamespace": .string(ns)])
        try await env.waitFor("app", namespace: ns, "applied") { $0.isReadyTrue }

        /// `kubectl edit`: a label and a data key added by hand (an `Update` by a kubectl manager).
        func edit(_ name: String, extraLabels: [String: JSONValue] = [:]) async throws {
            var object = try #require(try await env.get(Env.configMapKind, name, namespace: ns))
            object[path: "metadata", "labels", "hand-made"] = "true"
            for (key, value) in extraLabels { object[path: "metadata", "labels", key] = value }
            object[path: "data", "extra"] = "by hand"
            object[path: "metadata", "managedFields"] = nil
            _ = try await env.client.update(object, options: WriteOptions(fieldManager: "kubectl-edit"))
        }
        try await edit("merged")
        try await edit("plain")
        // `ssa: Merge` set on the live object (not in Git) counts too, as in Flux.
        try await edit("live-merge", extraLabels: ["kustomize.toolkit.fluxcd.io/ssa": "Merge"])
        let token = try await env.requestReconcile("app", namespace: ns)
        try await env.waitFor("app", namespace: ns, "reconciled") { $0.status?.lastHandledReconcileAt == token }
        for name in ["merged", "live-merge"] {
            let object = try #require(try await env.get(Env.configMapKind, name, namespace: ns))
            #expect(object[path: "metadata", "labels", "hand-made"] == "true", "\(name)")
            #expect(object[path: "data", "extra"] == "by hand", "\(name)")
            let managers = (object[path: "metadata", "managedFields"]?.arrayValue ?? []).compactMap { $0["manager"]?.stringValue }
            #expect(managers.contains("kubectl-edit"), "\(name): \(managers)")
        }
        let plain = try #require(try await env.get(Env.configMapKind, "plain", namespace: ns))
        #expect(plain[path: "metadata", "labels", "hand-made"] == nil)
        #expect(plain[path: "data", "extra"] == nil)
        #expect(plain[path: "data", "key"] == "value")
    }
}
