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

    private struct Store {
        var objects: [ObjectKey: JSONValue] = [:]
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
                for value in function(object) { index[value, default: []].insert(key) }
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
        store.withLock { $0.objects[key] }
    }

    /// Cached objects, optionally of one namespace, sorted by key.
    public func list(namespace: String? = nil) -> [JSONValue] {
        store.withLock { store in
            store.objects.filter { namespace == nil || $0.key.namespace == namespace }
                .sorted { $0.key < $1.key }.map(\.value)
        }
    }

    public var count: Int { store.withLock { $0.objects.count } }

    /// Objects whose index `name` contains `value`, sorted by key; empty for an unknown index.
    public func byIndex(_ name: String, _ value: String) -> [JSONValue] {
        store.withLock { store in
            guard let keys = store.indexes[name]?[value] else { return [] }
            return keys.sorted().compactMap { store.objects[$0] }
        }
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
    func apply(_ event: WatcherEvent) {
        let event = transformed(event)
        let (events, handlers) = store.withLock { store -> ([InformerEvent], [Handler]) in
            var events: [InformerEvent] = []
            switch event {
            case .restarted(let objects):
                var fresh: [ObjectKey: JSONValue] = [:]
                for object in objects {
                    if let key = ObjectKey(of: object) { fresh[key] = object }
                }
                for (key, object) in fresh {
                    if let old = store.objects[key] {
                        if old != object { events.append(.updated(old: old, new: object)) }
                    } else {
                        events.append(.added(object))
                    }
                }
                for (key, old) in store.objects where fresh[key] == nil {
                    events.append(.deleted(old))
                }
                store.objects = fresh
                for (name, function) in store.indexFunctions {
                    var index: [String: Set<ObjectKey>] = [:]
                    for (key, object) in fresh {
                        for value in function(object) { index[value, default: []].insert(key) }
                    }
                    store.indexes[name] = index
                }
            case .applied(let object):
                guard let key = ObjectKey(of: object) else { break }
                let old = store.objects[key]
                if old == object { break }
                store.objects[key] = object
                Self.reindex(&store, key: key, old: old, new: object)
                events.append(old.map { .updated(old: $0, new: object) } ?? .added(object))
            case .deleted(let object):
                guard let key = ObjectKey(of: object) else { break }
                let old = store.objects.removeValue(forKey: key)
                Self.reindex(&store, key: key, old: old, new: nil)
                events.append(.deleted(old ?? object))
            }
            return (events, store.handlers)
        }
        for event in events {
            for handler in handlers { handler(event) }
        }
        if case .restarted = event, !synced.isOpen {
            synced.open()
            logger.info("Informer synced", metadata: ["kind": "\(kind)", "count": "\(count)"])
        }
    }

    private func transformed(_ event: WatcherEvent) -> WatcherEvent {
        guard let transform else { return event }
        switch event {
        case .restarted(let objects): return .restarted(objects.map(transform))
        case .applied(let object): return .applied(transform(object))
        case .deleted(let object): return .deleted(transform(object))
        }
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
