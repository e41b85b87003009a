/// `KustomizeHash.suffix` was asked for a kind kustomize never hashes.
public struct KustomizeHashError: Error, CustomStringConvertible, Sendable, Equatable {
    public var kind: String

    public init(kind: String) { self.kind = kind }

    public var description: String {
        "kustomize only computes name hash suffixes for ConfigMap and Secret objects, not \"\(kind)\""
    }
}
