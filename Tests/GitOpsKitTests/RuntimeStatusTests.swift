import Foundation
import Testing
@testable import GitOpsKit

struct RuntimeStatusTests {
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)
    let t1 = Date(timeIntervalSince1970: 1_700_000_600)

    @Test func abnormalTrueConditionsExistOnlyWhileTrue() {
        var status: JSONValue = [:]
        KStatus.markReconciling(message: "working", generation: 3, in: &status, now: t0)
        #expect(KStatus.conditionStatus(KStatus.reconciling, in: status) == .true)
        #expect(KStatus.conditionStatus(KStatus.ready, in: status) == .unknown)
        KStatus.setCondition(KStatus.reconciling, .false, reason: "Done", message: "", observedGeneration: 3, in: &status)
        #expect(KStatus.condition(KStatus.reconciling, in: status) == nil)
        KStatus.setCondition(KStatus.stalled, .unknown, reason: "X", message: "", observedGeneration: 3, in: &status)
        #expect(KStatus.condition(KStatus.stalled, in: status) == nil)
    }

    @Test func lastTransitionTimeChangesOnlyWithStatus() {
        var status: JSONValue = [:]
        KStatus.setCondition(KStatus.ready, .false, reason: "BuildFailed", message: "a", observedGeneration: 1, in: &status, now: t0)
        KStatus.setCondition(KStatus.ready, .false, reason: "ArtifactFailed", message: "b", observedGeneration: 2, in: &status, now: t1)
        let same = KStatus.condition(KStatus.ready, in: status)
        #expect(same?["lastTransitionTime"] == "2023-11-14T22:13:20Z")
        #expect(same?["reason"] == "ArtifactFailed")
        #expect(same?["message"] == "b")
        #expect(same?["observedGeneration"] == 2)
        KStatus.setCondition(KStatus.ready, .true, reason: "Succeeded", message: "c", observedGeneration: 2, in: &status, now: t1)
        #expect(KStatus.condition(KStatus.ready, in: status)?["lastTransitionTime"] == "2023-11-14T22:23:20Z")
    }

    @Test func lifecycleHelpersFollowFluxConventions() {
        var status: JSONValue = ["observedGeneration": -1]
        KStatus.setCondition("Healthy", .true, reason: "Succeeded", message: "", observedGeneration: 1, in: &status, now: t0)
        KStatus.markReconciling(message: "building", generation: 1, in: &status, now: t0)
        #expect(status["conditions"]?[0]?["type"] == "Ready", "Ready comes first")
        KStatus.markFailed(reason: "BuildFailed", message: "kustomize build failed", generation: 1, in: &status, now: t0)
        #expect(KStatus.condition(KStatus.reconciling, in: status)?["reason"] == "ProgressingWithRetry")
        #expect(KStatus.condition(KStatus.ready, in: status)?["reason"] == "BuildFailed")
        KStatus.markStalled(reason: "InvalidPath", message: "spec.path: not found", generation: 1, in: &status, now: t0)
        #expect(KStatus.condition(KStatus.reconciling, in: status) == nil)
        #expect(KStatus.isTrue(KStatus.stalled, in: status))
        KStatus.markReady(message: "Applied revision: main@sha1:abc", generation: 1, in: &status, now: t1)
        KStatus.setObservedGeneration(1, in: &status)
        let types = status["conditions"]?.arrayValue?.compactMap { $0["type"]?.stringValue }
        #expect(types == ["Ready", "Healthy"])
        #expect(KStatus.isTrue(KStatus.ready, in: status))
        #expect(status["observedGeneration"] == 1)
    }

    @Test func recordsHandledReconcileRequests() {
        var status: JSONValue = ["observedGeneration": 1]
        #expect(KStatus.recordHandledReconcileRequest(of: Fixture.widget("w"), in: &status) == false)
        #expect(status["lastHandledReconcileAt"] == nil)
        var requested = Fixture.widget("w")
        requested[path: "metadata", "annotations", "reconcile.fluxcd.io/requestedAt"] = "2024-05-01T10:00:00.123Z"
        #expect(KStatus.recordHandledReconcileRequest(of: requested, in: &status))
        #expect(status["lastHandledReconcileAt"] == "2024-05-01T10:00:00.123Z")
    }

    @Test func mergePatchContainsOnlyChangesAndNullsForRemovals() {
        let old: JSONValue = ["observedGeneration": 1, "artifact": ["revision": "a", "size": 10], "gone": "x",
                              "conditions": [["type": "Ready"]]]
        let new: JSONValue = ["observedGeneration": 2, "artifact": ["revision": "b", "size": 10],
                              "conditions": [["type": "Ready"], ["type": "Healthy"]]]
        let patch = StatusWriter.mergePatch(from: old, to: new)
        #expect(patch == ["observedGeneration": 2, "artifact": ["revision": "b"], "gone": nil,
                          "conditions": [["type": "Ready"], ["type": "Healthy"]]])
        #expect(FakeKube.mergePatch(old, patch) == new)
    }

    @Test func statusWriterPatchesOnlyWhenChanged() async throws {
        let kube = FakeKube()
        let created = try await kube.create(Fixture.widget("w"), options: WriteOptions())
        let writer = StatusWriter(api: kube)
        var status: JSONValue = [:]
        KStatus.markReady(message: "ok", generation: 1, in: &status, now: t0)
        let written = try await writer.write(status, for: created)
        #expect(kube.patchCalls == 1)
        #expect(written["status"] == status)
        let again = try await writer.write(status, for: written)
        #expect(kube.patchCalls == 1, "an unchanged status is not written")
        #expect(again == written)
        var noName = created
        noName[path: "metadata", "name"] = nil
        await #expect(throws: KubeError.self) { try await writer.write(["observedGeneration": 1], for: noName) }
    }

    @Test func rfc3339RoundTrips() throws {
        #expect(RFC3339.seconds(t0) == "2023-11-14T22:13:20Z")
        #expect(RFC3339.micro(Date(timeIntervalSince1970: 1_700_000_000.25)) == "2023-11-14T22:13:20.250000Z")
        #expect(RFC3339.parse("2023-11-14T22:13:20Z") == t0)
        #expect(RFC3339.parse("2023-11-14T23:13:20+01:00") == t0)
        #expect(try #require(RFC3339.parse("2023-11-14T22:13:20.5Z")).timeIntervalSince1970 == 1_700_000_000.5)
        for bad in ["", "2023-11-14", "2023-13-14T22:13:20Z", "2023-11-14T22:13:20", "2023-11-14T22:13:20.Z", "x023-11-14T22:13:20Z"] {
            #expect(RFC3339.parse(bad) == nil, "\(bad)")
        }
    }
}
