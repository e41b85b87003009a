import GitOpsKit

/// An Alert ready for matching: its inclusion and exclusion regexes compiled once (when the Alert is cached or
/// changes), not once per event, and the scopes (`namespace/kind/name`, or `…/*` for a wildcard source) it is
/// indexed under. A class: the index hands out references, so a lookup copies no regexes or specs.
public final class CompiledAlert: Sendable {
    public let alert: Alert
    public let key: ObjectKey
    let inclusions: [MessagePattern]
    let exclusions: [MessagePattern]
    /// Where the event sources point; an event's object must be in one of them.
    let scopes: Set<String>

    public init(_ alert: Alert) {
        self.alert = alert
        key = ObjectKey(namespace: alert.metadata.namespace, name: alert.metadata.name ?? "")
        inclusions = (alert.spec.inclusionList ?? []).map(MessagePattern.init)
        exclusions = (alert.spec.exclusionList ?? []).map(MessagePattern.init)
        scopes = Set(alert.spec.eventSources.map { source in
            Self.scope(namespace: AlertMatcher.sourceNamespace(source, alertNamespace: alert.metadata.namespace),
                       kind: source.kind, name: source.name)
        })
    }

    /// The index key of a source: a named source is found only by events of that object, a `*` source by every
    /// event of its namespace and kind.
    static func scope(namespace: String, kind: String, name: String) -> String {
        namespace + "/" + kind + "/" + name
    }

    /// `inclusionList` (any must match, when non-empty) then `exclusionList` (none may match).
    func passesLists(_ message: String) -> Bool {
        if !inclusions.isEmpty, !inclusions.contains(where: { $0.matches(message) }) { return false }
        return !exclusions.contains { $0.matches(message) }
    }
}

/// One Go regular expression of an Alert's lists, compiled; Go `MatchString` semantics (unanchored search). An
/// expression that does not compile never matches (Flux reports it and skips it).
///
/// `@unchecked Sendable`: `Regex<AnyRegexOutput>` is not declared Sendable only because of its output type. The
/// value is immutable once built, and its matching program (lowered lazily, with an atomic initialization) is
/// forced here by one match, so tasks matching concurrently only read it.
struct MessagePattern: @unchecked Sendable {
    let source: String
    private let regex: Regex<AnyRegexOutput>?

    init(_ source: String) {
        self.source = source
        let regex = try? Regex(source)
        _ = try? regex?.firstMatch(in: "")
        self.regex = regex
    }

    var isValid: Bool { regex != nil }

    func matches(_ text: String) -> Bool {
        guard let regex else { return false }
        return (try? regex.firstMatch(in: text)) != nil
    }
}
