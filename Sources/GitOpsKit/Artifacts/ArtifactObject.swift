/// The Kubernetes object an artifact belongs to; names its storage directory `<kind-lowercase>/<namespace>/<name>`.
public struct ArtifactObject: Sendable, Hashable, CustomStringConvertible {
    /// The object's kind as written in the API (`GitRepository`); stored lowercased.
    public var kind: String
    public var namespace: String
    public var name: String

    public init(kind: String, namespace: String, name: String) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
    }

    /// `gitrepository/<ns>/<name>`, relative to the storage root.
    public var directory: String {
        "\(kind.lowercased())/\(namespace)/\(name)"
    }

    /// `<directory>/<file>`, the `artifact.path` Flux writes.
    public func path(forFile file: String) -> String {
        directory + "/" + file
    }

    public var description: String { "\(kind)/\(namespace)/\(name)" }

    /// Rejects parts that would let the object escape its directory (`/`, `..`, empty).
    func validate() throws(ArtifactStorageError) {
        for part in [kind, namespace, name] where !ArtifactStorage.isSafeComponent(part) {
            throw .invalidPath(part)
        }
    }
}
