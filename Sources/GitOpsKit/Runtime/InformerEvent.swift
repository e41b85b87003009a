/// A change the informer observed in its cache.
public enum InformerEvent: Sendable, Hashable {
    case added(JSONValue)
    case updated(old: JSONValue, new: JSONValue)
    case deleted(JSONValue)

    /// The object as it is now (the last known state for a deletion).
    public var object: JSONValue {
        switch self {
        case .added(let object), .deleted(let object): object
        case .updated(_, let new): new
        }
    }
}
