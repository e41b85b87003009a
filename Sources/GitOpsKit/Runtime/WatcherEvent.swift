/// What a ``Watcher`` reports: a (re)listing in pages, or one change.
///
/// A listing is `.initStarted`, any number of `.initPage`s, then `.initDone`; it is streamed page by page (as
/// kube-rs does) so a consumer never holds the whole list twice. A listing that fails half-way starts again with
/// `.initStarted`, and the pages seen so far are to be discarded.
public enum WatcherEvent: Sendable, Hashable {
    /// A (re)list begins.
    case initStarted
    /// One page of the (re)list.
    case initPage([JSONValue])
    /// The (re)list is complete: anything a consumer holds that was not in its pages is gone.
    case initDone
    /// An object was created or changed (watch ADDED/MODIFIED).
    case applied(JSONValue)
    /// An object was deleted (its last known state).
    case deleted(JSONValue)
}
