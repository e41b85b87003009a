/// Why leader election stopped the process.
public struct LeaderElectionError: Error, CustomStringConvertible, Sendable {
    public var description: String
}
