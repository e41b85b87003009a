import GitOpsKit
import NotificationControllerKit
import Testing

@Suite struct FluxEventTests {
    static let kustomization: JSONValue = [
        "apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
        "metadata": ["name": "webapp", "namespace": "apps", "uid": "u-1", "resourceVersion": "7",
                     "annotations": ["event.toolkit.fluxcd.io/team": "web"]],
    ]

    /// Exactly what our controllers' recorder sends.
    static func recorded(message: String = "Applied revision main@sha1:abc", type: EventType = .normal,
                         metadata: [String: String] = ["revision": "main@sha1:abc", "checksum": "x"]) -> JSONValue {
        let meta = EventRecorder.metadata(for: kustomization, extra: metadata)
        return EventRecorder.fluxEvent(object: kustomization, type: type, reason: "ReconciliationSucceeded",
                                       message: message, metadata: meta, controller: "kustomize-controller",
                                       instance: "pod-1")!
    }

    @Test func decodesWhatTheRecorderSends() throws {
        let event = try FluxEvent(json: Self.recorded().jsonBytes())
        #expect(event.involvedObject == .init(kind: "Kustomization", namespace: "apps", name: "webapp", uid: "u-1",
                                              apiVersion: "kustomize.toolkit.fluxcd.io/v1", resourceVersion: "7"))
        #expect(event.severity == .info)
        #expect(event.reason == "ReconciliationSucceeded")
        #expect(event.reportingController == "kustomize-controller")
        #expect(event.reportingInstance == "pod-1")
        #expect(event.metadata["kustomize.toolkit.fluxcd.io/revision"] == "main@sha1:abc")
        let error = try FluxEvent(json: Self.recorded(type: .warning).jsonBytes())
        #expect(error.severity == .error)
        // Round trip through the forwarded JSON.
        #expect(try FluxEvent(event.json) == event)
    }

    @Test func cleanupKeepsGroupAndAnnotationKeysWithoutPrefix() throws {
        let event = try FluxEvent(json: Self.recorded(metadata: ["revision": "r1", "checksum": "c", "digest": "d",
                                                                 "other.io/x": "y"]).jsonBytes()).cleanedUp()
        #expect(event.metadata == ["revision": "r1", "team": "web"])
    }

    @Test(arguments: [
        (#"{"#, ""),
        (#"[]"#, ""),
        (#"{"severity":"info"}"#, "involvedObject"),
        (#"{"involvedObject":{"namespace":"a","name":"b"}}"#, "involvedObject.kind"),
        (#"{"involvedObject":{"kind":"K","namespace":"","name":"b"}}"#, "involvedObject.namespace"),
        (#"{"involvedObject":{"kind":"K","namespace":"a","name":3}}"#, "involvedObject.name"),
        (#"{"involvedObject":{"kind":"K","namespace":"a","name":"b"},"severity":"warning"}"#, "severity"),
        (#"{"involvedObject":{"kind":"K","namespace":"a","name":"b"},"severity":"info","timestamp":"yesterday"}"#,
         "timestamp"),
        (#"{"involvedObject":{"kind":"K","namespace":"a","name":"b"},"severity":"info","timestamp":"2022-10-28T07:26:19Z"}"#,
         "message"),
        (#"{"involvedObject":{"kind":"K","namespace":"a","name":"b"},"severity":"info","timestamp":"2022-10-28T07:26:19.5+02:00","message":"m","reason":"R","reportingController":"c","metadata":{"k":1}}"#,
         "metadata.k"),
        (#"{"involvedObject":{"kind":"K","namespace":"a","name":"b"},"severity":"info","timestamp":"2022-10-28T07:26:19Z","message":"m","reason":"R"}"#,
         "reportingController"),
    ])
    func invalidEventsNameTheField(json: String, field: String) {
        #expect {
            try FluxEvent(json: Array(json.utf8))
        } throws: { error in
            (error as? FluxEventError)?.field == field
        }
    }

    @Test func tooLongMessageIsRefused() {
        var json = Self.recorded()
        json["message"] = .string(String(repeating: "x", count: 39_001))
        #expect(throws: FluxEventError(field: "message", reason: "longer than 39000 characters")) { try FluxEvent(json) }
    }
}
