/// RFC 7386 JSON merge patch (`application/merge-patch+json`), as `kubectl patch --type merge` and the API server
/// apply it: objects merge recursively, `null` deletes a member, everything else (arrays included) replaces.
public enum JSONMergePatch {
    /// Applies `patch` to `target`.
    ///
    /// A non-object patch replaces the target; an object patch turns a non-object target into `{}` first. Members
    /// set to `null` are removed, also inside objects the patch adds, so the result never holds a `null` that only
    /// the patch had.
    public static func apply(_ patch: JSONValue, to target: JSONValue) -> JSONValue {
        guard case .object(let patchMembers) = patch else { return patch }
        var result: [String: JSONValue]
        if case .object(let members) = target { result = members } else { result = [:] }
        for (key, value) in patchMembers {
            if value == .null {
                result[key] = nil
            } else {
                result[key] = apply(value, to: result[key] ?? .null)
            }
        }
        return .object(result)
    }

    /// The merge patch that turns `original` into `modified`: changed members, `null` for removed ones, nested
    /// objects diffed recursively, arrays and scalars replaced whole. Equal objects give `{}`.
    ///
    /// A `null` member of `modified` cannot be expressed (it would mean "delete"); it is emitted as `null`, which
    /// removes the member, the closest merge-patch equivalent.
    public static func create(from original: JSONValue, to modified: JSONValue) -> JSONValue {
        guard case .object(let old) = original, case .object(let new) = modified else { return modified }
        var patch: [String: JSONValue] = [:]
        for (key, newValue) in new {
            guard let oldValue = old[key] else {
                patch[key] = newValue
                continue
            }
            if oldValue == newValue { continue }
            if case .object = oldValue, case .object = newValue {
                patch[key] = create(from: oldValue, to: newValue)
            } else {
                patch[key] = newValue
            }
        }
        for key in old.keys where new[key] == nil {
            patch[key] = .null
        }
        return .object(patch)
    }
}
