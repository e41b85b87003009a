import GitOpsKit

extension APIServer {
    static let orphanFinalizer = "orphan"
    static let foregroundFinalizer = "foregroundDeletion"
    static let undeletableNamespaces: Set<String> = ["default", "kube-system", "kube-public"]

    /// DELETE: removes the object, or marks it for deletion while finalizers remain.
    func delete(_ type: ResourceType, namespace: String?, name: String, options: DeleteContext) throws(APIError) -> DeleteResult {
        if type.group.isEmpty, type.kind == "Namespace", Self.undeletableNamespaces.contains(name) {
            throw APIError.forbidden(resource: "namespaces", group: "", name: name, detail: "this namespace may not be deleted")
        }
        let ns = type.namespaced ? namespace : nil
        for _ in 0..<Self.maximumAttempts {
            let current = try get(type, namespace: ns, name: name)
            let object = current.object
            if let uid = options.preconditionUID, uid != object[path: "metadata", "uid"]?.stringValue {
                throw APIError.conflict(resource: type.resource, group: type.group, name: name,
                                        detail: "Precondition failed: UID in precondition: \(uid), UID in object meta: \(object[path: "metadata", "uid"]?.stringValue ?? "")")
            }
            if let version = options.preconditionResourceVersion, version != String(current.resourceVersion) {
                throw APIError.conflict(resource: type.resource, group: type.group, name: name,
                                        detail: "Precondition failed: ResourceVersion in precondition: \(version), ResourceVersion in object meta: \(current.resourceVersion)")
            }
            let marked = Self.markedForDeletion(type, object, options: options)
            let pending = !(marked[path: "metadata", "finalizers"]?.arrayValue ?? []).isEmpty
                || (type.group.isEmpty && type.kind == "Namespace")
            if options.dryRun {
                return DeleteResult(object: pending ? marked : object, removed: !pending)
            }
            do {
                if pending {
                    if marked == object { return DeleteResult(object: object, removed: false) }
                    let stored = try store.commit(type.storage, namespace: ns, name: name,
                                                  expecting: .revision(current.resourceVersion), put: marked)
                    return DeleteResult(object: stored.object, removed: false)
                }
                let stored = try store.commit(type.storage, namespace: ns, name: name,
                                              expecting: .revision(current.resourceVersion), put: nil)
                return DeleteResult(object: stored.object, removed: true)
            } catch {
                if case .stale = error { continue }
                throw mapConflict(error, type, name: name)
            }
        }
        throw APIError.staleResourceVersion(resource: type.resource, group: type.group, name: name)
    }

    /// The object with the finalizers the propagation policy asks for and, when anything blocks, the deletion
    /// timestamp set (generation bumped once, as `markAsDeleting` does).
    static func markedForDeletion(_ type: ResourceType, _ object: JSONValue, options: DeleteContext) -> JSONValue {
        var finalizers = (object[path: "metadata", "finalizers"]?.arrayValue ?? []).compactMap(\.stringValue)
        let policy: DeleteOptions.Propagation? = options.propagation
            ?? options.orphanDependents.map { $0 ? .orphan : .background }
        switch policy {
        case .orphan?:
            finalizers.removeAll { $0 == foregroundFinalizer }
            if !finalizers.contains(orphanFinalizer) { finalizers.append(orphanFinalizer) }
        case .foreground?:
            finalizers.removeAll { $0 == orphanFinalizer }
            if !finalizers.contains(foregroundFinalizer) { finalizers.append(foregroundFinalizer) }
        case .background?:
            finalizers.removeAll { $0 == orphanFinalizer || $0 == foregroundFinalizer }
        case nil:
            break
        }
        let isCRD = type.group == "apiextensions.k8s.io" && type.kind == "CustomResourceDefinition"
        if isCRD, !finalizers.contains(CRDValidation.cleanupFinalizer) { finalizers.append(CRDValidation.cleanupFinalizer) }
        let isNamespace = type.group.isEmpty && type.kind == "Namespace"
        var marked = object
        marked[path: "metadata", "finalizers"] = finalizers.isEmpty ? JSONValue?.none : .array(finalizers.map { .string($0) })
        guard !finalizers.isEmpty || isNamespace else { return marked }
        if object[path: "metadata", "deletionTimestamp"] == nil {
            marked[path: "metadata", "deletionTimestamp"] = .string(Timestamp.now())
            marked[path: "metadata", "deletionGracePeriodSeconds"] = 0
            if let generation = object[path: "metadata", "generation"]?.intValue, generation > 0 {
                marked[path: "metadata", "generation"] = .int(generation + 1)
            }
        }
        if isNamespace { marked[path: "status", "phase"] = "Terminating" }
        if isCRD {
            var conditions = (marked[path: "status", "conditions"]?.arrayValue ?? []).filter { $0["type"] != "Terminating" }
            conditions.append(["type": "Terminating", "status": "True", "reason": "InstanceDeletionPending",
                               "message": "CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon",
                               "lastTransitionTime": .string(Timestamp.now())])
            marked[path: "status", "conditions"] = .array(conditions)
        }
        return marked
    }
}
