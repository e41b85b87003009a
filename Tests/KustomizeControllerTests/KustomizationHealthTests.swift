import Foundation
import GitOpsKit
import GitOpsTestSupport
import KustomizeControllerKit
import Testing

/// Health checks (`wait`, `healthChecks`), fail-fast on a failed rollout, the timeout wording, and `dependsOn`.
@Suite(.serialized)
struct KustomizationHealthTests {
    typealias Env = KustomizeTestEnvironment

    @Test func waitReportsHealthyAndFailedRollouts() async throws {
        let env = try await Env.get()
        let ns = try await env.makeNamespace("health")
        defer { Task { await env.cleanUp(namespace: ns) } }
        try await env.publish(["web.yaml": KustomizeFixtures.deployment("web"), "svc.yaml": KustomizeFixtures.service],
                              namespace: ns, commit: String(repeating: "f", count: 40))
        try await env.createKustomization("app", namespace: ns, spec: ["targetNamespace": .string(ns), "wait": true])
        var ks = try await env.waitFor("app", namespace: ns, "healthy") { $0.isReadyTrue }
        #expect(ks.conditions[.healthy]?.status == .true)

        // A rollout that fails (the emulator's fail annotation: ProgressDeadlineExceeded) fails fast, before `timeout`.
        // (a spec change, so the old rolled-out status does not count for the new generation)
        let failing = KustomizeFixtures.deployment("web", replicas: 2,
                                                   extra: "  annotations:\n    emulator.gitopskit.io/fail: \"true\"\n")
        let started = ContinuousClock.now
        let revision = try await env.publish(["web.yaml": failing, "svc.yaml": KustomizeFixtures.service],
                                             namespace: ns, commit: String(repeating: "9", count: 40))
        ks = try await env.waitFor("app", namespace: ns, "health check failed") {
            $0.isReadyFalse && $0.status?.lastAttemptedRevision == revision
        }
        #expect(ContinuousClock.now - started < .seconds(20))
        #expect(ks.readyReason == "HealthCheckFailed")
        #expect(ks.readyMessage.contains("failed early due to stalled resources: [Deployment/\(ns)/web status: 'Failed']"),
                "\(ks.readyMessage)")
        #expect(ks.conditions[.healthy]?.status == .false)
        #expect(ks.status?.lastAppliedRevision != revision)
    }

    @Test func healthChecksListAndTimeoutMessage() async throws {
        let env = try await Env.get()
        let ns = try await env.makeNamespace("checks")
        defer { Task { await env.cleanUp(namespace: ns) } }
        try await env.publish(["web.yaml": KustomizeFixtures.deployment("web")], namespace: ns, commit: String(repeating: "7", count: 40))
        try await env.createKustomization("app", namespace: ns, spec: [
            "targetNamespace": .string(ns),
            "healthChecks": [["apiVersion": "apps/v1", "kind": "Deployment", "name": "web", "namespace": .string(ns)]],
        ])
        let ks = try await env.waitFor("app", namespace: ns, "healthy") { $0.isReadyTrue }
        #expect(ks.conditions[.healthy]?.status == .true)

        // A paused Deployment never reports a rollout: the wait times out with Flux's wording.
        var paused = try #require(try await env.get(Env.deploymentKind, "web", namespace: ns))
        paused["status"] = nil
        paused[path: "metadata", "managedFields"] = nil
        paused[path: "spec", "paused"] = true
        paused[path: "spec", "replicas"] = 4
        _ = try await env.client.update(paused, options: WriteOptions(fieldManager: "test"))
        let applier = ResourceApplier(api: env.client, fieldManager: "test")
        let identity = ResourceIdentity(kind: Env.deploymentKind, namespace: ns, name: "web")
        let outcome = await applier.waitForHealth([identity], timeout: .milliseconds(300), pollInterval: .milliseconds(50))
        #expect(outcome.message(after: .milliseconds(300))
            == "health check failed after 0.3s: timeout waiting for: [Deployment/\(ns)/web status: 'InProgress']")
        let missing = ResourceIdentity(kind: Env.deploymentKind, namespace: ns, name: "absent")
        #expect(await applier.waitForHealth([missing], timeout: .milliseconds(100), pollInterval: .milliseconds(50)) != .healthy)
    }

    @Test func dependsOnWaitsForTheDependency() async throws {
        let env = try await Env.get()
        let ns = try await env.makeNamespace("deps")
        defer { Task { await env.cleanUp(namespace: ns) } }
        try await env.publish(["infra/ns.yaml": KustomizeFixtures.configMap("infra-settings"),
                               "apps/app.yaml": KustomizeFixtures.configMap("app-settings")],
                              namespace: ns, commit: String(repeating: "8", count: 40))
        try await env.createKustomization("apps", namespace: ns, spec: [
            "path": "apps", "targetNamespace": .string(ns), "dependsOn": [["name": "infra"]],
        ])
        let waiting = try await env.waitFor("apps", namespace: ns, "dependency not ready") { $0.isReadyFalse }
        #expect(waiting.readyReason == "DependencyNotReady")
        #expect(waiting.readyMessage.contains("dependency '\(ns)/infra' is not ready"))
        #expect(try await env.get(Env.configMapKind, "app-settings", namespace: ns) == nil)

        try await env.createKustomization("infra", namespace: ns, spec: ["path": "infra", "targetNamespace": .string(ns)])
        try await env.waitFor("infra", namespace: ns, "infra ready") { $0.isReadyTrue }
        try await env.waitFor("apps", namespace: ns, "apps ready after infra") { $0.isReadyTrue }
        #expect(try await env.get(Env.configMapKind, "app-settings", namespace: ns) != nil)
    }
}
