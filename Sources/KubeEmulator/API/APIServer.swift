import GitOpsKit
import Logging
import Synchronization

/// The API semantics, independent of HTTP: reads and writes of objects with kube-apiserver's rules for metadata,
/// defaulting, validation, optimistic concurrency, finalizers and deletion. The HTTP layer and the built-in
/// controllers both call it.
final class APIServer: Sendable {
    let store: ObjectStore
    let registry: ResourceRegistry
    let configuration: KubeEmulatorConfiguration
    let logger: Logger
    let allocator = ServiceAllocator()

    /// Attempts of an optimistic read-compute-commit loop before giving up with a conflict.
    static let maximumAttempts = 16

    init(configuration: KubeEmulatorConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        store = ObjectStore(historyLimit: configuration.watchHistoryLimit)
        registry = ResourceRegistry()
    }

    /// The object or 404.
    func get(_ type: ResourceType, namespace: String?, name: String) throws(APIError) -> StoredObject {
        guard let stored = store.get(type.storage, namespace: type.namespaced ? namespace : nil, name: name) else {
            throw APIError.notFound(resource: type.resource, group: type.group, name: name)
        }
        return stored
    }

    /// The type to use for objects of a storage (its storage version, else any served version).
    func storageType(_ storage: StorageID) -> ResourceType? {
        let types = registry.types(for: storage)
        return types.first { $0.version == $0.storageVersion && $0.group == storage.group } ?? types.first
    }

    func notFound(_ type: ResourceType, _ name: String) -> APIError {
        APIError.notFound(resource: type.resource, group: type.group, name: name)
    }

    // MARK: Shared steps

    static let objectMetaFields: Set<String> = [
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers",
        "managedFields",
    ]

    /// Checks that a body is an object of `type` (filling in a missing apiVersion/kind) and converts it to the
    /// storage version.
    func decodeBody(_ body: JSONValue, as type: ResourceType) throws(APIError) -> JSONValue {
        guard case .object = body else {
            throw APIError.badRequest("the body of the request was not a JSON object")
        }
        var object = body
        if let apiVersion = object["apiVersion"]?.stringValue, !apiVersion.isEmpty, apiVersion != type.apiVersion {
            throw APIError.badRequest(
                "the API version in the data (\(apiVersion)) does not match the expected API version (\(type.apiVersion))")
        }
        if let kind = object["kind"]?.stringValue, !kind.isEmpty, kind != type.kind {
            throw APIError.badRequest("the kind in the data (\(kind)) does not match the expected kind (\(type.kind))")
        }
        object["apiVersion"] = .string(type.apiVersion)
        object["kind"] = .string(type.kind)
        if object["metadata"] == nil || object["metadata"] == .null { object["metadata"] = .object([:]) }
        guard case .object(var metadata) = object["metadata"] ?? .null else {
            throw APIError.badRequest("metadata must be an object")
        }
        for key in metadata.keys where !Self.objectMetaFields.contains(key) { metadata[key] = nil }
        for key in ["labels", "annotations"] where metadata[key] == .null { metadata[key] = nil }
        object["metadata"] = .object(metadata)
        return Conversion.toStorage(type, object)
    }

    /// Prunes, defaults and validates a custom resource by its CRD schema, or defaults a built-in kind.
    func applySchema(_ type: ResourceType, _ object: inout JSONValue, request: WriteContext,
                     warnings: inout [String]) throws(APIError) {
        guard let custom = type.custom else {
            let kind = GroupVersionKind(group: type.storage.group, version: type.storageVersion, kind: type.kind)
            let unknown = BuiltInFieldCheck.unknownFields(object, kind: kind)
            if !unknown.isEmpty {
                try report(unknown, type, request: request, warnings: &warnings)
                object = BuiltInFieldCheck.pruned(object, kind: kind)
            }
            BuiltInDefaults.apply(type, to: &object)
            return
        }
        guard let schema = custom.schema else { return }
        let pruned = schema.pruned(object)
        if pruned != object {
            try report(UnknownFields.paths(in: object, keptIn: pruned), type, request: request, warnings: &warnings)
        }
        object = schema.defaulted(pruned)
    }

    /// Unknown fields: refused with `fieldValidation=Strict`, warned about with `Warn`, silently dropped otherwise.
    private func report(_ unknown: [String], _ type: ResourceType, request: WriteContext,
                        warnings: inout [String]) throws(APIError) {
        guard !unknown.isEmpty else { return }
        switch request.fieldValidation {
        case .strict:
            let list = unknown.map { "unknown field \"\($0)\"" }.joined(separator: ", ")
            throw APIError.badRequest(
                "\(type.kind) in version \"\(type.version)\" cannot be handled as a \(type.kind): strict decoding error: \(list)")
        case .warn:
            warnings += unknown.map { "unknown field \"\($0)\"" }
        case .ignore:
            break
        }
    }

    /// Validation of the final object: metadata, built-in rules and CRD schemas.
    func validate(_ type: ResourceType, _ object: JSONValue, old: JSONValue?) throws(APIError) {
        var causes = ObjectValidation.validateMetadata(type, object, old: old).map(\.cause)
        causes += ObjectValidation.validate(type, object, old: old).map(\.cause)
        if let schema = type.custom?.schema {
            causes += schema.validate(object)
        }
        if !causes.isEmpty {
            throw APIError.invalid(kind: type.kind, group: type.group,
                                   name: object[path: "metadata", "name"]?.stringValue ?? "", causes: causes)
        }
    }

    /// Everything except metadata and status: what `generation` tracks.
    static func specPart(_ object: JSONValue) -> JSONValue {
        guard case .object(var members) = object else { return object }
        members["metadata"] = nil
        members["status"] = nil
        return .object(members)
    }

    /// The object without what changes on every write, to detect no-op writes.
    static func comparable(_ object: JSONValue) -> JSONValue {
        var out = object
        out[path: "metadata", "resourceVersion"] = nil
        if let fields = out[path: "metadata", "managedFields"]?.arrayValue {
            out[path: "metadata", "managedFields"] = .array(fields.map { entry in
                var entry = entry
                entry["time"] = nil
                return entry
            })
        }
        return out
    }

    func mapConflict(_ conflict: StoreConflict, _ type: ResourceType, name: String) -> APIError {
        switch conflict {
        case .stale: return APIError.staleResourceVersion(resource: type.resource, group: type.group, name: name)
        case .alreadyExists: return APIError.alreadyExists(resource: type.resource, group: type.group, name: name)
        case .namespaceMissing(let namespace): return APIError.notFound(resource: "namespaces", group: "", name: namespace)
        case .namespaceTerminating(let namespace):
            return APIError.forbidden(
                resource: type.resource, group: type.group, name: name,
                detail: "unable to create new content in namespace \(namespace) because it is being terminated",
                causes: [KubeError.Cause(field: "metadata.namespace", reason: "NamespaceTerminating",
                                         message: "namespace \(namespace) is being terminated")])
        case .tooOld(let requested, let oldest):
            return APIError.gone("too old resource version: \(requested) (\(oldest))")
        }
    }
}
