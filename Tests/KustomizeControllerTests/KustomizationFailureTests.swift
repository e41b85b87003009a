import Foundation
import GitOpsKit
import GitOpsTestSupport
import KustomizeControllerKit
import Testing

/// Bad input never prunes: invalid YAML, an object the server rejects, an unknown kind, a missing path and a digest
/// mismatch each leave `Ready=False` with a precise reason and message, keep the previous inventory and objects,
/// and a good revision afterwards recovers and prunes.
@Suite(.serialized)
struct KustomizationFailureTests {
    typealias Env = KustomizeTestEnvironment

    @Test func badInputKeepsWhatWasApplied() async throws {
        let env = try await Env.get()
        let ns = try await env.makeNamespace("bad")
        defer { Task { await env.cleanUp(namespace: ns) } }
        let good = try await env.publish(["deploy/a.yaml": KustomizeFixtures.configMap("a"), "deploy/b.yaml": KustomizeFixtures.configMap("b")],
                                         namespace: ns, commit: String(repeating: "0", count: 40))
        try await env.createKustomization("app", namespace: ns, spec: ["path": "./deploy", "targetNamespace": .string(ns),
                                                                       "retryInterval": "1s"])
        try await env.waitFor("app", namespace: ns, "good revision") { $0.isReadyTrue }
        let inventory = ["\(ns)_a__ConfigMap", "\(ns)_b__ConfigMap"]

        /// Publishes `files` (all without `b`) and waits for the failure; checks that nothing was pruned.
        func expectFailure(_ files: [String: String], commit: Character, digest: String? = nil, reason: String,
                           message: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
            let revision = try await env.publish(files, namespace: ns, commit: String(repeating: commit, count: 40), digest: digest)
            let ks = try await env.waitFor("app", namespace: ns, "\(reason) for \(revision)", sourceLocation: sourceLocation) {
                $0.isReadyFalse && $0.readyReason == reason && $0.readyMessage.contains(message)
                    && ($0.status?.lastAttemptedRevision == revision || reason == "ArtifactFailed")
            }
            #expect(ks.readyMessage.contains(message), "\(ks.readyMessage)", sourceLocation: sourceLocation)
            #expect(ks.status?.lastAppliedRevision == good, sourceLocation: sourceLocation)
            #expect(ks.inventoryIDs == inventory, sourceLocation: sourceLocation)
            #expect(ks.conditions[.reconciling]?.reason.rawValue == "ProgressingWithRetry", sourceLocation: sourceLocation)
            #expect(try await env.get(Env.configMapKind, "b", namespace: ns) != nil, "b was pruned", sourceLocation: sourceLocation)
        }

        // With a kustomization.yaml: the build reads what it names and fails on bad YAML.
        try await expectFailure(["deploy/kustomization.yaml": KustomizeFixtures.kustomization(["a.yaml"]),
                                 "deploy/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n data: [unclosed\n"],
                                commit: "1", reason: "BuildFailed", message: "kustomize build failed")
        // Without a kustomization.yaml (generated): an unparseable file fails the build instead of being skipped.
        try await expectFailure(["deploy/a.yaml": KustomizeFixtures.configMap("a"), "deploy/nested/b.yaml": "kind: [\n"],
                                commit: "7", reason: "BuildFailed",
                                message: "failed to decode Kubernetes YAML from deploy/nested/b.yaml")
        try await expectFailure(["deploy/a.yaml": KustomizeFixtures.configMap("Bad_Name")],
                                commit: "2", reason: "ReconciliationFailed", message: "ConfigMap/\(ns)/Bad_Name dry-run failed (Invalid)")
        try await expectFailure(["deploy/a.yaml": "apiVersion: gizmos.example.com/v1\nkind: Gizmo\nmetadata:\n  name: g\n"],
                                commit: "3", reason: "ReconciliationFailed",
                                message: "Gizmo/\(ns)/g dry-run failed: no matches for kind \"Gizmo\" in version \"gizmos.example.com/v1\"")
        try await expectFailure(["other/a.yaml": KustomizeFixtures.configMap("a")],
                                commit: "4", reason: "ArtifactFailed", message: "kustomization path not found: ./deploy")
        try await expectFailure(["deploy/a.yaml": KustomizeFixtures.configMap("a")], commit: "5",
                                digest: "sha256:" + String(repeating: "0", count: 64), reason: "ArtifactFailed",
                                message: "does not match sha256:" + String(repeating: "0", count: 64))
        let events = try await env.events(for: "app", namespace: ns)
        #expect(events["BuildFailed"]?.isEmpty == false && events["ReconciliationFailed"]?.isEmpty == false, "\(events)")

        // A good revision recovers and prunes `b`.
        let fixed = try await env.publish(["deploy/a.yaml": KustomizeFixtures.configMap("a")], namespace: ns,
                                          commit: String(repeating: "6", count: 40))
        let ks = try await env.waitFor("app", namespace: ns, "recovered") { $0.isReadyTrue && $0.status?.lastAppliedRevision == fixed }
        #expect(ks.inventoryIDs == ["\(ns)_a__ConfigMap"])
        #expect(ks.conditions[.reconciling] == nil)
        #expect(try await env.get(Env.configMapKind, "b", namespace: ns) == nil)
    }

    @Test func sourceProblemsAreReported() async throws {
        let env = try await Env.get()
        let ns = try await env.makeNamespace("source")
        defer { Task { await env.cleanUp(namespace: ns) } }
        try await env.createKustomization("oci", namespace: ns, spec: ["sourceRef": ["kind": "OCIRepository", "name": "x"]])
        let oci = try await env.waitFor("oci", namespace: ns, "stalled") { $0.conditions[.stalled]?.status == .true }
        #expect(oci.isReadyFalse)
        #expect(oci.readyMessage.contains("unsupported source kind 'OCIRepository'"))

        try await env.createKustomization("missing", namespace: ns, spec: ["sourceRef": ["kind": "GitRepository", "name": "nope"]])
        let missing = try await env.waitFor("missing", namespace: ns, "source not found") { $0.isReadyFalse }
        #expect(missing.readyReason == "ArtifactFailed")
        #expect(missing.readyMessage == "Source 'GitRepository/\(ns)/nope' not found")

        try await env.createKustomization("sops", namespace: ns, spec: ["decryption": ["provider": "sops"]])
        let sops = try await env.waitFor("sops", namespace: ns, "stalled") { $0.conditions[.stalled]?.status == .true }
        #expect(sops.readyMessage.contains("spec.decryption"))
    }
}
