/// What a generated ConfigMap/Secret does to an object of the same id that an earlier layer (a base) produced.
public enum GeneratorBehavior: String, Sendable {
    /// A new object; kustomize refuses it when the id already exists.
    case create
    /// Merge data, binaryData, labels and annotations into the existing object.
    case merge
    /// Replace the existing object's content, keeping its name, namespace, labels and annotations.
    case replace
}
