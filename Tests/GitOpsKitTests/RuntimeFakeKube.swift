import Foundation
import Synchronization
@testable import GitOpsKit

/// An in-memory `KubernetesAPI` for runtime unit tests: one global resourceVersion, paginated lists, watches with
/// a bounded history (older → 410 Gone), optimistic concurrency on update, merge patches (status subresource),
/// and knobs to inject failures, drop watch streams and compact history.
final class FakeKube: KubernetesAPI {
    struct Watch {
        var kind: GroupVersionKind
        var namespace: String?
        var labelSelector: String?
        var continuation: AsyncThrowingStream<WatchEvent, any Error>.Continuation
    }

    struct State {
        var objects: [GroupVersionKind: [ObjectKey: JSONValue]] = [:]
        var resourceVersion = 100
        var history: [(kind: GroupVersionKind, version: Int, event: WatchEvent)] = []
        /// Watches from a resourceVersion below this get 410 Gone.
        var compactedBelow = 0
        var watches: [Int: Watch] = [:]
        var nextWatchID = 0
        var listCalls = 0
        var watchCalls = 0
        var watchResourceVersions: [String?] = []
        var patchCalls = 0
        var updateCalls = 0
        var createCalls = 0
        var failLists = 0
        var failWatches = 0
        var failUpdates = false
        var listLabelSelectors: [String?] = []
    }

    let state = Mutex(State())

    static func kindKey(_ kind: GroupVersionKind) -> GroupVersionKind { kind }

    // MARK: Knobs

    func seed(_ objects: [JSONValue]) {
        for object in objects { _ = try? createSync(object) }
    }

    /// Ends every open watch stream (as a server timeout or dropped connection would).
    func dropWatches() {
        let watches = state.withLock { state -> [Watch] in
            defer { state.watches = [:] }
            return Array(state.watches.values)
        }
        watches.forEach { $0.continuation.finish() }
    }

    /// Forgets history so that watches from any earlier resourceVersion get 410 Gone.
    func compactHistory() {
        state.withLock { state in
            state.compactedBelow = state.resourceVersion
            state.history = []
        }
    }

    /// Sends a bookmark at the current resourceVersion to every watch.
    func sendBookmarks() {
        state.withLock { state in
            for watch in state.watches.values {
                watch.continuation.yield(.bookmark(resourceVersion: String(state.resourceVersion)))
            }
        }
    }

    var listCalls: Int { state.withLock { $0.listCalls } }
    var watchCalls: Int { state.withLock { $0.watchCalls } }
    var patchCalls: Int { state.withLock { $0.patchCalls } }
    var openWatches: Int { state.withLock { $0.watches.count } }

    func objects(_ kind: GroupVersionKind) -> [JSONValue] {
        state.withLock { ($0.objects[kind] ?? [:]).sorted { $0.key < $1.key }.map(\.value) }
    }

    // MARK: KubernetesAPI

    func mapping(for kind: GroupVersionKind) async throws(KubeError) -> ResourceMapping {
        ResourceMapping(kind: kind, resource: GroupVersionResource(group: kind.group, version: kind.version,
                                                                   resource: kind.kind.lowercased() + "s"),
                        namespaced: true)
    }

    func get(_ kind: GroupVersionKind, _ key: ObjectKey) async throws(KubeError) -> JSONValue {
        guard let object = state.withLock({ $0.objects[kind]?[key] }) else {
            throw KubeError(code: .notFound, httpStatus: 404, reason: "NotFound", message: "\(kind.kind) \"\(key.name)\" not found")
        }
        return object
    }

    func list(_ kind: GroupVersionKind, namespace: String?, options: ListOptions) async throws(KubeError) -> ObjectList {
        try state.withLock { state throws(KubeError) -> ObjectList in
            state.listCalls += 1
            state.listLabelSelectors.append(options.labelSelector)
            if state.failLists > 0 {
                state.failLists -= 1
                throw KubeError(code: .serverError, httpStatus: 500, message: "injected list failure")
            }
            let all = (state.objects[kind] ?? [:])
                .filter { namespace == nil || $0.key.namespace == namespace }
                .filter { Self.matches(options.labelSelector, $0.value) }
                .sorted { $0.key < $1.key }.map(\.value)
            let start = Int(options.continueToken ?? "0") ?? 0
            let limit = options.limit ?? all.count
            let end = min(all.count, start + limit)
            let page = Array(all[min(start, all.count)..<end])
            return ObjectList(items: page, resourceVersion: String(state.resourceVersion),
                              continueToken: end < all.count ? String(end) : nil)
        }
    }

    func create(_ object: JSONValue, options: WriteOptions) async throws(KubeError) -> JSONValue {
        try createSync(object)
    }

    func createSync(_ object: JSONValue) throws(KubeError) -> JSONValue {
        guard let kind = GroupVersionKind(of: object), let key = ObjectKey(of: object) else {
            throw KubeError(code: .invalid, message: "no kind or name")
        }
        return try state.withLock { state throws(KubeError) -> JSONValue in
            state.createCalls += 1
            if state.objects[kind]?[key] != nil {
                throw KubeError(code: .alreadyExists, httpStatus: 409, reason: "AlreadyExists", message: "exists")
            }
            var stored = object
            state.resourceVersion += 1
            stored[path: "metadata", "resourceVersion"] = .string(String(state.resourceVersion))
            stored[path: "metadata", "uid"] = .string(UUID().uuidString.lowercased())
            stored[path: "metadata", "generation"] = 1
            state.objects[kind, default: [:]][key] = stored
            Self.emit(&state, kind: kind, event: .added(stored))
            return stored
        }
    }

    func update(_ object: JSONValue, options: WriteOptions) async throws(KubeError) -> JSONValue {
        guard let kind = GroupVersionKind(of: object), let key = ObjectKey(of: object) else {
            throw KubeError(code: .invalid, message: "no kind or name")
        }
        return try state.withLock { state throws(KubeError) -> JSONValue in
            state.updateCalls += 1
            if state.failUpdates { throw KubeError(code: .serverError, httpStatus: 500, message: "injected update failure") }
            guard let current = state.objects[kind]?[key] else {
                throw KubeError(code: .notFound, httpStatus: 404, reason: "NotFound", message: "not found")
            }
            if let sent = object[path: "metadata", "resourceVersion"]?.stringValue,
               sent != current[path: "metadata", "resourceVersion"]?.stringValue
            {
                throw KubeError(code: .conflict, httpStatus: 409, reason: "Conflict",
                                message: "the object has been modified; please apply your changes to the latest version and try again")
            }
            var stored = object
            if stored["spec"] != current["spec"] {
                stored[path: "metadata", "generation"] = .int((current[path: "metadata", "generation"]?.intValue ?? 1) + 1)
            }
            state.resourceVersion += 1
            stored[path: "metadata", "resourceVersion"] = .string(String(state.resourceVersion))
            state.objects[kind, default: [:]][key] = stored
            Self.emit(&state, kind: kind, event: .modified(stored))
            return stored
        }
    }

    func updateStatus(_ object: JSONValue, options: WriteOptions) async throws(KubeError) -> JSONValue {
        try await update(object, options: options)
    }

    func patch(_ kind: GroupVersionKind, _ key: ObjectKey, patch: JSONValue, type: PatchType, subresource: String?,
               options: WriteOptions) async throws(KubeError) -> JSONValue
    {
        try state.withLock { state throws(KubeError) -> JSONValue in
            state.patchCalls += 1
            guard let current = state.objects[kind]?[key] else {
                throw KubeError(code: .notFound, httpStatus: 404, reason: "NotFound", message: "not found")
            }
            var stored: JSONValue
            if subresource == "status" {
                stored = current
                stored["status"] = Self.mergePatch(current["status"] ?? [:], patch["status"] ?? [:])
            } else {
                stored = Self.mergePatch(current, patch)
            }
            if stored == current { return current }
            state.resourceVersion += 1
            stored[path: "metadata", "resourceVersion"] = .string(String(state.resourceVersion))
            state.objects[kind, default: [:]][key] = stored
            Self.emit(&state, kind: kind, event: .modified(stored))
            return stored
        }
    }

    func delete(_ kind: GroupVersionKind, _ key: ObjectKey, options: DeleteOptions) async throws(KubeError) -> JSONValue? {
        try state.withLock { state throws(KubeError) -> JSONValue? in
            guard var current = state.objects[kind]?[key] else {
                throw KubeError(code: .notFound, httpStatus: 404, reason: "NotFound", message: "not found")
            }
            state.objects[kind]?[key] = nil
            state.resourceVersion += 1
            current[path: "metadata", "resourceVersion"] = .string(String(state.resourceVersion))
            Self.emit(&state, kind: kind, event: .deleted(current))
            return nil
        }
    }

    func watch(_ kind: GroupVersionKind, namespace: String?, options: WatchOptions) async throws(KubeError)
        -> AsyncThrowingStream<WatchEvent, any Error>
    {
        let (stream, continuation) = AsyncThrowingStream<WatchEvent, any Error>.makeStream()
        try state.withLock { state throws(KubeError) in
            state.watchCalls += 1
            state.watchResourceVersions.append(options.resourceVersion)
            if state.failWatches > 0 {
                state.failWatches -= 1
                throw KubeError(code: .serverError, httpStatus: 500, message: "injected watch failure")
            }
            let from = Int(options.resourceVersion ?? "") ?? state.resourceVersion
            if from < state.compactedBelow {
                continuation.finish(throwing: KubeError(code: .gone, httpStatus: 410, reason: "Expired",
                                                        message: "too old resource version: \(from)"))
                return
            }
            for entry in state.history where entry.kind == kind && entry.version > from {
                if Self.visible(entry.event, namespace: namespace, selector: options.labelSelector) {
                    continuation.yield(entry.event)
                }
            }
            state.nextWatchID += 1
            state.watches[state.nextWatchID] = Watch(kind: kind, namespace: namespace, labelSelector: options.labelSelector,
                                                     continuation: continuation)
        }
        return stream
    }

    // MARK: Helpers

    private static func emit(_ state: inout State, kind: GroupVersionKind, event: WatchEvent) {
        state.history.append((kind, state.resourceVersion, event))
        for watch in state.watches.values where watch.kind == kind {
            if visible(event, namespace: watch.namespace, selector: watch.labelSelector) {
                watch.continuation.yield(event)
            }
        }
    }

    private static func visible(_ event: WatchEvent, namespace: String?, selector: String?) -> Bool {
        let object: JSONValue
        switch event {
        case .added(let o), .modified(let o), .deleted(let o): object = o
        case .bookmark: return true
        }
        if let namespace, object[path: "metadata", "namespace"]?.stringValue != namespace { return false }
        return matches(selector, object)
    }

    /// Equality-only label selectors (`a=b,c=d`).
    static func matches(_ selector: String?, _ object: JSONValue) -> Bool {
        guard let selector, !selector.isEmpty else { return true }
        for term in selector.split(separator: ",") {
            let parts = term.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return false }
            if object[path: "metadata", "labels", parts[0]]?.stringValue != parts[1] { return false }
        }
        return true
    }

    static func mergePatch(_ target: JSONValue, _ patch: JSONValue) -> JSONValue {
        guard case .object(let members) = patch else { return patch }
        var result = target.objectValue ?? [:]
        for (key, value) in members {
            if value == .null {
                result[key] = nil
            } else {
                result[key] = mergePatch(result[key] ?? .null, value)
            }
        }
        return .object(result)
    }
}

/// Test object builders.
enum Fixture {
    static let widgetKind = GroupVersionKind(group: "test.gitopskit.io", version: "v1", kind: "Widget")

    static func widget(_ name: String, namespace: String = "default", labels: [String: String] = [:],
                       spec: JSONValue = ["size": 1]) -> JSONValue
    {
        var object: JSONValue = [
            "apiVersion": "test.gitopskit.io/v1", "kind": "Widget",
            "metadata": ["name": .string(name), "namespace": .string(namespace)],
            "spec": spec,
        ]
        if !labels.isEmpty { object[path: "metadata", "labels"] = .object(labels.mapValues { .string($0) }) }
        return object
    }
}

/// Polls `condition` every 10 ms until it holds or `timeout` passes.
func eventually(timeout: Duration = .seconds(30), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return try await condition()
}

/// A lock-guarded value shared between test tasks (a class, so escaping closures can capture it).
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) {
        mutex = Mutex(value)
    }

    func withLock<R: Sendable>(_ body: (inout Value) -> R) -> R {
        mutex.withLock { body(&$0) }
    }
}
