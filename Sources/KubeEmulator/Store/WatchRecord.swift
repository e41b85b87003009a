import GitOpsKit

/// The type of a watch event as it appears on the wire.
enum WatchEventType: String, Sendable {
    case added = "ADDED"
    case modified = "MODIFIED"
    case deleted = "DELETED"
}

/// One change in the store, kept in the history for watch resume and fanned out to watchers.
struct WatchRecord: Sendable {
    var type: WatchEventType
    var storage: StorageID
    /// The object after the change (for DELETED: the last state, with the deletion's resourceVersion).
    var object: StoredObject
    /// The object before the change (MODIFIED), so selector watches can see objects enter or leave.
    var previous: JSONValue?

    var revision: Int64 { object.resourceVersion }
    var namespace: String? { object.object[path: "metadata", "namespace"]?.stringValue }
}

/// What a watcher receives: a change, or a progress mark (the watcher has seen every change up to a revision).
enum WatchMessage: Sendable {
    case record(WatchRecord)
    case progress(Int64)
}

/// A reference to a stored object, used by the owner and uid indexes.
struct ObjectRef: Hashable, Sendable {
    var storage: StorageID
    var namespace: String
    var name: String

    var key: ObjectKey { ObjectKey(namespace: namespace.isEmpty ? nil : namespace, name: name) }
}
