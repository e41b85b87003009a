import GitOpsKit

/// The emulator's one entry point to patch formats and field management (GitOpsKit/Patch and
/// KubeEmulator/FieldManagement), with their errors mapped to the statuses kube-apiserver returns.
enum PatchEngine {
    static func mergePatch(_ patch: JSONValue, to target: JSONValue) -> JSONValue {
        JSONMergePatch.apply(patch, to: target)
    }

    /// RFC 6902; a failing operation is 422 as kube-apiserver reports it.
    static func jsonPatch(_ operations: JSONValue, to target: JSONValue) throws(APIError) -> JSONValue {
        guard case .array = operations else {
            throw APIError.badRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch")
        }
        do {
            return try JSONPatch.apply(operations, to: target)
        } catch {
            throw APIError(code: 422, reason: "Invalid", message: "the server rejected our request due to an error in our request",
                           details: APIError.Details(causes: [KubeError.Cause(field: nil, reason: "UnexpectedServerResponse",
                                                                              message: error.message)]))
        }
    }

    static func strategicMergePatch(_ patch: JSONValue, to target: JSONValue, kind: GroupVersionKind) throws(APIError) -> JSONValue {
        guard let schema = PatchSchema.builtIn(kind) else {
            return JSONMergePatch.apply(patch, to: target)
        }
        do {
            return try StrategicMergePatch.apply(patch, to: target, schema: schema)
        } catch {
            throw APIError.badRequest(error.message)
        }
    }

    /// The list types field ownership uses for a type: the CRD schema's, the built-in kind's, else none.
    static func listTypes(_ type: ResourceType) -> ListTypeSchema {
        if let custom = type.custom { return custom.schema?.listTypes ?? .deduced }
        return ListTypeSchema.builtIn(type.groupVersionKind) ?? .deduced
    }

    /// Server-side apply of `applied` by `manager` onto `live` (nil: create); conflicts are 409 with one
    /// `FieldManagerConflict` cause per field.
    static func apply(_ applied: JSONValue, to live: JSONValue?, manager: String, force: Bool, subresource: String?,
                      type: ResourceType, now: String) throws(APIError) -> JSONValue {
        do {
            return try FieldManager.apply(applied, to: live, manager: manager, force: force, subresource: subresource,
                                          listTypes: listTypes(type), now: now)
        } catch {
            let name = applied[path: "metadata", "name"]?.stringValue ?? ""
            return try { () throws(APIError) -> JSONValue in
                throw APIError(code: 409, reason: "Conflict", message: error.message,
                               details: APIError.Details(name: name, group: type.group, kind: type.resource, causes: error.causes))
            }()
        }
    }

    /// Managed-fields bookkeeping for a non-apply write.
    static func recordUpdate(old: JSONValue?, new: JSONValue, manager: String, subresource: String?, now: String,
                             type: ResourceType) -> JSONValue {
        FieldManager.recordUpdate(old: old, new: new, manager: manager, subresource: subresource, now: now,
                                  listTypes: listTypes(type))
    }
}
