/// What a ``Watcher`` reports: a complete (re)listing, or one change.
public enum WatcherEvent: Sendable, Hashable {
    /// The full set of objects after a (re)list: anything a consumer holds that is not in it is gone.
    case restarted([JSONValue])
    /// An object was created or changed (watch ADDED/MODIFIED).
    case applied(JSONValue)
    /// An object was deleted (its last known state).
    case deleted(JSONValue)
}
