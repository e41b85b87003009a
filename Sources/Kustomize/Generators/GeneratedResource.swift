import GitOpsKit

/// One ConfigMap or Secret produced by a `configMapGenerator` / `secretGenerator` entry.
public struct GeneratedResource: Sendable {
    /// The object as kustomize generates it, before any transformer (namespace, prefix, hash suffix) runs.
    public var object: JSONValue
    /// How it combines with an existing object of the same id.
    public var behavior: GeneratorBehavior
    /// Whether the build appends `-<KustomizeHash.suffix>` to `metadata.name` once all transformers ran
    /// (false with `disableNameSuffixHash`).
    public var appendHashSuffix: Bool

    public init(object: JSONValue, behavior: GeneratorBehavior, appendHashSuffix: Bool) {
        self.object = object
        self.behavior = behavior
        self.appendHashSuffix = appendHashSuffix
    }
}
