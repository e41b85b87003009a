/// What an apply or prune did to each object, in order: the body of Flux's change-set event.
public struct ChangeSet: Sendable, Hashable {
    /// What happened to one object.
    public enum Action: String, Sendable, Hashable {
        case created, configured, unchanged, deleted, skipped
    }

    public struct Entry: Sendable, Hashable, CustomStringConvertible {
        public var identity: ResourceIdentity
        public var action: Action

        public init(_ identity: ResourceIdentity, _ action: Action) {
            self.identity = identity
            self.action = action
        }

        /// `Deployment/apps/podinfo configured`.
        public var description: String { "\(identity.subject) \(action.rawValue)" }
    }

    public var entries: [Entry]

    public init(entries: [Entry] = []) { self.entries = entries }

    public mutating func append(_ entry: Entry) { entries.append(entry) }
    public mutating func append(contentsOf other: ChangeSet) { entries.append(contentsOf: other.entries) }

    /// The entries that changed the cluster (created, configured, deleted).
    public var changes: [Entry] { entries.filter { $0.action == .created || $0.action == .configured || $0.action == .deleted } }

    /// One line per change (`Kind/ns/name created`), empty when nothing changed.
    public var summary: String { changes.map(\.description).joined(separator: "\n") }

    /// The identities of the entries with `action`.
    public func identities(_ action: Action) -> [ResourceIdentity] { entries.filter { $0.action == action }.map(\.identity) }
}
