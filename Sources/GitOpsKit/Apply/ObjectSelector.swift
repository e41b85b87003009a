import FoundationEssentials

/// Selects objects the way a kustomize `target` does (Flux's `jsondiff.Selector`, used by `spec.ignore[].target`):
/// group, version, kind, name and namespace are regular expressions that must match the whole value, labels and
/// annotations are matched by label-selector strings; an empty field matches everything.
public struct ObjectSelector: Sendable, Hashable, CustomStringConvertible {
    /// Why a selector cannot be used, naming the field.
    public struct InvalidSelector: Error, Sendable, Hashable, CustomStringConvertible {
        public var field: String
        public var reason: String
        public var description: String { "\(field): \(reason)" }
    }

    private var group: AnchoredPattern?
    private var version: AnchoredPattern?
    private var kind: AnchoredPattern?
    private var name: AnchoredPattern?
    private var namespace: AnchoredPattern?
    private var labels: LabelSelectorExpression?
    private var annotations: LabelSelectorExpression?
    /// The selector as written; two selectors are equal when these are.
    public let source: KustomizeSelector
    public let description: String

    /// Compiles the selector; `fieldPrefix` names it in errors (e.g. `spec.ignore[0].target`).
    public init(_ selector: KustomizeSelector, fieldPrefix: String = "target") throws(InvalidSelector) {
        func compile(_ pattern: String?, _ field: String) throws(InvalidSelector) -> AnchoredPattern? {
            guard let pattern, !pattern.isEmpty else { return nil }
            do {
                return AnchoredPattern(regex: try Regex("^(?:" + pattern + ")$"))
            } catch {
                throw InvalidSelector(field: "\(fieldPrefix).\(field)", reason: "invalid regular expression '\(pattern)'")
            }
        }
        func parse(_ text: String?, _ field: String) throws(InvalidSelector) -> LabelSelectorExpression? {
            guard let text, !text.isEmpty else { return nil }
            do {
                return try LabelSelectorExpression(text)
            } catch {
                throw InvalidSelector(field: "\(fieldPrefix).\(field)", reason: error.description)
            }
        }
        group = try compile(selector.group, "group")
        version = try compile(selector.version, "version")
        kind = try compile(selector.kind, "kind")
        name = try compile(selector.name, "name")
        namespace = try compile(selector.namespace, "namespace")
        labels = try parse(selector.labelSelector, "labelSelector")
        annotations = try parse(selector.annotationSelector, "annotationSelector")
        source = selector
        description = [selector.group, selector.version, selector.kind, selector.name, selector.namespace,
                       selector.labelSelector, selector.annotationSelector].compactMap { $0 }.filter { !$0.isEmpty }
            .joined(separator: " ")
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.source == rhs.source }
    public func hash(into hasher: inout Hasher) { hasher.combine(source) }

    /// Whether `object` (as built or as read from the API) is selected.
    public func matches(_ object: JSONValue) -> Bool {
        let kindInfo = GroupVersionKind(of: object)
        func full(_ pattern: AnchoredPattern?, _ text: String) -> Bool {
            guard let pattern else { return true }
            return (try? pattern.regex.wholeMatch(in: text)) != nil
        }
        return full(namespace, object[path: "metadata", "namespace"]?.stringValue ?? "")
            && full(name, object[path: "metadata", "name"]?.stringValue ?? "")
            && full(group, kindInfo?.group ?? "")
            && full(version, kindInfo?.version ?? "")
            && full(kind, kindInfo?.kind ?? "")
            && (labels?.matches(object[path: "metadata", "labels"]) ?? true)
            && (annotations?.matches(object[path: "metadata", "annotations"]) ?? true)
    }
}

/// A compiled, immutable regular expression. `Regex<AnyRegexOutput>` is not declared `Sendable` only because its
/// output type is not; the compiled program is immutable after creation (its lazily lowered form is published
/// atomically by the standard library), so sharing it between reconciles is safe.
struct AnchoredPattern: @unchecked Sendable {
    let regex: Regex<AnyRegexOutput>
}
