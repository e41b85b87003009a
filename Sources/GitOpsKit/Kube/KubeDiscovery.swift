import Synchronization

/// The REST mapping cache: which resource serves each kind, learnt from discovery one group version at a time
/// (`/api/v1`, `/apis/<group>/<version>`).
///
/// A kind missing from a cached group version triggers one refresh of that group version (a CRD may have just been
/// established); concurrent lookups share one in-flight request per group version.
final class KubeDiscovery: Sendable {
    /// Fetches a group version's `APIResourceList`; nil when the server does not serve the group version (404).
    typealias Fetch = @Sendable (_ groupVersion: String) async throws(KubeError) -> JSONValue?

    struct Entry: Sendable {
        /// Kind → mapping; empty when the group version is not served.
        var mappings: [String: ResourceMapping]
        /// When the request that produced this entry started.
        var fetchedAt: ContinuousClock.Instant
    }

    private struct InFlight {
        var startedAt: ContinuousClock.Instant
        var task: Task<Result<Entry, KubeError>, Never>
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var inFlight: [String: InFlight] = [:]
    }

    private let state = Mutex(State())
    private let fetch: Fetch

    init(fetch: @escaping Fetch) {
        self.fetch = fetch
    }

    /// The mapping of `kind`, refreshing its group version once when the kind is unknown.
    func mapping(for kind: GroupVersionKind) async throws(KubeError) -> ResourceMapping {
        let asked = ContinuousClock.now
        if let mapping = state.withLock({ $0.entries[kind.apiVersion]?.mappings[kind.kind] }) { return mapping }
        // Join a request already in flight (concurrent first lookups share it); if that answer predates this lookup
        // and lacks the kind, ask once more.
        var entry = try await entry(for: kind.apiVersion, notOlderThan: asked, joinOlder: true)
        if let mapping = entry.mappings[kind.kind] { return mapping }
        if entry.fetchedAt < asked {
            entry = try await self.entry(for: kind.apiVersion, notOlderThan: asked, joinOlder: false)
            if let mapping = entry.mappings[kind.kind] { return mapping }
        }
        let served = entry.mappings.isEmpty ? "\(kind.apiVersion) is not served by the API server"
            : "the API server serves no kind \(kind.kind) in \(kind.apiVersion)"
        throw KubeError(code: .unknownKind, message: "no mapping for \(kind): \(served)")
    }

    /// Caches an already fetched `APIResourceList` (from a full discovery).
    func store(_ list: JSONValue, groupVersion: String, fetchedAt: ContinuousClock.Instant) {
        let entry = Entry(mappings: Self.mappings(from: list, groupVersion: groupVersion), fetchedAt: fetchedAt)
        state.withLock { $0.entries[groupVersion] = entry }
    }

    /// Every cached mapping.
    var cachedMappings: [ResourceMapping] {
        state.withLock { $0.entries.values.flatMap { $0.mappings.values } }
    }

    /// Forgets everything (the next lookups fetch again).
    func invalidate() {
        state.withLock { $0.entries.removeAll() }
    }

    /// An entry for `groupVersion` whose fetch started at or after `notOlderThan`, or (with `joinOlder`) the answer of
    /// a request already in flight, however old.
    private func entry(for groupVersion: String, notOlderThan: ContinuousClock.Instant,
                       joinOlder: Bool) async throws(KubeError) -> Entry {
        while true {
            enum Step { case done(Entry), wait(Task<Result<Entry, KubeError>, Never>) }
            let step: Step = state.withLock { state in
                if let entry = state.entries[groupVersion], entry.fetchedAt >= notOlderThan { return .done(entry) }
                if let inFlight = state.inFlight[groupVersion] { return .wait(inFlight.task) }
                let startedAt = ContinuousClock.now
                let task = Task { [fetch] () -> Result<Entry, KubeError> in
                    let result: Result<Entry, KubeError>
                    do throws(KubeError) {
                        let list = try await fetch(groupVersion)
                        let mappings = list.map { Self.mappings(from: $0, groupVersion: groupVersion) } ?? [:]
                        result = .success(Entry(mappings: mappings, fetchedAt: startedAt))
                    } catch {
                        result = .failure(error)
                    }
                    self.state.withLock { state in
                        state.inFlight[groupVersion] = nil
                        if case .success(let entry) = result { state.entries[groupVersion] = entry }
                    }
                    return result
                }
                state.inFlight[groupVersion] = InFlight(startedAt: startedAt, task: task)
                return .wait(task)
            }
            switch step {
            case .done(let entry):
                return entry
            case .wait(let task):
                let entry = try await task.value.get()
                // A fetch that started before the caller asked may predate the kind; unless joining is enough,
                // loop and fetch again.
                if joinOlder || entry.fetchedAt >= notOlderThan { return entry }
            }
        }
    }

    /// The kind → mapping table of an `APIResourceList` (subresources such as `deployments/status` skipped).
    static func mappings(from list: JSONValue, groupVersion: String) -> [String: ResourceMapping] {
        let parts = GroupVersionKind(apiVersion: groupVersion, kind: "")
        var mappings: [String: ResourceMapping] = [:]
        for resource in list["resources"]?.arrayValue ?? [] {
            guard let name = resource["name"]?.stringValue, !name.contains("/"),
                  let kind = resource["kind"]?.stringValue, !kind.isEmpty else { continue }
            let namespaced = resource["namespaced"]?.boolValue ?? false
            let gvk = GroupVersionKind(group: parts.group, version: parts.version, kind: kind)
            let gvr = GroupVersionResource(group: parts.group, version: parts.version, resource: name)
            if mappings[kind] == nil {
                mappings[kind] = ResourceMapping(kind: gvk, resource: gvr, namespaced: namespaced)
            }
        }
        return mappings
    }
}
