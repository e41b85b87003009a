import GitOpsKit

/// A server-side apply that changes fields other managers own, without `force`: kube-apiserver answers 409 with
/// one `FieldManagerConflict` cause per field.
public struct ApplyConflictError: Error, Sendable, CustomStringConvertible {
    /// Each conflicting field: the manager that owns it (as kube-apiserver prints it, e.g. `"kubectl" using apps/v1`)
    /// and its path (`.spec.replicas`).
    public var conflicts: [(manager: String, field: String)]
    /// `Apply failed with 1 conflict: conflict with "kubectl" using apps/v1: .spec.replicas`
    public var message: String

    public init(conflicts: [(manager: String, field: String)], message: String) {
        self.conflicts = conflicts
        self.message = message
    }

    /// The `status.details.causes` of the 409 response.
    public var causes: [KubeError.Cause] {
        conflicts.map { KubeError.Cause(field: $0.field, reason: "FieldManagerConflict", message: "conflict with \($0.manager)") }
    }

    public var description: String { message }

    /// The `metav1.Status` error the API server returns (409 Conflict).
    public var kubeError: KubeError {
        KubeError(code: .conflict, httpStatus: 409, reason: "Conflict", message: message, causes: causes)
    }
}

/// Field ownership as kube-apiserver tracks it in `metadata.managedFields` (structured-merge-diff, `FieldsV1`).
///
/// `apply` is server-side apply; `recordUpdate` is the bookkeeping of every other write. Both expect the object
/// the write produces, before the API server's defaulting and validation (callers default afterwards, as
/// kube-apiserver does). Fields under `status` belong to the `status` subresource: writes to the main resource
/// do not own them, writes to `status` own nothing else.
public enum FieldManager {
    /// Update managers beyond this many are merged into `ancient-changes`, as in kube-apiserver.
    static let maxUpdateManagers = 10

    /// Paths never recorded for the writing manager.
    static let strippedPaths = FieldSet(paths: [
        [.field("apiVersion")], [.field("kind")], [.field("metadata")],
        [.field("metadata"), .field("name")], [.field("metadata"), .field("namespace")],
        [.field("metadata"), .field("creationTimestamp")], [.field("metadata"), .field("selfLink")],
        [.field("metadata"), .field("uid")], [.field("metadata"), .field("clusterName")],
        [.field("metadata"), .field("generation")], [.field("metadata"), .field("managedFields")],
        [.field("metadata"), .field("resourceVersion")],
    ])

    /// Server-side apply of `applied` (the manager's whole intent) onto `live` (nil = create). Returns the new object
    /// with updated `metadata.managedFields`.
    ///
    /// Fields this manager applied before but no longer applies are removed unless another manager owns them.
    /// Different values in fields owned by other managers are conflicts unless `force` (force moves ownership);
    /// equal values become shared ownership. A live object without managed fields first has all its fields
    /// attributed to `before-first-apply`, as kube-apiserver does. `applied` must not carry
    /// `metadata.managedFields` (kube-apiserver rejects it with 400; callers check); it is ignored here.
    /// - Parameter now: the RFC 3339 time recorded for the manager when the object changes.
    public static func apply(
        _ applied: JSONValue, to live: JSONValue?, manager: String, force: Bool,
        subresource: String?, listTypes: ListTypeSchema, now: String
    ) throws(ApplyConflictError) -> JSONValue {
        let schema = listTypes.root
        let version = applied["apiVersion"]?.stringValue ?? ""
        let filter = IgnoreFilter(subresource: subresource)
        var config = applied
        config[path: "metadata", "managedFields"] = nil
        let liveObject = live.map(withoutManagedFields) ?? .object([:])
        var managed = live.flatMap { try? ManagedFields(decoding: $0) } ?? ManagedFields()

        if let live, managed.isEmpty {
            let beforeFirstApply = ManagerID.update("before-first-apply", apiVersion: version, subresource: subresource)
            managed = update(managed, from: skeleton(for: live, schema: schema), to: liveObject, id: beforeFirstApply,
                             apiVersion: version, schema: schema, filter: filter, now: now)
        }

        let id = ManagerID.apply(manager, subresource: subresource)
        var merged = StructuredValue.merge(liveObject, config, schema: schema) ?? .object([:])
        let lastSet = managed.entries[id]?.set
        let appliedSet = filter.apply(StructuredValue.fieldSet(of: config, schema: schema))
        managed.entries[id] = ManagedEntry(set: appliedSet, apiVersion: version, applied: true, time: managed.entries[id]?.time)
        if let lastSet, !lastSet.isEmpty {
            let keep = managed.entries.values.reduce(FieldSet()) { $0.union($1.set) }
            merged = StructuredValue.prune(merged, last: lastSet, keep: keep, schema: schema)
        }

        let comparison = StructuredValue.compare(liveObject, merged, schema: schema).filtered(filter.apply)
        let changed = comparison.modified.union(comparison.added)
        var conflicts: [(ManagerID, FieldSet)] = []
        for (other, entry) in managed.entries where other != id {
            let conflict = entry.set.intersection(changed)
            if !conflict.isEmpty { conflicts.append((other, conflict)) }
        }
        if !force && !conflicts.isEmpty { throw conflictError(conflicts) }
        for (other, conflict) in conflicts {
            if let set = managed.entries[other]?.set { managed.entries[other]?.set = set.subtracting(conflict) }
        }
        removeFromOthers(comparison.removed, except: id, in: &managed)

        if var entry = managed.entries[id] {
            entry.set = entry.set.subtracting(strippedPaths)
            let objectChanged = merged != liveObject
            if objectChanged { entry.time = now }
            managed.entries[id] = entry.set.isEmpty ? nil : entry
        }
        var result = merged != liveObject ? merged : liveObject
        managed.encode(into: &result)
        return result
    }

    /// Bookkeeping for a non-apply write (create/update/patch, operation "Update") by `manager`: changed fields
    /// become owned by it and leave other managers' sets.
    ///
    /// As in kube-apiserver: `managedFields` sent with the write replace the stored ones (an empty list clears them);
    /// an existing object without managed fields stays untracked; at most ten Update managers are kept, older ones
    /// merge into `ancient-changes`. Pass the kind's `listTypes` so list items are owned one by one (the default
    /// owns lists whole, as for schemaless objects).
    public static func recordUpdate(
        old: JSONValue?, new: JSONValue, manager: String, subresource: String?, now: String,
        listTypes: ListTypeSchema = .deduced
    ) -> JSONValue {
        let schema = listTypes.root
        var result = withoutManagedFields(new)
        let requested = new[path: "metadata", "managedFields"]
        var managed: ManagedFields
        if subresource != nil && subresource != "" {
            managed = old.flatMap { try? ManagedFields(decoding: $0) } ?? ManagedFields()
        } else if let requested, requested == .array([]) || requested == .array([.object([:])]) {
            managed = ManagedFields()
        } else if let decoded = try? ManagedFields(decoding: new), !decoded.isEmpty {
            managed = decoded
        } else {
            managed = old.flatMap { try? ManagedFields(decoding: $0) } ?? ManagedFields()
        }
        if old != nil && managed.isEmpty { return result }

        let version = new["apiVersion"]?.stringValue ?? ""
        let id = ManagerID.update(manager.isEmpty ? "unknown" : manager, apiVersion: version, subresource: subresource)
        let live = old.map(withoutManagedFields) ?? skeleton(for: new, schema: schema)
        managed = update(managed, from: live, to: result, id: id, apiVersion: version, schema: schema,
                         filter: IgnoreFilter(subresource: subresource), now: now)
        capUpdateManagers(&managed)
        managed.encode(into: &result)
        return result
    }

    // MARK: - Internals

    /// The ownership bookkeeping of an Update by `id` (structured-merge-diff `Updater.Update` through
    /// kube-apiserver's "current-operation" step).
    static func update(
        _ managed: ManagedFields, from live: JSONValue, to new: JSONValue, id: ManagerID, apiVersion: String,
        schema: SchemaNode, filter: IgnoreFilter, now: String
    ) -> ManagedFields {
        var managed = managed
        let comparison = StructuredValue.compare(live, new, schema: schema).filtered(filter.apply)
        let changed = comparison.modified.union(comparison.added)
        for other in Array(managed.entries.keys) {
            guard let entry = managed.entries[other] else { continue }
            let remaining = entry.set.subtracting(entry.set.intersection(changed)).subtracting(comparison.removed)
            managed.entries[other]?.set = remaining
            if remaining.isEmpty { managed.entries[other] = nil }
        }
        let current = filter.apply(changed).subtracting(strippedPaths)
        if !current.isEmpty {
            let previous = managed.entries[id]?.set ?? FieldSet()
            managed.entries[id] = ManagedEntry(set: previous.union(current), apiVersion: apiVersion, applied: false, time: now)
        }
        return managed
    }

    /// Takes removed fields from every manager but `id`, then drops managers left with nothing.
    private static func removeFromOthers(_ removed: FieldSet, except id: ManagerID, in managed: inout ManagedFields) {
        for other in Array(managed.entries.keys) where other != id {
            if let set = managed.entries[other]?.set { managed.entries[other]?.set = set.subtracting(removed) }
        }
        for other in Array(managed.entries.keys) where other != id && managed.entries[other]?.set.isEmpty == true {
            managed.entries[other] = nil
        }
    }

    static func conflictError(_ conflicts: [(ManagerID, FieldSet)]) -> ApplyConflictError {
        let ordered = conflicts.sorted { $0.0 < $1.0 }
        var list: [(manager: String, field: String)] = []
        for (id, set) in ordered {
            for path in set.paths { list.append((id.printed, path.pathString)) }
        }
        let message: String
        if list.count == 1 {
            message = "Apply failed with 1 conflict: conflict with \(list[0].manager): \(list[0].field)"
        } else {
            var lines: [String] = []
            for (id, set) in ordered {
                lines.append("conflicts with \(id.printed):")
                lines.append(contentsOf: set.paths.map { "- \($0.pathString)" })
            }
            message = "Apply failed with \(list.count) conflicts: " + lines.joined(separator: "\n")
        }
        return ApplyConflictError(conflicts: list, message: message)
    }

    /// Keeps at most `maxUpdateManagers` Update managers; the oldest merge into `ancient-changes` per apiVersion.
    static func capUpdateManagers(_ managed: inout ManagedFields) {
        var updaters = managed.entries.filter { !$0.value.applied }.map(\.key)
        guard updaters.count > maxUpdateManagers else { return }
        updaters.sort { a, b in
            let ta = managed.entries[a]?.time ?? "", tb = managed.entries[b]?.time ?? ""
            return ta != tb ? ta < tb : a.identifier < b.identifier
        }
        var length = updaters.count
        var firstByVersion: [String: ManagerID] = [:]
        for manager in updaters where length > maxUpdateManagers {
            guard let entry = managed.entries[manager] else { continue }
            let bucket = ManagerID.update("ancient-changes", apiVersion: entry.apiVersion, subresource: nil)
            if let first = firstByVersion[entry.apiVersion] {
                if managed.entries[bucket] == nil, let firstEntry = managed.entries.removeValue(forKey: first) {
                    managed.entries[bucket] = firstEntry
                }
                let bucketSet = managed.entries[bucket]?.set ?? FieldSet()
                managed.entries[bucket] = ManagedEntry(set: entry.set.union(bucketSet), apiVersion: entry.apiVersion,
                                                       applied: false, time: entry.time)
                managed.entries[manager] = nil
                length -= 1
            } else {
                firstByVersion[entry.apiVersion] = manager
            }
        }
    }

    static func withoutManagedFields(_ object: JSONValue) -> JSONValue {
        var copy = object
        if copy[path: "metadata", "managedFields"] != nil { copy[path: "metadata", "managedFields"] = nil }
        return copy
    }

    /// The "empty object" the API server compares a create against: the kind's typed zero value for built-in
    /// kinds (so `spec`, `strategy`, pod templates… are not reported as added), nothing for custom resources.
    static func skeleton(for object: JSONValue, schema: SchemaNode) -> JSONValue {
        guard let kind = GroupVersionKind(of: object), let zero = PatchSchema.builtInZeroObject(kind) else { return .object([:]) }
        return zero
    }
}

/// Fields a write cannot own: `status` for the main resource; everything but `status` for the status subresource.
struct IgnoreFilter {
    var statusOnly: Bool

    init(subresource: String?) { statusOnly = subresource == "status" }

    func apply(_ set: FieldSet) -> FieldSet {
        let status = PathElement.field("status")
        if statusOnly {
            var kept = FieldSet(members: set.members.intersection([status]))
            if let child = set.children[status] { kept.children[status] = child }
            return kept
        }
        return set.recursivelySubtracting(FieldSet(members: [status]))
    }
}
