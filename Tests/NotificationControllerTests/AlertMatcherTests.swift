import GitOpsKit
import NotificationControllerKit
import Testing

@Suite struct AlertMatcherTests {
    static func event(kind: String = "Kustomization", namespace: String = "apps", name: String = "webapp",
                      severity: FluxEvent.Severity = .info, message: String = "Applied revision main@sha1:abc",
                      metadata: [String: String] = ["revision": "main@sha1:abc"]) -> FluxEvent {
        FluxEvent(involvedObject: .init(kind: kind, namespace: namespace, name: name,
                                        apiVersion: "kustomize.toolkit.fluxcd.io/v1"),
                  severity: severity, timestamp: "2022-10-28T07:26:19Z", message: message,
                  reason: "ReconciliationSucceeded", metadata: metadata, reportingController: "kustomize-controller")
    }

    static func alert(_ name: String = "a", namespace: String = "apps",
                      sources: [CrossNamespaceObjectReference] = [.init(kind: "Kustomization", name: "*")],
                      severity: Alert.EventSeverity? = nil, inclusion: [String]? = nil, exclusion: [String]? = nil,
                      eventMetadata: [String: String]? = nil, suspend: Bool? = nil) -> Alert {
        Alert(metadata: ObjectMeta(name: name, namespace: namespace),
              spec: .init(providerRef: .init(name: "p"), eventSources: sources, eventSeverity: severity,
                          inclusionList: inclusion, eventMetadata: eventMetadata, exclusionList: exclusion,
                          suspend: suspend))
    }

    static let noLabels = AlertMatcher { _ in nil }

    func matched(_ event: FluxEvent, _ alerts: [Alert], matcher: AlertMatcher = noLabels) async -> [String] {
        await matcher.matches(event, alerts: alerts).map { $0.alert.metadata.name ?? "" }
    }

    @Test func kindNameAndWildcard() async {
        let alerts = [
            Self.alert("exact", sources: [.init(kind: "Kustomization", name: "webapp")]),
            Self.alert("other-name", sources: [.init(kind: "Kustomization", name: "backend")]),
            Self.alert("other-kind", sources: [.init(kind: "HelmRelease", name: "*")]),
            Self.alert("star"),
        ]
        #expect(await matched(Self.event(), alerts) == ["exact", "star"])
    }

    @Test func namespaceDefaultsToTheAlerts() async {
        let alerts = [
            Self.alert("same-ns"),
            Self.alert("elsewhere", namespace: "flux-system"),
            Self.alert("explicit", namespace: "flux-system", sources: [.init(kind: "Kustomization", name: "*", namespace: "apps")]),
        ]
        #expect(await matched(Self.event(), alerts) == ["same-ns", "explicit"])
    }

    @Test func suspendedAlertsAreSkipped() async {
        #expect(await matched(Self.event(), [Self.alert("off", suspend: true), Self.alert("on", suspend: false)]) == ["on"])
    }

    @Test func errorSeverityDropsInfoEvents() async {
        let alerts = [Self.alert("errors", severity: .error), Self.alert("all", severity: .info)]
        #expect(await matched(Self.event(severity: .info), alerts) == ["all"])
        #expect(await matched(Self.event(severity: .error), alerts) == ["errors", "all"])
    }

    @Test func inclusionAndExclusionListsSearchTheMessage() async {
        let alerts = [
            Self.alert("include-hit", inclusion: ["^Applied", "nomatch"]),
            Self.alert("include-miss", inclusion: ["failed"]),
            Self.alert("exclude-hit", exclusion: ["sha1:[a-f]+"]),
            Self.alert("exclude-miss", exclusion: ["Health check"]),
            Self.alert("both", inclusion: ["revision"], exclusion: ["main@"]),
            Self.alert("invalid-regex-excludes-nothing", exclusion: ["("]),
        ]
        #expect(await matched(Self.event(), alerts) == ["include-hit", "exclude-miss", "invalid-regex-excludes-nothing"])
    }

    @Test func matchLabelsNeedTheObjectsLabels() async {
        let labelled = AlertMatcher { object in object.name == "webapp" ? ["team": "web", "tier": "1"] : [:] }
        let alerts = [
            Self.alert("team", sources: [.init(kind: "Kustomization", name: "*", matchLabels: ["team": "web"])]),
            Self.alert("wrong", sources: [.init(kind: "Kustomization", name: "*", matchLabels: ["team": "db"])]),
        ]
        #expect(await matched(Self.event(), alerts, matcher: labelled) == ["team"])
        #expect(await matched(Self.event(name: "other"), alerts, matcher: labelled) == [])
        // Unreadable object: matchLabels cannot match.
        #expect(await matched(Self.event(), alerts) == [])
    }

    @Test func eventMetadataIsAddedWithoutOverriding() async {
        let alert = Self.alert(eventMetadata: ["cluster": "prod", "revision": "ignored"])
        let result = await Self.noLabels.matches(Self.event(), alerts: [alert])
        #expect(result.first?.event.metadata == ["cluster": "prod", "revision": "main@sha1:abc"])
    }
}
