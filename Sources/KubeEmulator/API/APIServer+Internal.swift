import GitOpsKit
import Logging

extension APIServer {
    /// A read-modify-write by a built-in controller (`manager` in managedFields). `mutate` returns false to
    /// leave the object alone. Returns the object after the write, or nil when it is gone or the write failed.
    @discardableResult
    func controllerUpdate(_ storage: StorageID, namespace: String?, name: String, manager: String,
                          subresource: String? = nil, _ mutate: (inout JSONValue) -> Bool) -> JSONValue? {
        guard let type = storageType(storage) else { return nil }
        let request = WriteContext(fieldManager: manager, userAgentManager: manager, fieldValidation: .ignore)
        do {
            var warnings: [String] = []
            let result = try guaranteedUpdate(type, namespace: namespace, name: name, request: request, pinned: false) {
                current throws(APIError) in
                var candidate = Conversion.toServed(type, current.object)
                guard mutate(&candidate) else { return .unchanged }
                candidate = Conversion.toStorage(type, candidate)
                return try finishUpdate(type, candidate: candidate, current: current, subresource: subresource,
                                        request: request, managedFields: .record(manager: manager), warnings: &warnings)
            }
            return result.object
        } catch {
            if error.code != 404 {
                logger.debug("controller update failed", metadata: ["object": "\(storage) \(namespace ?? "")/\(name)",
                                                                     "error": "\(error.message)"])
            }
            return nil
        }
    }

    /// A delete by a built-in controller; errors other than "already gone" are logged.
    func controllerDelete(_ storage: StorageID, namespace: String?, name: String,
                          propagation: DeleteOptions.Propagation? = nil) {
        guard let type = storageType(storage) else { return }
        do {
            _ = try delete(type, namespace: namespace, name: name, options: DeleteContext(propagation: propagation))
        } catch {
            if error.code != 404 {
                logger.debug("controller delete failed", metadata: ["object": "\(storage) \(namespace ?? "")/\(name)",
                                                                     "error": "\(error.message)"])
            }
        }
    }

    /// Removes an object regardless of finalizers (the namespace and CRD controllers' last step).
    func forceRemove(_ storage: StorageID, namespace: String?, name: String) {
        for _ in 0..<Self.maximumAttempts {
            guard let current = store.get(storage, namespace: namespace, name: name) else { return }
            do {
                try store.commit(storage, namespace: namespace, name: name, expecting: .revision(current.resourceVersion), put: nil)
                return
            } catch {
                continue
            }
        }
    }

    /// PUT `namespaces/<name>/finalize`: replaces `spec.finalizers`; a terminating namespace without any is removed.
    func finalizeNamespace(name: String, body: JSONValue, request: WriteContext) throws(APIError) -> WriteResult {
        guard let type = registry.lookup(group: "", version: "v1", resource: "namespaces") else { throw APIError.pathNotFound }
        let finalizers = body[path: "spec", "finalizers"] ?? .array([])
        return try guaranteedUpdate(type, namespace: nil, name: name, request: request, pinned: false) { current throws(APIError) in
            var object = current.object
            object[path: "spec", "finalizers"] = finalizers
            if object == current.object { return .unchanged }
            if object[path: "metadata", "deletionTimestamp"] != nil,
               (finalizers.arrayValue ?? []).isEmpty,
               (object[path: "metadata", "finalizers"]?.arrayValue ?? []).isEmpty {
                return .remove(object)
            }
            return .put(object)
        }
    }
}
