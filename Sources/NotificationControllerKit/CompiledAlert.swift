import GitOpsKit

/// An Alert ready for matching: its inclusion and exclusion regexes compiled once (when the Alert is cached or
/// changes), not once per event, and the scopes (`namespace/kind` of each event source) it is indexed under.
public struct CompiledAlert: Sendable {
    public let alert: Alert
    public let key: ObjectKey
    let inclusions: [MessagePattern]
    let exclusions: [MessagePattern]

    public init(_ alert: Alert) {
        self.alert = alert
        key = ObjectKey(namespace: alert.metadata.namespace, name: alert.metadata.name ?? "")
        inclusions = (alert.spec.inclusionList ?? []).map(MessagePattern.init)
        exclusions = (alert.spec.exclusionList ?? []).map(MessagePattern.init)
    }

    /// The `namespace/kind` pairs whose events this Alert can match: an event's object must have one of them.
    public var scopes: Set<String> {
        Set(alert.spec.eventSources.map { source in
            Self.scope(namespace: AlertMatcher.sourceNamespace(source, alertNamespace: alert.metadata.namespace),
                       kind: source.kind)
        })
    }

    static func scope(namespace: String, kind: String) -> String { namespace + "/" + kind }

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
