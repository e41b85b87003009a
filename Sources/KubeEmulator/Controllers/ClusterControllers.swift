import GitOpsKit
import Logging
import Synchronization

/// The cluster-side controllers clients depend on: garbage collection by ownerReferences, namespace lifecycle,
/// CRD establishment and cleanup, default service accounts and simulated workload status. One task consumes
/// every change in order; delayed work (workload rollouts) runs in child tasks.
final class ClusterControllers: Sendable {
    static let manager = "kube-controller-manager"
    static let apiServerManager = "kube-apiserver"
    static let crdStorage = StorageID(group: "apiextensions.k8s.io", resource: "customresourcedefinitions")
    static let serviceAccounts = StorageID(group: "", resource: "serviceaccounts")
    static let deployments = StorageID(group: "apps", resource: "deployments")

    let server: APIServer
    let workloads: WorkloadSimulator
    /// Builds the schema engine of a CRD version (nil: no pruning, defaulting or validation).
    let schemaBuilder: @Sendable (JSONValue) -> (any CustomResourceSchema)?

    init(server: APIServer, schemaBuilder: @escaping @Sendable (JSONValue) -> (any CustomResourceSchema)?) {
        self.server = server
        self.workloads = WorkloadSimulator(server: server)
        self.schemaBuilder = schemaBuilder
    }

    private var store: ObjectStore { server.store }

    /// Subscribes to every change; call before creating anything the controllers must see.
    func subscribe() -> ObjectStore.WatchStart? {
        try? store.watch(nil, since: nil, includeInitial: false, initialNamespace: nil, bufferLimit: 0)
    }

    /// Processes changes until cancelled.
    func run(_ start: ObjectStore.WatchStart) async {
        await withDiscardingTaskGroup { group in
            for await message in start.stream {
                guard case .record(let record) = message else { continue }
                handle(record)
                if let delayed = workloads.schedule(record) {
                    group.addTask { await delayed() }
                }
            }
        }
    }

    private func handle(_ record: WatchRecord) {
        let object = record.object.object
        let deleting = object[path: "metadata", "deletionTimestamp"] != nil
        switch record.type {
        case .added, .modified:
            if !ObjectStore.ownerUIDs(object).isEmpty { collectIfOrphaned(record) }
            if deleting { processDeletingFinalizers(record) }
        case .deleted:
            if let uid = object[path: "metadata", "uid"]?.stringValue { ownerGone(uid: uid) }
            reconcileOwnersOf(object)
        }
        switch record.storage {
        case ObjectStore.namespaces:
            handleNamespace(record)
        case Self.crdStorage:
            handleCRD(record)
        case Self.deployments where record.type != .deleted:
            DeploymentReplicaSets(server: server).reconcile(object)
        default:
            break
        }
        if let namespace = record.namespace, record.type == .deleted { namespaceContentDeleted(namespace) }
        if record.type == .deleted, record.storage.group.contains(".") { customResourceDeleted(record.storage) }
    }

    // MARK: Garbage collection

    private func refs(of object: JSONValue) -> [String] {
        (object[path: "metadata", "ownerReferences"]?.arrayValue ?? []).compactMap { $0["uid"]?.stringValue }
    }

    /// A new or changed object whose owners are all gone is deleted; dangling references beside live owners
    /// are removed.
    private func collectIfOrphaned(_ record: WatchRecord) {
        let object = record.object.object
        let owners = refs(of: object)
        let live = owners.filter { store.object(withUID: $0) != nil }
        guard live.count < owners.count, let key = record.object.key else { return }
        if live.isEmpty {
            server.controllerDelete(record.storage, namespace: key.namespace, name: key.name, propagation: .background)
        } else {
            let liveSet = Set(live)
            server.controllerUpdate(record.storage, namespace: key.namespace, name: key.name, manager: Self.manager) { object in
                let references = object[path: "metadata", "ownerReferences"]?.arrayValue ?? []
                let kept = references.filter { $0["uid"]?.stringValue.map(liveSet.contains) ?? false }
                guard kept.count != references.count else { return false }
                object[path: "metadata", "ownerReferences"] = kept.isEmpty ? JSONValue?.none : .array(kept)
                return true
            }
        }
    }

    /// An owner disappeared: its dependents are collected (or lose the dangling reference).
    private func ownerGone(uid: String) {
        for (ref, stored) in store.dependents(of: uid) {
            let others = refs(of: stored.object).filter { $0 != uid && store.object(withUID: $0) != nil }
            if others.isEmpty {
                server.controllerDelete(ref.storage, namespace: ref.key.namespace, name: ref.name, propagation: .background)
            } else {
                server.controllerUpdate(ref.storage, namespace: ref.key.namespace, name: ref.name, manager: Self.manager) { object in
                    let references = object[path: "metadata", "ownerReferences"]?.arrayValue ?? []
                    let kept = references.filter { $0["uid"]?.stringValue != uid }
                    guard kept.count != references.count else { return false }
                    object[path: "metadata", "ownerReferences"] = kept.isEmpty ? JSONValue?.none : .array(kept)
                    return true
                }
            }
        }
    }

    /// Orphan and foreground deletion: the `orphan` finalizer releases dependents, `foregroundDeletion` deletes
    /// them first; either finalizer is removed when its work is done.
    private func processDeletingFinalizers(_ record: WatchRecord) {
        let object = record.object.object
        let finalizers = (object[path: "metadata", "finalizers"]?.arrayValue ?? []).compactMap(\.stringValue)
        guard let uid = object[path: "metadata", "uid"]?.stringValue, let key = record.object.key else { return }
        if finalizers.contains(APIServer.orphanFinalizer) {
            for (ref, _) in store.dependents(of: uid) {
                server.controllerUpdate(ref.storage, namespace: ref.key.namespace, name: ref.name, manager: Self.manager) { dependent in
                    let references = dependent[path: "metadata", "ownerReferences"]?.arrayValue ?? []
                    let kept = references.filter { $0["uid"]?.stringValue != uid }
                    guard kept.count != references.count else { return false }
                    dependent[path: "metadata", "ownerReferences"] = kept.isEmpty ? JSONValue?.none : .array(kept)
                    return true
                }
            }
            removeFinalizer(APIServer.orphanFinalizer, storage: record.storage, key: key)
        }
        if finalizers.contains(APIServer.foregroundFinalizer) {
            let dependents = store.dependents(of: uid)
            if dependents.isEmpty {
                removeFinalizer(APIServer.foregroundFinalizer, storage: record.storage, key: key)
            } else {
                for (ref, stored) in dependents where stored.object[path: "metadata", "deletionTimestamp"] == nil {
                    server.controllerDelete(ref.storage, namespace: ref.key.namespace, name: ref.name, propagation: .foreground)
                }
            }
        }
    }

    /// A dependent disappeared: owners waiting in foreground deletion may be done.
    private func reconcileOwnersOf(_ object: JSONValue) {
        for uid in refs(of: object) {
            guard let (ref, owner) = store.object(withUID: uid),
                  owner.object[path: "metadata", "deletionTimestamp"] != nil,
                  (owner.object[path: "metadata", "finalizers"]?.arrayValue ?? []).contains(.string(APIServer.foregroundFinalizer)),
                  store.dependents(of: uid).isEmpty else { continue }
            removeFinalizer(APIServer.foregroundFinalizer, storage: ref.storage, key: ref.key)
        }
    }

    private func removeFinalizer(_ finalizer: String, storage: StorageID, key: ObjectKey) {
        server.controllerUpdate(storage, namespace: key.namespace, name: key.name, manager: Self.manager) { object in
            let finalizers = object[path: "metadata", "finalizers"]?.arrayValue ?? []
            let kept = finalizers.filter { $0.stringValue != finalizer }
            guard kept.count != finalizers.count else { return false }
            object[path: "metadata", "finalizers"] = kept.isEmpty ? JSONValue?.none : .array(kept)
            return true
        }
    }

    // MARK: Namespaces

    private func handleNamespace(_ record: WatchRecord) {
        guard let name = record.object.key?.name else { return }
        let object = record.object.object
        if record.type == .added {
            ensureDefaultServiceAccount(namespace: name)
        }
        if record.type != .deleted, object[path: "metadata", "deletionTimestamp"] != nil {
            for storage in store.storages(inNamespace: name) {
                for item in store.list(storage, namespace: name).items {
                    guard item.object[path: "metadata", "deletionTimestamp"] == nil, let key = item.key else { continue }
                    server.controllerDelete(storage, namespace: name, name: key.name, propagation: .background)
                }
            }
            namespaceContentDeleted(name)
        }
    }

    private func ensureDefaultServiceAccount(namespace: String) {
        guard store.get(Self.serviceAccounts, namespace: namespace, name: "default") == nil,
              let type = server.storageType(Self.serviceAccounts) else { return }
        _ = try? server.create(type, namespace: namespace, body: ["metadata": ["name": "default"]],
                               request: WriteContext(fieldManager: Self.manager, userAgentManager: Self.manager))
    }

    /// Finishes a terminating namespace once it is empty.
    private func namespaceContentDeleted(_ namespace: String) {
        guard let object = store.get(ObjectStore.namespaces, namespace: nil, name: namespace)?.object,
              object[path: "metadata", "deletionTimestamp"] != nil,
              store.storages(inNamespace: namespace).isEmpty else { return }
        _ = try? server.finalizeNamespace(name: namespace, body: ["spec": ["finalizers": .array([])]],
                                          request: WriteContext(fieldManager: Self.manager, userAgentManager: Self.manager))
    }

    // MARK: CustomResourceDefinitions

    private func handleCRD(_ record: WatchRecord) {
        let crd = record.object.object
        guard let name = crd[path: "metadata", "name"]?.stringValue else { return }
        if record.type == .deleted {
            server.registry.uninstall(crdName: name)
            return
        }
        let types = CRDValidation.resourceTypes(of: crd, schemaBuilder: schemaBuilder)
        server.registry.install(crdName: name, types: types, preferredVersion: CRDValidation.preferredVersion(of: crd))
        if crd[path: "metadata", "deletionTimestamp"] != nil {
            cleanUpCustomResources(crd)
            return
        }
        establish(crd, name: name)
    }

    private func establish(_ crd: JSONValue, name: String) {
        var accepted: [String: JSONValue] = [:]
        for key in ["kind", "listKind", "plural", "singular", "shortNames", "categories"] {
            if let value = crd[path: "spec", "names", key] { accepted[key] = value }
        }
        let acceptedNames = JSONValue.object(accepted)
        server.controllerUpdate(Self.crdStorage, namespace: nil, name: name, manager: Self.apiServerManager,
                                subresource: "status") { object in
            let established = (object[path: "status", "conditions"]?.arrayValue ?? []).contains {
                $0["type"] == "Established" && $0["status"] == "True"
            }
            guard !established || object[path: "status", "acceptedNames"] != acceptedNames else { return false }
            let now = JSONValue.string(Timestamp.now())
            object[path: "status", "acceptedNames"] = acceptedNames
            object[path: "status", "conditions"] = [
                ["type": "NamesAccepted", "status": "True", "reason": "NoConflicts", "message": "no conflicts found",
                 "lastTransitionTime": now],
                ["type": "Established", "status": "True", "reason": "InitialNamesAccepted",
                 "message": "the initial names have been accepted", "lastTransitionTime": now],
            ]
            return true
        }
    }

    private func cleanUpCustomResources(_ crd: JSONValue) {
        guard let group = crd[path: "spec", "group"]?.stringValue, let plural = crd[path: "spec", "names", "plural"]?.stringValue,
              let name = crd[path: "metadata", "name"]?.stringValue else { return }
        let storage = StorageID(group: group, resource: plural)
        let remaining = store.list(storage, namespace: nil).items
        if remaining.isEmpty {
            removeFinalizer(CRDValidation.cleanupFinalizer, storage: Self.crdStorage, key: ObjectKey(namespace: nil, name: name))
            return
        }
        for item in remaining where item.object[path: "metadata", "deletionTimestamp"] == nil {
            guard let key = item.key else { continue }
            server.controllerDelete(storage, namespace: key.namespace, name: key.name, propagation: .background)
        }
    }

    private func customResourceDeleted(_ storage: StorageID) {
        let crdName = "\(storage.resource).\(storage.group)"
        guard let crd = store.get(Self.crdStorage, namespace: nil, name: crdName)?.object,
              crd[path: "metadata", "deletionTimestamp"] != nil else { return }
        cleanUpCustomResources(crd)
    }
}
