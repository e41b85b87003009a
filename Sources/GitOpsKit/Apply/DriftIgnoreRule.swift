/// Fields an applier leaves to others (Flux's `jsondiff.IgnoreRule`, from a Kustomization's `spec.ignore` or a
/// HelmRelease's drift settings): JSON pointers excluded from the drift comparison and from what is applied to an
/// existing object, for the objects `selector` matches (all objects without one).
///
/// Usage:
/// ```swift
/// let rules = try kustomization.spec.ignore?.enumerated().map { try DriftIgnoreRule($1, field: "spec.ignore[\($0)]") }
/// let changes = try await applier.applyAllStaged(objects, options: .init(ignoreRules: rules ?? []))
/// ```
public struct DriftIgnoreRule: Sendable, Hashable {
    /// A rule that cannot be used: the field and why.
    public struct Invalid: Error, Sendable, Hashable, CustomStringConvertible {
        public var field: String
        public var reason: String
        public var description: String { "\(field): \(reason)" }
    }

    public var paths: [JSONPointer]
    public var selector: ObjectSelector?

    public init(paths: [JSONPointer], selector: ObjectSelector? = nil) {
        self.paths = paths
        self.selector = selector
    }

    /// Compiles an API rule; `field` names it in errors (`spec.ignore[0]`).
    public init(_ rule: IgnoreRule, field: String) throws(Invalid) {
        var paths: [JSONPointer] = []
        for (index, text) in rule.paths.enumerated() {
            let pointer: JSONPointer
            do {
                pointer = try JSONPointer(text)
            } catch {
                throw Invalid(field: "\(field).paths[\(index)]", reason: error.message)
            }
            guard !pointer.tokens.isEmpty else {
                throw Invalid(field: "\(field).paths[\(index)]", reason: "the empty pointer would ignore the whole object")
            }
            paths.append(pointer)
        }
        self.paths = paths
        do {
            selector = try rule.target.map { selector throws(ObjectSelector.InvalidSelector) in
                try ObjectSelector(selector, fieldPrefix: "\(field).target")
            }
        } catch {
            throw Invalid(field: error.field, reason: error.reason)
        }
    }

    /// The ignored paths that apply to `object`, over all `rules`.
    public static func paths(for object: JSONValue, in rules: [DriftIgnoreRule]) -> [JSONPointer] {
        rules.flatMap { rule in rule.selector.map { $0.matches(object) } ?? true ? rule.paths : [] }
    }
}
