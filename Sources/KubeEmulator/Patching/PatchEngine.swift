import GitOpsKit

/// The emulator's one entry point to patch formats and field management (implemented in GitOpsKit/Patch and
/// KubeEmulator/FieldManagement by the patch engines; errors mapped to API statuses here).
enum PatchEngine {
    static func mergePatch(_ patch: JSONValue, to target: JSONValue) -> JSONValue {
        guard case .object(let patchMembers) = patch else { return patch }
        var result: [String: JSONValue] = target.objectValue ?? [:]
        for (key, value) in patchMembers {
            if value == .null {
                result[key] = nil
            } else {
                result[key] = mergePatch(value, to: result[key] ?? .null)
            }
        }
        return .object(result)
    }

    static func jsonPatch(_ operations: JSONValue, to target: JSONValue) throws(APIError) -> JSONValue {
        throw APIError.unsupportedMediaType(accepted: ["application/merge-patch+json"])
    }

    static func strategicMergePatch(_ patch: JSONValue, to target: JSONValue, kind: GroupVersionKind) throws(APIError) -> JSONValue {
        mergePatch(patch, to: target)
    }

    /// Server-side apply of `applied` by `manager` onto `live` (nil: create).
    static func apply(_ applied: JSONValue, to live: JSONValue?, manager: String, force: Bool, subresource: String?,
                      type: ResourceType, now: String) throws(APIError) -> JSONValue {
        guard let live else { return applied }
        return mergeApplied(applied, onto: live)
    }

    private static func mergeApplied(_ applied: JSONValue, onto live: JSONValue) -> JSONValue {
        guard case .object(let appliedMembers) = applied, case .object(var liveMembers) = live else { return applied }
        for (key, value) in appliedMembers {
            liveMembers[key] = liveMembers[key].map { mergeApplied(value, onto: $0) } ?? value
        }
        return .object(liveMembers)
    }

    /// Managed-fields bookkeeping for a non-apply write.
    static func recordUpdate(old: JSONValue?, new: JSONValue, manager: String, subresource: String?, now: String) -> JSONValue {
        new
    }
}
