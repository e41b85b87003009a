import Logging
import Synchronization
import Testing
@testable import GitOpsKit

/// Collects watcher events from a background task.
final class EventLog: Sendable {
    let events = Mutex<[WatcherEvent]>([])

    func append(_ event: WatcherEvent) { events.withLock { $0.append(event) } }
    var all: [WatcherEvent] { events.withLock { $0 } }

    /// Names of applied objects, in order.
    var appliedNames: [String] {
        all.compactMap { if case .applied(let o) = $0 { o[path: "metadata", "name"]?.stringValue } else { nil } }
    }

    /// Completed listings: the pages between `.initStarted` and `.initDone`, joined.
    var restarts: [[JSONValue]] {
        var listings: [[JSONValue]] = []
        var current: [JSONValue]?
        for event in all {
            switch event {
            case .initStarted: current = []
            case .initPage(let objects): current?.append(contentsOf: objects)
            case .initDone: current.map { listings.append($0) }; current = nil
            default: break
            }
        }
        return listings
    }

    /// Sizes of the pages, in order.
    var pageSizes: [Int] {
        all.compactMap { if case .initPage(let objects) = $0 { objects.count } else { nil } }
    }
}

struct RuntimeWatcherTests {
    let logger = Logger(label: "test")
    let fastBackoff = WatcherConfiguration(pageSize: 2, initialBackoff: .milliseconds(10), maximumBackoff: .milliseconds(40))

    func startWatcher(_ kube: FakeKube, configuration: WatcherConfiguration? = nil) -> (EventLog, Task<Void, Never>) {
        let log = EventLog()
        let watcher = Watcher(api: kube, kind: Fixture.widgetKind, configuration: configuration ?? fastBackoff, logger: logger)
        let task = Task {
            do {
                for try await event in watcher { log.append(event) }
            } catch {}
        }
        return (log, task)
    }

    @Test func listsAllPagesThenWatchesFromTheListVersion() async throws {
        let kube = FakeKube()
        kube.seed((1...5).map { Fixture.widget("w\($0)") })
        let (log, task) = startWatcher(kube)
        defer { task.cancel() }
        #expect(await eventually { log.restarts.count == 1 && kube.openWatches == 1 })
        #expect(log.restarts.first?.count == 5)
        #expect(log.pageSizes == [2, 2, 1], "the listing is streamed page by page")
        #expect(kube.listCalls == 3, "5 objects in pages of 2 take 3 list calls")
        let listVersion = kube.state.withLock { $0.watchResourceVersions.first ?? nil }
        #expect(listVersion == "105")
        _ = try await kube.create(Fixture.widget("w6"), options: WriteOptions())
        #expect(await eventually { log.appliedNames == ["w6"] })
    }

    @Test func resumesFromLastSeenVersionWithoutLossOrRelist() async throws {
        let kube = FakeKube()
        kube.seed([Fixture.widget("a")])
        let (log, task) = startWatcher(kube)
        defer { task.cancel() }
        #expect(await eventually { kube.openWatches == 1 })
        _ = try await kube.create(Fixture.widget("b"), options: WriteOptions())
        #expect(await eventually { log.appliedNames == ["b"] })
        // Drop the stream, change things while no watch is open, and expect the resumed watch to replay them.
        kube.dropWatches()
        _ = try await kube.create(Fixture.widget("c"), options: WriteOptions())
        _ = try await kube.delete(Fixture.widgetKind, ObjectKey(namespace: "default", name: "a"), options: DeleteOptions())
        _ = try await kube.create(Fixture.widget("d"), options: WriteOptions())
        #expect(await eventually { log.appliedNames == ["b", "c", "d"] })
        let deleted = log.all.compactMap { if case .deleted(let o) = $0 { o[path: "metadata", "name"]?.stringValue } else { nil } }
        #expect(deleted == ["a"])
        #expect(log.restarts.count == 1, "a resumable watch must not re-list")
        #expect(kube.listCalls == 1)
        let versions = kube.state.withLock { $0.watchResourceVersions }
        #expect(versions.count >= 2)
        #expect(versions.last == "102", "resume from the last event seen (b at 102)")
    }

    @Test func bookmarksAdvanceTheResumeVersion() async throws {
        let kube = FakeKube()
        let other = GroupVersionKind(group: "test.gitopskit.io", version: "v1", kind: "Other")
        let (log, task) = startWatcher(kube)
        defer { task.cancel() }
        #expect(await eventually { kube.openWatches == 1 })
        // Changes of another kind move the global resourceVersion; a bookmark tells the watcher.
        _ = try await kube.create(["apiVersion": "test.gitopskit.io/v1", "kind": "Other",
                                   "metadata": ["name": "x", "namespace": "default"]], options: WriteOptions())
        _ = other
        kube.sendBookmarks()
        try await Task.sleep(for: .milliseconds(30))
        kube.dropWatches()
        #expect(await eventually { kube.state.withLock { $0.watchResourceVersions.count } == 2 })
        #expect(kube.state.withLock { $0.watchResourceVersions.last ?? nil } == "101")
        #expect(log.restarts.count == 1)
    }

    @Test func goneTriggersARelist() async throws {
        let kube = FakeKube()
        kube.seed([Fixture.widget("a"), Fixture.widget("b")])
        let (log, task) = startWatcher(kube)
        defer { task.cancel() }
        #expect(await eventually { kube.openWatches == 1 })
        kube.dropWatches()
        _ = try await kube.delete(Fixture.widgetKind, ObjectKey(namespace: "default", name: "a"), options: DeleteOptions())
        _ = try await kube.create(Fixture.widget("c"), options: WriteOptions())
        kube.compactHistory()
        #expect(await eventually { log.restarts.count == 2 })
        let names = log.restarts.last?.compactMap { $0[path: "metadata", "name"]?.stringValue }
        #expect(names == ["b", "c"])
        #expect(await eventually { kube.openWatches == 1 })
    }

    @Test func errorsBackOffAndRecover() async throws {
        let kube = FakeKube()
        kube.seed([Fixture.widget("a")])
        kube.state.withLock {
            $0.failLists = 3
            $0.failWatches = 2
        }
        let start = ContinuousClock.now
        let (log, task) = startWatcher(kube)
        defer { task.cancel() }
        #expect(await eventually { log.restarts.count == 1 && kube.openWatches == 1 })
        #expect(kube.listCalls == 4)
        #expect(kube.watchCalls == 3)
        // Backoffs: 10 + 20 + 40 ms (lists) and 10 + 20 ms (watches), each −20 % at worst.
        #expect(ContinuousClock.now - start >= .milliseconds(75))
    }

    @Test func passesTheLabelSelector() async throws {
        let kube = FakeKube()
        kube.seed([Fixture.widget("a", labels: ["shard": "1"]), Fixture.widget("b", labels: ["shard": "2"])])
        let config = WatcherConfiguration(labelSelector: "shard=1", initialBackoff: .milliseconds(10))
        let (log, task) = startWatcher(kube, configuration: config)
        defer { task.cancel() }
        #expect(await eventually { kube.openWatches == 1 })
        #expect(log.restarts.first?.map { $0[path: "metadata", "name"] } == ["a"])
        #expect(kube.state.withLock { $0.listLabelSelectors } == ["shard=1"])
        _ = try await kube.create(Fixture.widget("c", labels: ["shard": "2"]), options: WriteOptions())
        _ = try await kube.create(Fixture.widget("d", labels: ["shard": "1"]), options: WriteOptions())
        #expect(await eventually { log.appliedNames == ["d"] })
    }

    @Test func configurationClampsTimeout() {
        #expect(WatcherConfiguration(timeoutSeconds: 600).timeoutSeconds == 294)
        #expect(WatcherConfiguration().timeoutSeconds < 295)
        #expect(WatcherConfiguration(labelSelector: "").labelSelector == nil)
    }
}

struct RuntimeInformerTests {
    let logger = Logger(label: "test")

    @Test func cachesIndexesAndReportsChanges() async throws {
        let kube = FakeKube()
        kube.seed([Fixture.widget("a", spec: ["source": "git-1"]), Fixture.widget("b", spec: ["source": "git-2"])])
        let informer = Informer(api: kube, kind: Fixture.widgetKind,
                                configuration: WatcherConfiguration(initialBackoff: .milliseconds(10)), logger: logger)
        informer.addIndex("source") { [$0[path: "spec", "source"]?.stringValue].compactMap { $0 } }
        let seen = Locked<[String]>([])
        informer.addHandler { event in
            let name = event.object[path: "metadata", "name"]?.stringValue ?? "?"
            let label: String
            switch event {
            case .added: label = "added"
            case .updated: label = "updated"
            case .deleted: label = "deleted"
            }
            seen.withLock { $0.append("\(label) \(name)") }
        }
        #expect(informer.hasSynced == false)
        let task = Task { try await informer.run() }
        defer { task.cancel() }
        try await informer.waitForSync()
        #expect(informer.count == 2)
        #expect(Set(seen.withLock { $0 }) == ["added a", "added b"])
        #expect(informer.byIndex("source", "git-1").map { $0[path: "metadata", "name"] } == ["a"])
        #expect(informer.byIndex("nope", "git-1").isEmpty)

        var changed = try await kube.get(Fixture.widgetKind, ObjectKey(namespace: "default", name: "b"))
        changed[path: "spec", "source"] = "git-1"
        _ = try await kube.update(changed, options: WriteOptions())
        #expect(await eventually { informer.keys(byIndex: "source", "git-1").map(\.name) == ["a", "b"] })
        #expect(informer.byIndex("source", "git-2").isEmpty)
        _ = try await kube.delete(Fixture.widgetKind, ObjectKey(namespace: "default", name: "a"), options: DeleteOptions())
        #expect(await eventually { informer.get(ObjectKey(namespace: "default", name: "a")) == nil })
        #expect(informer.keys(byIndex: "source", "git-1").map(\.name) == ["b"])
        #expect(seen.withLock { Array($0.suffix(2)) } == ["updated b", "deleted a"])
    }

    @Test func relistDiffsAgainstTheCache() {
        let informer = Informer(api: FakeKube(), kind: Fixture.widgetKind, logger: logger)
        let seen = Locked<[InformerEvent]>([])
        informer.addHandler { event in seen.withLock { $0.append(event) } }
        let a = Fixture.widget("a"), b = Fixture.widget("b")
        var b2 = b
        b2[path: "spec", "size"] = 2
        informer.applyListing([a, b])
        #expect(informer.hasSynced)
        seen.withLock { $0 = [] }
        informer.applyListing([b2, Fixture.widget("c")])
        let events = seen.withLock { $0 }
        #expect(events.contains(.deleted(a)))
        #expect(events.contains(.updated(old: b, new: b2)))
        #expect(events.contains(.added(Fixture.widget("c"))))
        #expect(events.count == 3)
        #expect(informer.list().map { $0[path: "metadata", "name"] } == ["b", "c"])
    }

    @Test func anInterruptedListingIsDiscarded() {
        let informer = Informer(api: FakeKube(), kind: Fixture.widgetKind, logger: logger)
        informer.applyListing([Fixture.widget("a")])
        informer.apply(.initStarted)
        informer.apply(.initPage([Fixture.widget("half-listed")]))
        #expect(informer.list().map { $0[path: "metadata", "name"] } == ["a"], "the cache changes only at initDone")
        informer.apply(.initStarted)  // e.g. the continue token expired: the listing starts again
        informer.apply(.initPage([Fixture.widget("b")]))
        informer.apply(.initDone)
        #expect(informer.list().map { $0[path: "metadata", "name"] } == ["b"])
    }

    @Test func dropsManagedFieldsUnlessToldOtherwise() {
        var object = Fixture.widget("a")
        object[path: "metadata", "managedFields"] = [["manager": "kubectl", "operation": "Apply"]]
        let stripping = Informer(api: FakeKube(), kind: Fixture.widgetKind, logger: logger)
        stripping.applyListing([object])
        #expect(stripping.get(ObjectKey(namespace: "default", name: "a")) == Fixture.widget("a"))
        let keeping = Informer(api: FakeKube(), kind: Fixture.widgetKind, transform: nil, logger: logger)
        keeping.apply(.applied(object))
        #expect(keeping.get(ObjectKey(namespace: "default", name: "a"))?[path: "metadata", "managedFields"] != nil)
    }

    @Test func filtersAndMapsEventsIntoQueues() async {
        let informer = Informer(api: FakeKube(), kind: Fixture.widgetKind, logger: logger)
        let own = WorkQueue<ObjectKey>()
        let dependents = WorkQueue<ObjectKey>()
        informer.enqueue(into: own, filter: .generationOrReconcileRequest)
        informer.enqueueMapped(into: dependents) { event in
            [ObjectKey(namespace: "apps", name: "uses-\(event.object[path: "metadata", "name"]?.stringValue ?? "")")]
        }
        var a = Fixture.widget("a")
        a[path: "metadata", "generation"] = 1
        informer.applyListing([a])
        #expect(await own.get() == ObjectKey(namespace: "default", name: "a"))
        #expect(await dependents.get() == ObjectKey(namespace: "apps", name: "uses-a"))
        own.done(ObjectKey(namespace: "default", name: "a"))
        dependents.done(ObjectKey(namespace: "apps", name: "uses-a"))

        // A status-only change: filtered out for the own kind, still mapped to dependents.
        var statusOnly = a
        statusOnly["status"] = ["observedGeneration": 1]
        informer.apply(.applied(statusOnly))
        #expect(own.depth == 0)
        #expect(dependents.depth == 1)

        var requested = statusOnly
        requested[path: "metadata", "annotations", "reconcile.fluxcd.io/requestedAt"] = "now"
        informer.apply(.applied(requested))
        #expect(own.depth == 1)

        #expect(EventFilter.generationOrReconcileRequest(.updated(old: a, new: statusOnly)) == false)
        var bumped = a
        bumped[path: "metadata", "generation"] = 2
        #expect(EventFilter.generationOrReconcileRequest(.updated(old: a, new: bumped)))
        var deleting = a
        deleting[path: "metadata", "deletionTimestamp"] = "2024-01-01T00:00:00Z"
        #expect(EventFilter.generationOrReconcileRequest(.updated(old: a, new: deleting)))
        #expect(EventFilter.generationOrReconcileRequest(.deleted(a)))
    }
}

extension Informer {
    /// A complete listing of `objects` in one page.
    func applyListing(_ objects: [JSONValue]) {
        apply(.initStarted)
        apply(.initPage(objects))
        apply(.initDone)
    }
}
