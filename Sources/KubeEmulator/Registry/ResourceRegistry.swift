import GitOpsKit
import Synchronization

/// The seam through which custom resources are pruned, defaulted and validated by their CRD's schema.
protocol CustomResourceSchema: Sendable {
    func pruned(_ object: JSONValue) -> JSONValue
    func defaulted(_ object: JSONValue) -> JSONValue
    func validate(_ object: JSONValue) -> [KubeError.Cause]
    /// How list items are identified, for server-side apply.
    var listTypes: ListTypeSchema { get }
}

/// The resources served right now: the built-in ones plus those of Established CRDs. Lookups are frequent and
/// cheap; CRD changes replace entries and bump `generation` so discovery documents are rebuilt.
final class ResourceRegistry: Sendable {
    struct State {
        /// "group/version" → resource → type.
        var byGroupVersion: [String: [String: ResourceType]] = [:]
        /// Served group versions in discovery order, per group (preferred first).
        var groupVersions: [String: [String]] = [:]
        var generation = 0
    }

    private let state: Mutex<State>

    init() {
        var initial = State()
        for type in BuiltInResources.all { Self.insert(type, into: &initial) }
        state = Mutex(initial)
    }

    private static func key(_ group: String, _ version: String) -> String { group.isEmpty ? version : "\(group)/\(version)" }

    private static func insert(_ type: ResourceType, into state: inout State) {
        state.byGroupVersion[key(type.group, type.version), default: [:]][type.resource] = type
        if !(state.groupVersions[type.group]?.contains(type.version) ?? false) {
            state.groupVersions[type.group, default: []].append(type.version)
        }
    }

    var generation: Int { state.withLock { $0.generation } }

    func lookup(group: String, version: String, resource: String) -> ResourceType? {
        state.withLock { $0.byGroupVersion[Self.key(group, version)]?[resource] }
    }

    /// The type serving `kind` in its group version.
    func lookup(_ kind: GroupVersionKind) -> ResourceType? {
        state.withLock { state in
            state.byGroupVersion[kind.apiVersion]?.values.first { $0.kind == kind.kind }
        }
    }

    /// Whether the group version is served at all.
    func serves(group: String, version: String) -> Bool {
        state.withLock { $0.byGroupVersion[Self.key(group, version)] != nil }
    }

    /// The resources of one group version, sorted by name.
    func resources(group: String, version: String) -> [ResourceType] {
        state.withLock { state in
            (state.byGroupVersion[Self.key(group, version)] ?? [:]).values.sorted { $0.resource < $1.resource }
        }
    }

    /// Every served type of a storage (one per served version).
    func types(for storage: StorageID) -> [ResourceType] {
        state.withLock { state in
            state.byGroupVersion.values.flatMap { $0.values.filter { $0.storage == storage } }
        }
    }

    /// Every served type.
    func allTypes() -> [ResourceType] {
        state.withLock { state in state.byGroupVersion.values.flatMap { Array($0.values) } }
    }

    /// Non-core groups in discovery order with their versions (preferred first).
    func groups() -> [(name: String, versions: [String])] {
        state.withLock { state in
            let named = state.groupVersions.keys.filter { !$0.isEmpty }
            let builtIn = BuiltInResources.groupOrder.filter { named.contains($0) }
            let custom = named.filter { !BuiltInResources.groupOrder.contains($0) }.sorted()
            return (builtIn + custom).map { group in (group, state.groupVersions[group] ?? []) }
        }
    }

    /// Serves the types of a CRD, replacing what it served before.
    func install(crdName: String, types: [ResourceType], preferredVersion: String?) {
        state.withLock { state in
            Self.remove(crdName: crdName, from: &state)
            for type in types { Self.insert(type, into: &state) }
            if let group = types.first?.group, var versions = state.groupVersions[group] {
                versions.sort { CRDValidation.versionPriority($0) > CRDValidation.versionPriority($1) }
                state.groupVersions[group] = versions
            }
            state.generation += 1
        }
    }

    /// Stops serving a CRD's types.
    func uninstall(crdName: String) {
        state.withLock { state in
            Self.remove(crdName: crdName, from: &state)
            state.generation += 1
        }
    }

    /// Marks a CRD's types as terminating (new objects refused) or not.
    func setTerminating(crdName: String, _ terminating: Bool) {
        state.withLock { state in
            for (groupVersion, resources) in state.byGroupVersion {
                for (name, type) in resources where type.custom?.crdName == crdName {
                    state.byGroupVersion[groupVersion]?[name]?.custom?.terminating = terminating
                }
            }
        }
    }

    private static func remove(crdName: String, from state: inout State) {
        for (groupVersion, resources) in state.byGroupVersion {
            for (name, type) in resources where type.custom?.crdName == crdName {
                state.byGroupVersion[groupVersion]?[name] = nil
                if state.byGroupVersion[groupVersion]?.isEmpty == true {
                    state.byGroupVersion[groupVersion] = nil
                    state.groupVersions[type.group]?.removeAll { $0 == type.version }
                    if state.groupVersions[type.group]?.isEmpty == true { state.groupVersions[type.group] = nil }
                }
            }
        }
    }

    /// The types a kubectl-style short name, singular, plural or kind could mean (tests and diagnostics).
    func resolve(_ name: String) -> [ResourceType] {
        let lower = name.lowercased()
        return allTypes().filter { $0.resource == lower || $0.singular == lower || $0.shortNames.contains(lower) }
    }
}
