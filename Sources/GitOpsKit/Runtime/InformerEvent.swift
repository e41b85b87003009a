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

    /// The source object when this event brings it a new artifact (`status.artifact.<field>` set when added,
    /// changed when updated; Flux's `SourceRevisionChangePredicate`); nil otherwise. What kustomize- and
    /// helm-controller watch their sources for.
    public func objectWithNewArtifact(comparing field: String = "revision") -> JSONValue? {
        switch self {
        case .added(let new):
            return new[path: "status", "artifact", "revision"] == nil ? nil : new
        case .updated(let old, let new):
            let value = new[path: "status", "artifact", field]
            return value == nil || value == old[path: "status", "artifact", field] ? nil : new
        case .deleted:
            return nil
        }
    }
}
