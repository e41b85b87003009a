/// An apply that stopped at one object: `message` names it and says what the server answered (Flux's wording,
/// e.g. `Deployment/apps/web dry-run failed (Invalid): …`); `changeSet` holds what was applied before it.
public struct ResourceApplyError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var changeSet: ChangeSet

    public init(_ message: String, changeSet: ChangeSet = ChangeSet()) {
        self.message = message
        self.changeSet = changeSet
    }

    public var description: String { message }
}
