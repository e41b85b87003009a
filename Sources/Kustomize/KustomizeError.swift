/// Why a kustomize build failed: what was being done, in which kustomization file or resource, and why.
public struct KustomizeError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The failure, naming the file, field or resource involved.
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }

    /// The same error with context prepended (`accumulating resources: …`), as kustomize reports nested failures.
    func prefixed(_ context: String) -> KustomizeError {
        KustomizeError("\(context): \(message)")
    }
}
