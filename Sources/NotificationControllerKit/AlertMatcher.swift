import GitOpsKit

/// Selects the Alerts an event goes to, by Flux's rules (`NC:internal/server/event_handlers.go`): not suspended,
/// severity passes (`error` Alerts drop info events), an `eventSources` entry matches (kind, name or `*`, namespace
/// defaulting to the Alert's, `matchLabels` against the object's labels), the message matches an `inclusionList`
/// regex (when set) and no `exclusionList` regex.
public struct AlertMatcher: Sendable {
    /// The labels of the event's object, or nil when it cannot be read (then `matchLabels` sources do not match).
    public typealias LabelLookup = @Sendable (FluxEvent.InvolvedObject) async -> [String: String]?

    private let labels: LabelLookup

    public init(labels: @escaping LabelLookup) {
        self.labels = labels
    }

    /// The Alerts that `event` matches, each with the event as that Alert forwards it (regexes compiled here; the
    /// dispatcher uses precompiled Alerts).
    public func matches(_ event: FluxEvent, alerts: [Alert]) async -> [(alert: Alert, event: FluxEvent)] {
        await matches(event, compiled: alerts.map(CompiledAlert.init)).map { ($0.alert.alert, $0.event) }
    }

    /// The compiled Alerts that `event` matches. The object's labels are read at most once, and only when an Alert
    /// that otherwise matches selects by `matchLabels`.
    public func matches(_ event: FluxEvent, compiled alerts: [CompiledAlert]) async
        -> [(alert: CompiledAlert, event: FluxEvent)]
    {
        var result: [(alert: CompiledAlert, event: FluxEvent)] = []
        var objectLabels: [String: String]??
        for compiled in alerts {
            let alert = compiled.alert
            if alert.isSuspended { continue }
            if alert.eventSeverity == .error, event.severity != .error { continue }
            var sourceMatched = false
            for source in alert.spec.eventSources where Self.matchesReference(source, event, alertNamespace: alert.metadata.namespace) {
                guard let selector = source.matchLabels, !selector.isEmpty, source.name == "*" else {
                    sourceMatched = true
                    break
                }
                if objectLabels == nil { objectLabels = .some(await labels(event.involvedObject)) }
                if let current = objectLabels ?? nil, selector.allSatisfy({ current[$0.key] == $0.value }) {
                    sourceMatched = true
                    break
                }
            }
            guard sourceMatched, compiled.passesLists(event.message) else { continue }
            result.append((compiled, Self.event(event, for: alert)))
        }
        return result
    }

    /// The namespace an event source selects: its own, else the Alert's.
    static func sourceNamespace(_ source: CrossNamespaceObjectReference, alertNamespace: String?) -> String {
        source.namespace.flatMap { $0.isEmpty ? nil : $0 } ?? alertNamespace ?? ""
    }

    /// Kind, name (or `*`) and namespace (default: the Alert's) of one event source.
    static func matchesReference(_ source: CrossNamespaceObjectReference, _ event: FluxEvent,
                                 alertNamespace: String?) -> Bool {
        let object = event.involvedObject
        return source.kind == object.kind && sourceNamespace(source, alertNamespace: alertNamespace) == object.namespace
            && (source.name == "*" || source.name == object.name)
    }

    /// `inclusionList` (any must match, when non-empty) then `exclusionList` (none may match); Go `MatchString`
    /// semantics: unanchored search. An invalid expression never matches.
    static func passesLists(_ message: String, _ spec: Alert.Spec) -> Bool {
        if let inclusions = spec.inclusionList, !inclusions.isEmpty,
           !inclusions.contains(where: { MessagePattern($0).matches(message) }) {
            return false
        }
        return !(spec.exclusionList ?? []).contains { MessagePattern($0).matches(message) }
    }

    /// The event with the Alert's `eventMetadata` (and deprecated `summary`) added, never overriding a key.
    static func event(_ event: FluxEvent, for alert: Alert) -> FluxEvent {
        var event = event
        for (key, value) in alert.spec.eventMetadata ?? [:] where event.metadata[key] == nil {
            event.metadata[key] = value
        }
        if let summary = alert.spec.summary, !summary.isEmpty, event.metadata["summary"] == nil {
            event.metadata["summary"] = summary
        }
        return event
    }
}
