import Testing
@testable import GitOpsKit

struct RuntimeTypedStatusTests {
    static let object: JSONValue = [
        "apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
        "metadata": ["name": "apps", "namespace": "flux-system", "generation": 3,
                     "annotations": ["reconcile.fluxcd.io/requestedAt": "token-1"]],
        "spec": ["interval": "10m", "prune": true, "sourceRef": ["kind": "GitRepository", "name": "repo"]],
    ]
    let t0 = KubeTime(secondsSinceEpoch: 1_700_000_000)
    let t1 = KubeTime(secondsSinceEpoch: 1_700_000_600)

    @Test func typedConditionsFollowKstatusRules() throws {
        var conditions: [Condition] = []
        conditions.set(.healthy, .true, reason: .succeeded, message: "", observedGeneration: 1, now: t0)
        conditions.set(.ready, .false, reason: .buildFailed, message: "a", observedGeneration: 1, now: t0)
        #expect(conditions.map(\.type) == [.ready, .healthy])
        conditions.set(.ready, .false, reason: .artifactFailed, message: "b", observedGeneration: 2, now: t1)
        #expect(conditions[.ready]?.lastTransitionTime == t0, "same status keeps the transition time")
        #expect(conditions[.ready]?.reason == .artifactFailed)
        conditions.set(.ready, .true, reason: .succeeded, message: "c", observedGeneration: 2, now: t1)
        #expect(conditions[.ready]?.lastTransitionTime == t1)
        conditions.set(.stalled, .true, reason: .invalidPath, message: "x", observedGeneration: 2, now: t1)
        #expect(conditions[.stalled] != nil)
        conditions.set(.stalled, .false, reason: .succeeded, message: "", observedGeneration: 2, now: t1)
        #expect(conditions[.stalled] == nil, "Stalled exists only while True")
    }

    @Test func lifecycleOnATypedObjectAndWriting() async throws {
        let kube = FakeKube()
        let stored = try await kube.create(Self.object, options: WriteOptions())
        var kustomization = try Kustomization(from: stored)
        kustomization.markReconciling(message: "Building", now: t0)
        #expect(kustomization.conditions.isTrue(.reconciling))
        #expect(kustomization.conditions[.ready]?.status == .unknown)
        kustomization.markFailed(reason: .buildFailed, message: "kustomize build failed", now: t0)
        #expect(kustomization.conditions[.reconciling]?.reason == .progressingWithRetry)
        kustomization.markStalled(reason: .invalidPath, message: "spec.path: not found", now: t0)
        #expect(kustomization.conditions[.reconciling] == nil)
        kustomization.markReady(message: "Applied revision: main@sha1:abc", now: t1)
        #expect(kustomization.conditions.map(\.type) == [.ready])
        #expect(kustomization.observedGeneration == 1, "the fake API server starts generations at 1")
        #expect(kustomization.lastHandledReconcileAt == "token-1")
        #expect(kustomization.isReady)

        let writer = StatusWriter(api: kube)
        let written = try await writer.write(kustomization, original: stored)
        #expect(kube.patchCalls == 1)
        #expect(written[path: "status", "conditions"]?[0]?["type"] == "Ready")
        #expect(written[path: "status", "conditions"]?[0]?["lastTransitionTime"] == "2023-11-14T22:23:20Z")
        #expect(written[path: "status", "lastHandledReconcileAt"] == "token-1")
        // The same status again: no write.
        let again = try Kustomization(from: written)
        try await writer.write(again, original: written)
        #expect(kube.patchCalls == 1)
    }
}
