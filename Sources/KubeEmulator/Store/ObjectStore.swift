import GitOpsKit
import Synchronization

/// Why the store refused a commit.
enum StoreConflict: Error, Sendable {
    /// The object changed (or appeared, or vanished) since the caller read it.
    case stale(current: StoredObject?)
    case alreadyExists
    case namespaceMissing(String)
    case namespaceTerminating(String)
    /// A watch asked for history older than what is kept.
    case tooOld(requested: Int64, oldest: Int64)
}

/// What a commit expects to find.
enum CommitExpectation: Sendable {
    /// The object must not exist (create).
    case absent
    /// The object must exist with this resourceVersion (update, delete).
    case revision(Int64)
}

/// The one store of every object: a global monotonic revision, per-resource collections, the event history
/// for watch resume, the watchers and the owner index. One `Mutex` guards it all; callers compute new objects
/// outside the lock and commit them with an expectation (optimistic concurrency, as etcd's compare-and-swap).
final class ObjectStore: Sendable {
    static let namespaces = StorageID(group: "", resource: "namespaces")

    struct State: ~Copyable {
        var revision: Int64 = 0
        /// storage → namespace ("" for cluster scope) → name → object.
        var collections: [StorageID: [String: [String: StoredObject]]] = [:]
        var history: RingBuffer<WatchRecord>
        /// The newest revision no longer in the history (0 = nothing dropped yet).
        var compactedRevision: Int64 = 0
        var nextWatcherID: UInt64 = 0
        var watchers: [StorageID: [UInt64: AsyncStream<WatchMessage>.Continuation]] = [:]
        var globalWatchers: [UInt64: AsyncStream<WatchMessage>.Continuation] = [:]
        /// Set by `finishAllWatchers` (server shutdown): later watches end right after their initial events, so
        /// none can keep a connection, and with it the server's graceful shutdown, open.
        var watchesClosed = false
        /// owner uid → objects whose ownerReferences name it.
        var dependents: [String: Set<ObjectRef>] = [:]
        /// uid → object.
        var uids: [String: ObjectRef] = [:]
    }

    private let state: Mutex<State>

    init(historyLimit: Int) {
        state = Mutex(State(history: RingBuffer(capacity: historyLimit)))
    }

    var currentRevision: Int64 { state.withLock { $0.revision } }

    func get(_ storage: StorageID, namespace: String?, name: String) -> StoredObject? {
        state.withLock { $0.collections[storage]?[namespace ?? ""]?[name] }
    }

    /// The object with this uid, if it still exists.
    func object(withUID uid: String) -> (ObjectRef, StoredObject)? {
        state.withLock { state in
            guard let ref = state.uids[uid],
                  let stored = state.collections[ref.storage]?[ref.namespace]?[ref.name] else { return nil }
            return (ref, stored)
        }
    }

    /// The objects whose ownerReferences name `uid`.
    func dependents(of uid: String) -> [(ObjectRef, StoredObject)] {
        state.withLock { state in
            (state.dependents[uid] ?? []).compactMap { ref in
                state.collections[ref.storage]?[ref.namespace]?[ref.name].map { (ref, $0) }
            }
        }
    }

    /// All objects of a storage (in one namespace, or all), sorted by namespace then name, and the revision
    /// they were read at.
    func list(_ storage: StorageID, namespace: String?) -> (items: [StoredObject], revision: Int64) {
        state.withLock { state in
            let result = Self.collect(state.collections[storage], namespace: namespace)
            return (result, state.revision)
        }
    }

    /// How many objects a storage holds in one namespace (or all).
    func count(_ storage: StorageID, namespace: String?) -> Int {
        state.withLock { state in
            guard let byNamespace = state.collections[storage] else { return 0 }
            if let namespace { return byNamespace[namespace]?.count ?? 0 }
            return byNamespace.values.reduce(0) { $0 + $1.count }
        }
    }

    /// Namespaces that hold at least one object of any storage other than namespaces.
    func storages(inNamespace namespace: String) -> [StorageID] {
        state.withLock { state in
            state.collections.compactMap { storage, byNamespace in
                (byNamespace[namespace]?.isEmpty == false) ? storage : nil
            }
        }
    }

    private static func collect(_ byNamespace: [String: [String: StoredObject]]?, namespace: String?) -> [StoredObject] {
        guard let byNamespace else { return [] }
        if let namespace {
            guard let objects = byNamespace[namespace] else { return [] }
            return objects.keys.sorted().compactMap { objects[$0] }
        }
        var out: [StoredObject] = []
        for ns in byNamespace.keys.sorted() {
            guard let objects = byNamespace[ns] else { continue }
            for name in objects.keys.sorted() {
                if let object = objects[name] { out.append(object) }
            }
        }
        return out
    }

    /// Writes or removes one object if `expectation` holds, assigning the next revision. `requireNamespace`
    /// makes a create fail unless that namespace exists and is not terminating.
    @discardableResult
    func commit(_ storage: StorageID, namespace: String?, name: String, expecting expectation: CommitExpectation,
                requireNamespace: String? = nil, put newObject: JSONValue?) throws(StoreConflict) -> StoredObject {
        var finished: [AsyncStream<WatchMessage>.Continuation] = []
        let result: Result<StoredObject, StoreConflict> = state.withLock { state in
            let ns = namespace ?? ""
            let current = state.collections[storage]?[ns]?[name]
            switch expectation {
            case .absent:
                if current != nil { return .failure(.alreadyExists) }
            case .revision(let revision):
                guard let current, current.resourceVersion == revision else { return .failure(.stale(current: current)) }
            }
            if let requireNamespace {
                guard let namespaceObject = state.collections[Self.namespaces]?[""]?[requireNamespace] else {
                    return .failure(.namespaceMissing(requireNamespace))
                }
                if namespaceObject.object[path: "metadata", "deletionTimestamp"] != nil {
                    return .failure(.namespaceTerminating(requireNamespace))
                }
            }
            state.revision += 1
            let revision = state.revision
            let ref = ObjectRef(storage: storage, namespace: ns, name: name)
            let record: WatchRecord
            if var object = newObject {
                object[path: "metadata", "resourceVersion"] = .string(String(revision))
                let stored = StoredObject(object: object, resourceVersion: revision)
                state.collections[storage, default: [:]][ns, default: [:]][name] = stored
                Self.reindex(&state, ref: ref, old: current?.object, new: object)
                record = WatchRecord(type: current == nil ? .added : .modified, storage: storage, object: stored,
                                     previous: current?.object)
            } else {
                guard var object = current?.object else { return .failure(.stale(current: nil)) }
                state.collections[storage]?[ns]?[name] = nil
                if state.collections[storage]?[ns]?.isEmpty == true { state.collections[storage]?[ns] = nil }
                Self.reindex(&state, ref: ref, old: object, new: nil)
                object[path: "metadata", "resourceVersion"] = .string(String(revision))
                record = WatchRecord(type: .deleted, storage: storage, object: StoredObject(object: object, resourceVersion: revision),
                                     previous: nil)
            }
            if let displaced = state.history.append(record) { state.compactedRevision = displaced.revision }
            Self.fanOut(record, state: &state, finished: &finished)
            return .success(record.object)
        }
        for continuation in finished { continuation.finish() }
        return try result.get()
    }

    private static func reindex(_ state: inout State, ref: ObjectRef, old: JSONValue?, new: JSONValue?) {
        let oldOwners = ownerUIDs(old)
        let newOwners = ownerUIDs(new)
        if oldOwners != newOwners {
            for uid in oldOwners.subtracting(newOwners) {
                state.dependents[uid]?.remove(ref)
                if state.dependents[uid]?.isEmpty == true { state.dependents[uid] = nil }
            }
            for uid in newOwners.subtracting(oldOwners) { state.dependents[uid, default: []].insert(ref) }
        }
        let oldUID = old?[path: "metadata", "uid"]?.stringValue
        let newUID = new?[path: "metadata", "uid"]?.stringValue
        if oldUID != newUID, let oldUID { state.uids[oldUID] = nil }
        if let newUID { state.uids[newUID] = ref }
    }

    static func ownerUIDs(_ object: JSONValue?) -> Set<String> {
        guard let references = object?[path: "metadata", "ownerReferences"]?.arrayValue else { return [] }
        return Set(references.compactMap { $0["uid"]?.stringValue })
    }

    private static func fanOut(_ record: WatchRecord, state: inout State,
                               finished: inout [AsyncStream<WatchMessage>.Continuation]) {
        var dropped: [UInt64] = []
        if let watchers = state.watchers[record.storage] {
            for (id, continuation) in watchers {
                if case .dropped = continuation.yield(.record(record)) { dropped.append(id) }
            }
            for id in dropped {
                if let continuation = state.watchers[record.storage]?.removeValue(forKey: id) { finished.append(continuation) }
            }
        }
        for (_, continuation) in state.globalWatchers { continuation.yield(.record(record)) }
    }

    // MARK: Watch

    /// The start of a watch: what to send first, then the live stream.
    struct WatchStart: Sendable {
        /// Current objects when the watch starts from "now" with initial events.
        var initial: [StoredObject]
        /// History records after the requested revision.
        var replay: [WatchRecord]
        /// The revision the watch is in sync with after `initial` and `replay`.
        var revision: Int64
        var stream: AsyncStream<WatchMessage>
        /// Identifies the watcher for `requestProgress` and `endWatch`.
        var id: UInt64
    }

    /// Registers a watcher on `storage` (nil: every storage, never dropping events). `since`: replay history after
    /// that revision (`.tooOld` if already dropped); nil: send the current objects of `initialNamespace` first
    /// when `includeInitial`. A watcher whose buffer exceeds `bufferLimit` events is ended.
    func watch(_ storage: StorageID?, since: Int64?, includeInitial: Bool, initialNamespace: String?,
               bufferLimit: Int) throws(StoreConflict) -> WatchStart {
        let (stream, continuation) = AsyncStream<WatchMessage>.makeStream(
            bufferingPolicy: storage == nil ? .unbounded : .bufferingOldest(bufferLimit))
        let result: Result<(WatchStart, UInt64, closed: Bool), StoreConflict> = state.withLock { state in
            var replay: [WatchRecord] = []
            var initial: [StoredObject] = []
            if let since {
                if since < state.compactedRevision {
                    return .failure(.tooOld(requested: since, oldest: state.compactedRevision + 1))
                }
                let start = state.history.partitionPoint { $0.revision > since }
                for i in start..<state.history.count {
                    let record = state.history[i]
                    if storage == nil || record.storage == storage { replay.append(record) }
                }
            } else if includeInitial, let storage {
                initial = Self.collect(state.collections[storage], namespace: initialNamespace)
            }
            state.nextWatcherID += 1
            let id = state.nextWatcherID
            if state.watchesClosed {
                // Not registered: finished below once it has its termination handler.
            } else if let storage {
                state.watchers[storage, default: [:]][id] = continuation
            } else {
                state.globalWatchers[id] = continuation
            }
            return .success((WatchStart(initial: initial, replay: replay, revision: state.revision, stream: stream, id: id), id,
                              state.watchesClosed))
        }
        switch result {
        case .failure(let conflict):
            continuation.finish()
            throw conflict
        case .success(let (start, id, closed)):
            continuation.onTermination = { [weak self] _ in self?.removeWatcher(id, storage: storage) }
            if closed { continuation.finish() }
            return start
        }
    }

    private func removeWatcher(_ id: UInt64, storage: StorageID?) {
        state.withLock { state in
            if let storage {
                state.watchers[storage]?[id] = nil
            } else {
                state.globalWatchers[id] = nil
            }
        }
    }

    /// Queues a progress mark carrying the current revision behind every event already sent to the watcher, so
    /// a bookmark never claims a revision whose events the watcher has not seen yet.
    func requestProgress(_ id: UInt64, storage: StorageID?) {
        state.withLock { state in
            let continuation = storage.flatMap { state.watchers[$0]?[id] } ?? state.globalWatchers[id]
            continuation?.yield(.progress(state.revision))
        }
    }

    /// Ends one watch (timeout, client gone).
    func endWatch(_ id: UInt64, storage: StorageID?) {
        let continuation: AsyncStream<WatchMessage>.Continuation? = state.withLock { state in
            if let storage { return state.watchers[storage]?.removeValue(forKey: id) }
            return state.globalWatchers.removeValue(forKey: id)
        }
        continuation?.finish()
    }

    /// Ends every watch and every later one as soon as it has sent its initial events (server shutdown).
    func finishAllWatchers() {
        let all: [AsyncStream<WatchMessage>.Continuation] = state.withLock { state in
            state.watchesClosed = true
            var all = Array(state.globalWatchers.values)
            for watchers in state.watchers.values { all.append(contentsOf: watchers.values) }
            state.watchers = [:]
            state.globalWatchers = [:]
            return all
        }
        for continuation in all { continuation.finish() }
    }

    /// How many watchers are registered (tests and diagnostics).
    var watcherCount: Int {
        state.withLock { state in state.watchers.values.reduce(state.globalWatchers.count) { $0 + $1.count } }
    }
}
