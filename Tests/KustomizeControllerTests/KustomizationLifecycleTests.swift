import Foundation
import GitOpsKit
import GitOpsTestSupport
import KustomizeControllerKit
import Testing

/// `deletionPolicy`, `status.history` and `lastAppliedOriginRevision`, watched `substituteFrom` ConfigMaps, and the
/// app-of-apps pattern.
@Suite(.serialized)
struct KustomizationLifecycleTests {
    typealias Env = KustomizeTestEnvironment

    @Test func deletionPolicies() async throws {
        let env = try await Env.get()
        let ns = try await env.makeNamespace("deletion")
        defer { Task { await env.cleanUp(namespace: ns) } }
        /// A Kustomization of its own source, applying one ConfigMap named after it.
        func deploy(_ name: String, _ spec: JSONValue, annotations: String = "", finalizers: [String] = []) async throws {
            var configMap = KustomizeFixtures.configMap("\(name)-cm", annotations: annotations)
            if !finalizers.isEmpty {
                configMap = configMap.replacing("metadata:\n", with: "metadata:\n  finalizers:\n" + finalizers.map { "  - \($0)\n" }.joined())
            }
            try await env.publish(["cm.yaml": configMap], source: "src-\(name)", namespace: ns, commit: String(repeating: "d", count: 40))
            var full = spec
            full["sourceRef"] = ["kind": "GitRepository", "name": .string("src-\(name)")]
            full["targetNamespace"] = .string(ns)
            try await env.createKustomization(name, namespace: ns, spec: full)
            try await env.waitFor(name, namespace: ns, "\(name) applied") { $0.isReadyTrue }
        }
        func delete(_ name: String) async throws {
            try await env.client.delete(Kustomization.kind, ObjectKey(namespace: ns, name: name), options: DeleteOptions())
        }
        func gone(_ name: String) async throws -> Bool { try await env.get(Kustomization.kind, name, namespace: ns) == nil }

        try await deploy("delete", ["prune": false, "deletionPolicy": "Delete"])
        try await deploy("orphan", ["prune": true, "deletionPolicy": "Orphan"])
        try await deploy("mirror", ["prune": false])
        try await deploy("suspended", ["prune": true, "deletionPolicy": "Delete"])
        try await deploy("wait", ["prune": true, "deletionPolicy": "WaitForTermination"], finalizers: ["test.gitopskit.io/hold"])
        try await env.modify("suspended", namespace: ns) { $0[path: "spec", "suspend"] = true }
        try await env.waitFor("suspended", namespace: ns, "suspended observed") { $0.spec.suspend == true }

        for name in ["delete", "orphan", "mirror", "suspended"] { try await delete(name) }
        try await env.eventually("four Kustomizations gone") {
            for name in ["delete", "orphan", "mirror", "suspended"] where try await !gone(name) { return false }
            return true
        }
        #expect(try await env.get(Env.configMapKind, "delete-cm", namespace: ns) == nil)
        #expect(try await env.get(Env.configMapKind, "orphan-cm", namespace: ns) != nil)
        #expect(try await env.get(Env.configMapKind, "mirror-cm", namespace: ns) != nil)
        #expect(try await env.get(Env.configMapKind, "suspended-cm", namespace: ns) != nil)

        // WaitForTermination: the Kustomization stays until its objects are gone (here: held by a finalizer).
        try await delete("wait")
        try await env.eventually("ConfigMap terminating") {
            try await env.get(Env.configMapKind, "wait-cm", namespace: ns)?[path: "metadata", "deletionTimestamp"] != nil
        }
        try await Task.sleep(for: .milliseconds(500))
        #expect(try await !gone("wait"))
        let held = ResourceIdentity(kind: Env.configMapKind, namespace: ns, name: "wait-cm")
        let applier = ResourceApplier(api: env.client, fieldManager: "test")
        #expect(await applier.waitForTermination([held], timeout: .milliseconds(200), pollInterval: .milliseconds(50)) == [held])
        var configMap = try #require(try await env.get(Env.configMapKind, "wait-cm", namespace: ns))
        configMap[path: "metadata", "finalizers"] = []
        _ = try await env.client.update(configMap, options: WriteOptions(fieldManager: "test"))
        try await env.eventually("Kustomization gone after its object") { try await gone("wait") }
        #expect(await applier.waitForTermination([held], timeout: .milliseconds(200), pollInterval: .milliseconds(50)).isEmpty)
    }

    @Test func historyRecordsDistinctResults() async throws {
        let env = try await Env.get()
        let ns = try await env.makeNamespace("history")
        defer { Task { await env.cleanUp(namespace: ns) } }
        let good = ["cm.yaml": KustomizeFixtures.configMap("a")]
        let origin = "v1.0.0@sha1:" + String(repeating: "f", count: 40)
        let first = try await env.publish(good, namespace: ns, commit: String(repeating: "1", count: 40),
                                          metadata: ["org.opencontainers.image.revision": origin])
        try await env.createKustomization("app", namespace: ns, spec: ["targetNamespace": .string(ns), "retryInterval": "1s"])
        var ks = try await env.waitFor("app", namespace: ns, "applied") { $0.isReadyTrue }
        #expect(ks.status?.lastAppliedOriginRevision == origin)
        var history = ks.status?.history ?? []
        #expect(history.count == 1)
        let entry = try #require(history.first)
        #expect(entry.digest.hasPrefix("sha256:") && entry.digest.count == 71)
        #expect(entry.lastReconciledStatus == "ReconciliationSucceeded")
        #expect(entry.totalReconciliations == 1)
        #expect(entry.metadata == ["revision": first, "originRevision": origin])

        // Steady state: nothing new, nothing written into the history.
        let token = try await env.requestReconcile("app", namespace: ns)
        ks = try await env.waitFor("app", namespace: ns, "reconciled again") { $0.status?.lastHandledReconcileAt == token }
        #expect(ks.status?.history == history)

        // A failing revision: a new entry first, with its own digest.
        let bad = try await env.publish(["cm.yaml": KustomizeFixtures.configMap("Bad_Name")], namespace: ns,
                                        commit: String(repeating: "2", count: 40))
        ks = try await env.waitFor("app", namespace: ns, "failed") { $0.isReadyFalse && $0.status?.lastAttemptedRevision == bad }
        try await Task.sleep(for: .milliseconds(1500)) // retries at 1s write nothing new
        ks = try await env.kustomization("app", namespace: ns)
        history = ks.status?.history ?? []
        #expect(history.map(\.lastReconciledStatus) == ["ReconciliationFailed", "ReconciliationSucceeded"])
        #expect(history[0].digest != entry.digest)
        #expect(history[0].totalReconciliations == 1)
        #expect(history[0].metadata == ["revision": bad])
        #expect(ks.status?.lastAppliedOriginRevision == origin)

        // The same manifests at another commit: the first entry again, moved to the front.
        let again = try await env.publish(good, namespace: ns, commit: String(repeating: "3", count: 40))
        ks = try await env.waitFor("app", namespace: ns, "recovered") { $0.isReadyTrue && $0.status?.lastAppliedRevision == again }
        history = ks.status?.history ?? []
        #expect(history.count == 2)
        #expect(history[0].digest == entry.digest)
        #expect(history[0].totalReconciliations == 2)
        #expect(history[0].metadata == ["revision": again])
        #expect(ks.status?.lastAppliedOriginRevision == nil)

        // At most five entries.
        for index in 0..<4 {
            let revision = try await env.publish(["cm.yaml": KustomizeFixtures.configMap("a", data: ["n": "\(index)"])], namespace: ns,
                                                 commit: String(repeating: Character("\(4 + index)"), count: 40))
            try await env.waitFor("app", namespace: ns, "revision \(index)") { $0.status?.lastAppliedRevision == revision }
        }
        history = try await env.kustomization("app", namespace: ns).status?.history ?? []
        #expect(history.count == 5)
        #expect(!history.contains { $0.lastReconciledStatus == "ReconciliationFailed" })
    }

    @Test func watchedConfigMapChangesReconcileAtOnce() async throws {
        let env = try await Env.get()
        let ns = try await env.makeNamespace("watch")
        defer { Task { await env.cleanUp(namespace: ns) } }
        try await env.create(["apiVersion": "v1", "kind": "ConfigMap",
                              "metadata": ["name": "vars", "namespace": .string(ns), "labels": ["reconcile.fluxcd.io/watch": "Enabled"]],
                              "data": ["greeting": "hello"]])
        try await env.create(["apiVersion": "v1", "kind": "Secret",
                              "metadata": ["name": "secret-vars", "namespace": .string(ns), "labels": ["reconcile.fluxcd.io/watch": "Enabled"]],
                              "stringData": ["token": "one"]])
        try await env.create(["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "unwatched", "namespace": .string(ns)],
                              "data": ["other": "one"]])
        try await env.publish(["out.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: out\ndata:\n  greeting: ${greeting}\n  token: ${token}\n  other: ${other}\n"],
                              namespace: ns, commit: String(repeating: "a", count: 40))
        try await env.createKustomization("app", namespace: ns, spec: [
            "targetNamespace": .string(ns), "interval": "1h",
            "postBuild": ["substituteFrom": [["kind": "ConfigMap", "name": "vars"], ["kind": "Secret", "name": "secret-vars"],
                                             ["kind": "ConfigMap", "name": "unwatched"]]],
        ])
        try await env.waitFor("app", namespace: ns, "applied") { $0.isReadyTrue }
        func out(_ key: String) async throws -> String? {
            try await env.get(Env.configMapKind, "out", namespace: ns)?[path: "data", key]?.stringValue
        }
        #expect(try await out("greeting") == "hello")

        try await env.client.modify(Env.configMapKind, ObjectKey(namespace: ns, name: "vars")) { $0[path: "data", "greeting"] = "bonjour" }
        try await env.eventually("ConfigMap change applied", timeout: .seconds(10)) { try await out("greeting") == "bonjour" }
        try await env.client.modify(Env.secretKind, ObjectKey(namespace: ns, name: "secret-vars")) {
            $0[path: "data", "token"] = .string(Data("two".utf8).base64EncodedString())
        }
        try await env.eventually("Secret change applied", timeout: .seconds(10)) { try await out("token") == "two" }

        // Without the label nothing is watched: the change waits for the next reconcile.
        try await env.client.modify(Env.configMapKind, ObjectKey(namespace: ns, name: "unwatched")) { $0[path: "data", "other"] = "two" }
        try await Task.sleep(for: .seconds(1))
        #expect(try await out("other") == "one")
        _ = try await env.requestReconcile("app", namespace: ns)
        try await env.eventually("applied at the next reconcile") { try await out("other") == "two" }
    }

    @Test func appOfApps() async throws {
        let env = try await Env.get()
        let ns = try await env.makeNamespace("apps")
        defer { Task { await env.cleanUp(namespace: ns) } }
        let source = """
            apiVersion: source.toolkit.fluxcd.io/v1
            kind: GitRepository
            metadata:
              name: repo
            spec:
              url: https://git.example.invalid/repo.git
              interval: 1h

            """
        let child = """
            apiVersion: kustomize.toolkit.fluxcd.io/v1
            kind: Kustomization
            metadata:
              name: apps
            spec:
              sourceRef:
                kind: GitRepository
                name: repo
              path: ./apps
              prune: true
              interval: 1h
              targetNamespace: \(ns)

            """
        let app = ["apps/web.yaml": KustomizeFixtures.deployment("web"), "apps/settings.yaml": KustomizeFixtures.configMap("web-settings")]
        try await env.publish(app.merging(["clusters/dev/source.yaml": source, "clusters/dev/apps.yaml": child]) { $1 },
                              namespace: ns, commit: String(repeating: "1", count: 40))
        try await env.createKustomization("flux-system", namespace: ns, spec: ["path": "./clusters/dev", "targetNamespace": .string(ns)])
        let parent = try await env.waitFor("flux-system", namespace: ns, "parent applied") { $0.isReadyTrue }
        #expect(parent.inventoryIDs == ["\(ns)_apps_kustomize.toolkit.fluxcd.io_Kustomization", "\(ns)_repo_source.toolkit.fluxcd.io_GitRepository"])
        var apps = try await env.waitFor("apps", namespace: ns, "child applied") { $0.isReadyTrue }
        #expect(apps.inventoryIDs == ["\(ns)_web-settings__ConfigMap", "\(ns)_web_apps_Deployment"])
        #expect(apps.metadata.labels?["kustomize.toolkit.fluxcd.io/name"] == "flux-system")
        #expect(try await env.get(Env.configMapKind, "web-settings", namespace: ns) != nil)

        // The parent's drift correction leaves the child's finalizer and status alone.
        let token = try await env.requestReconcile("flux-system", namespace: ns)
        try await env.waitFor("flux-system", namespace: ns, "parent reconciled") { $0.status?.lastHandledReconcileAt == token }
        apps = try await env.kustomization("apps", namespace: ns)
        #expect(apps.metadata.finalizers == ["finalizers.fluxcd.io"])
        #expect(apps.isReadyTrue)

        // The child leaves Git: the parent prunes it, and its finalizer prunes what it applied.
        let second = try await env.publish(app.merging(["clusters/dev/source.yaml": source]) { $1 }, namespace: ns,
                                           commit: String(repeating: "2", count: 40))
        try await env.waitFor("flux-system", namespace: ns, "child pruned") { $0.status?.lastAppliedRevision == second }
        try await env.eventually("child and its objects gone") {
            let child = try await env.get(Kustomization.kind, "apps", namespace: ns)
            let settings = try await env.get(Env.configMapKind, "web-settings", namespace: ns)
            let web = try await env.get(Env.deploymentKind, "web", namespace: ns)
            return child == nil && settings == nil && web == nil
        }
        #expect(try await env.get(GitRepository.kind, "repo", namespace: ns) != nil)
    }
}
