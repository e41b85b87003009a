/// Writes an object's `status` through the `status` subresource with a JSON merge patch, and only when it changed.
///
/// Level-triggered reconcilers recompute the whole status every time; skipping identical writes keeps the API
/// server (and every watcher of the kind) quiet when nothing happened.
public struct StatusWriter: Sendable {
    private let api: any KubernetesAPI
    private let fieldManager: String?

    public init(api: any KubernetesAPI, fieldManager: String? = nil) {
        self.api = api
        self.fieldManager = fieldManager
    }

    /// Patches `object`'s status to `status` if it differs from `object["status"]`.
    /// - Returns: the object as the server returned it, or `object` unchanged when no write was needed.
    @discardableResult
    public func write(_ status: JSONValue, for object: JSONValue) async throws(KubeError) -> JSONValue {
        let current = object["status"] ?? .object([:])
        guard current != status else { return object }
        guard let kind = GroupVersionKind(of: object), let key = ObjectKey(of: object) else {
            throw KubeError(code: .invalid, message: "cannot write status: object has no apiVersion, kind or metadata.name")
        }
        let patch: JSONValue = ["status": Self.mergePatch(from: current, to: status)]
        return try await api.patch(kind, key, patch: patch, type: .merge, subresource: "status",
                                   options: WriteOptions(fieldManager: fieldManager))
    }

    /// The RFC 7386 merge patch that turns `old` into `new`: changed members, `null` for removed ones; arrays and
    /// non-objects are replaced whole.
    public static func mergePatch(from old: JSONValue, to new: JSONValue) -> JSONValue {
        guard case .object(let oldMembers) = old, case .object(let newMembers) = new else { return new }
        var patch: [String: JSONValue] = [:]
        for (key, value) in newMembers {
            guard let previous = oldMembers[key] else {
                patch[key] = value
                continue
            }
            if previous == value { continue }
            if case .object = previous, case .object = value {
                patch[key] = mergePatch(from: previous, to: value)
            } else {
                patch[key] = value
            }
        }
        for key in oldMembers.keys where newMembers[key] == nil {
            patch[key] = .null
        }
        return .object(patch)
    }
}
