/// A values problem, with the message `helm template` prints for it (without the `Error: ` prefix).
public struct HelmValuesError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
