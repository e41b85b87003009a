import Logging
import ServiceLifecycle
import Synchronization

/// An in-memory, indexed cache of one kind, kept current by a ``Watcher``, that tells handlers what changed.
///
/// Handlers run in event order on the informer's task; they must be quick (enqueue keys, not reconcile).
/// Register indexes and handlers before ``run()``.
///
/// Usage:
/// ```swift
/// let informer = Informer(api: api, kind: kustomizationKind, logger: logger)
/// informer.addIndex("source") { obj in [sourceKey(of: obj)] }
/// informer.enqueue(into: queue, filter: .generationOrReconcileRequest)
/// ```
public final class Informer: Service {
    public typealias IndexFunction = @Sendable (JSONValue) -> [String]
    public typealias Handler = @Sendable (InformerEvent) -> Void

    /// A cached object as compact JSON: about a third of the memory of the decoded tree (a 10,000-object cache is
    /// the budget case), decoded again only when read.
    private struct CachedObject: Equatable {
        let bytes: [UInt8]

        init(_ value: JSONValue) {
            let json = value.jsonBytes()
            bytes = [UInt8](unsafeUninitializedCapacity: json.count) { buffer, count in
                count = buffer.initialize(fromContentsOf: json)
            }
        }

        /// The bytes are our own serializer's output, so they always parse.
        var value: JSONValue { (try? JSONValue(json: bytes)) ?? .null }
    }

    /// A change found when a listing replaces the cache; decoded into an ``InformerEvent`` only when dispatched.
    private enum CacheChange {
        case added(CachedObject)
        case updated(old: CachedObject, new: CachedObject)
        case deleted(CachedObject)

        var event: InformerEvent {
            switch self {
            case .added(let object): .added(object.value)
            case .updated(let old, let new): .updated(old: old.value, new: new.value)
            case .deleted(let object): .deleted(object.value)
            }
        }
    }

    private struct Store {
        var objects: [ObjectKey: CachedObject] = [:]
        /// The listing being collected between `.initStarted` and `.initDone`.
        var listing: [ObjectKey: CachedObject]?
        /// Watch events since the heap was last trimmed.
        var eventsSinceTrim = 0
        var indexFunctions: [String: IndexFunction] = [:]
        /// index name → index value → keys.
        var indexes: [String: [String: Set<ObjectKey>]] = [:]
        var handlers: [Handler] = []
    }

    /// Rewrites each object before it is cached (e.g. to drop fields nobody reads and save memory).
    public typealias Transform = @Sendable (JSONValue) -> JSONValue

    /// Drops `metadata.managedFields`: often half of an object's size and never needed from a cache (server-side
    /// apply reads them from the API when it needs them).
    public static let stripManagedFields: Transform = { object in
        guard object[path: "metadata", "managedFields"] != nil else { return object }
        var object = object
        object[path: "metadata", "managedFields"] = nil
        return object
    }

    /// After this many watch events the heap is trimmed (see ``HeapTrimmer``).
    static let eventsPerTrim = 4096

    public let kind: GroupVersionKind
    public let namespace: String?
    private let watcher: Watcher
    private let transform: Transform?
    private let store = Mutex(Store())
    private let synced = AsyncGate()
    private let logger: Logger

    /// - Parameters:
    ///   - namespace: watch one namespace, or nil for all (`--watch-all-namespaces`).
    ///   - configuration: label selector (`--watch-label-selector`), page size, backoff.
    ///   - transform: applied to every object before caching; by default `managedFields` are dropped.
    public init(api: any KubernetesAPI, kind: GroupVersionKind, namespace: String? = nil,
                configuration: WatcherConfiguration = WatcherConfiguration(),
                transform: Transform? = Informer.stripManagedFields, logger: Logger)
    {
        self.kind = kind
        self.transform = transform
        self.namespace = namespace
        self.watcher = Watcher(api: api, kind: kind, namespace: namespace, configuration: configuration, logger: logger)
        self.logger = logger
    }

    // MARK: Setup

    /// Adds an index: `function` maps an object to the values it is found under with ``byIndex(_:_:)``.
    public func addIndex(_ name: String, _ function: @escaping IndexFunction) {
        store.withLock { store in
            store.indexFunctions[name] = function
            var index: [String: Set<ObjectKey>] = [:]
            for (key, object) in store.objects {
                for value in function(object.value) { index[value, default: []].insert(key) }
            }
            store.indexes[name] = index
        }
    }

    /// Calls `handler` for every later change (and for the initial listing, as `.added` events).
    public func addHandler(_ handler: @escaping Handler) {
        store.withLock { $0.handlers.append(handler) }
    }

    /// Enqueues the object's own key for events that pass `filter`.
    public func enqueue(into queue: WorkQueue<ObjectKey>, filter: EventFilter = .all) {
        addHandler { event in
            guard filter(event), let key = ObjectKey(of: event.object) else { return }
            queue.add(key)
        }
    }

    /// Enqueues other objects' keys for each event, e.g. the Kustomizations that use a changed GitRepository.
    public func enqueueMapped(into queue: WorkQueue<ObjectKey>, _ map: @escaping @Sendable (InformerEvent) -> [ObjectKey]) {
        addHandler { event in
            for key in map(event) { queue.add(key) }
        }
    }

    // MARK: Reading

    /// True once the first full listing is in the cache.
    public var hasSynced: Bool { synced.isOpen }

    /// Waits for the first full listing (throws `CancellationError` when cancelled first).
    public func waitForSync() async throws {
        try await synced.wait()
    }

    public func get(_ key: ObjectKey) -> JSONValue? {
        store.withLock { $0.objects[key] }?.value
    }

    /// Cached objects, optionally of one namespace, sorted by key.
    public func list(namespace: String? = nil) -> [JSONValue] {
        store.withLock { store in
            store.objects.filter { namespace == nil || $0.key.namespace == namespace }
                .sorted { $0.key < $1.key }.map(\.value)
        }.map(\.value)
    }

    public var count: Int { store.withLock { $0.objects.count } }

    /// Objects whose index `name` contains `value`, sorted by key; empty for an unknown index.
    public func byIndex(_ name: String, _ value: String) -> [JSONValue] {
        let cached = store.withLock { store -> [CachedObject] in
            guard let keys = store.indexes[name]?[value] else { return [] }
            return keys.sorted().compactMap { store.objects[$0] }
        }
        return cached.map(\.value)
    }

    /// Keys whose index `name` contains `value`, sorted.
    public func keys(byIndex name: String, _ value: String) -> [ObjectKey] {
        store.withLock { ($0.indexes[name]?[value]).map { $0.sorted() } ?? [] }
    }

    // MARK: Running

    public func run() async throws {
        logger.info("Starting informer", metadata: ["kind": "\(kind)"])
        await cancelWhenGracefulShutdown {
            do {
                for try await event in self.watcher {
                    self.apply(event)
                }
            } catch {
                // The watcher only ends by cancellation.
            }
        }
    }

    /// Applies one watcher event to the cache and notifies handlers. Internal so tests can drive it.
    ///
    /// A (re)listing is collected page by page into a fresh set that replaces the cache at `.initDone`; only then
    /// are handlers told what was added, changed or is gone, one object decoded at a time.
    func apply(_ event: WatcherEvent) {
        switch event {
        case .initStarted:
            store.withLock { $0.listing = [:] }
        case .initPage(let objects):
            store.withLock { store in
                for object in objects {
                    let object = transform?(object) ?? object
                    guard let key = ObjectKey(of: object) else { continue }
                    store.listing?[key] = CachedObject(object)
                }
            }
        case .initDone:
            let (changes, handlers) = store.withLock { store -> ([CacheChange], [Handler]) in
                guard let fresh = store.listing else { return ([], []) }
                store.listing = nil
                var changes: [CacheChange] = []
                for (key, object) in fresh {
                    if let old = store.objects[key] {
                        if old != object { changes.append(.updated(old: old, new: object)) }
                    } else {
                        changes.append(.added(object))
                    }
                }
                for (key, old) in store.objects where fresh[key] == nil {
                    changes.append(.deleted(old))
                }
                store.objects = fresh
                for (name, function) in store.indexFunctions {
                    var index: [String: Set<ObjectKey>] = [:]
                    for (key, object) in fresh {
                        for value in function(object.value) { index[value, default: []].insert(key) }
                    }
                    store.indexes[name] = index
                }
                return (changes, store.handlers)
            }
            if !handlers.isEmpty {
                for change in changes {
                    let event = change.event
                    for handler in handlers { handler(event) }
                }
            }
            if !synced.isOpen {
                synced.open()
                logger.info("Informer synced", metadata: ["kind": "\(kind)", "count": "\(count)"])
            }
            HeapTrimmer.releaseFreeMemory()
        case .applied(let object):
            let object = transform?(object) ?? object
            let (event, handlers) = store.withLock { store -> (InformerEvent?, [Handler]) in
                guard let key = ObjectKey(of: object) else { return (nil, []) }
                let cached = CachedObject(object)
                let previous = store.objects[key]
                if previous == cached { return (nil, []) }
                store.objects[key] = cached
                let old = previous?.value
                Self.reindex(&store, key: key, old: old, new: object)
                return (old.map { .updated(old: $0, new: object) } ?? .added(object), store.handlers)
            }
            if let event { for handler in handlers { handler(event) } }
            countWatchEvent()
        case .deleted(let object):
            let object = transform?(object) ?? object
            let (event, handlers) = store.withLock { store -> (InformerEvent?, [Handler]) in
                guard let key = ObjectKey(of: object) else { return (nil, []) }
                let old = store.objects.removeValue(forKey: key)?.value
                Self.reindex(&store, key: key, old: old, new: nil)
                return (.deleted(old ?? object), store.handlers)
            }
            if let event { for handler in handlers { handler(event) } }
            countWatchEvent()
        }
    }

    private func countWatchEvent() {
        let due = store.withLock { store in
            store.eventsSinceTrim += 1
            guard store.eventsSinceTrim >= Self.eventsPerTrim else { return false }
            store.eventsSinceTrim = 0
            return true
        }
        if due { HeapTrimmer.releaseFreeMemory() }
    }

    private static func reindex(_ store: inout Store, key: ObjectKey, old: JSONValue?, new: JSONValue?) {
        for (name, function) in store.indexFunctions {
            if let old {
                for value in function(old) {
                    store.indexes[name]?[value]?.remove(key)
                    if store.indexes[name]?[value]?.isEmpty == true { store.indexes[name]?[value] = nil }
                }
            }
            if let new {
                for value in function(new) { store.indexes[name, default: [:]][value, default: []].insert(key) }
            }
        }
    }
}
