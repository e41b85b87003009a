/// Kubernetes strategic merge patch (`application/strategic-merge-patch+json`), with the semantics of
/// `k8s.io/apimachinery/pkg/util/strategicpatch` as kube-apiserver and `kubectl patch` (v1.32) apply it.
///
/// - Objects merge key by key; `null` deletes a key.
/// - Lists whose field has `patchStrategy: merge` merge item by item: objects by their merge key (`containers` by
///   `name`, `ports` by `containerPort`, …), scalars by value (`finalizers`). Other lists are replaced.
/// - Directives: `$patch: replace | delete` in an object; `{"$patch": "delete", <key>: v}` and `{"$patch": "replace"}`
///   items in merged lists; `$retainKeys`; `$deleteFromPrimitiveList/<field>`; `$setElementOrder/<field>`.
/// - Item order: patch items first in patch (or `$setElementOrder`) order, interleaved with items only the
///   original has, which keep their relative order.
///
/// Like the Go library, values the original does not have are taken from the patch with `null`s and `$patch`
/// objects removed, but a new item appended to a merged list is taken as it is. Behaviour on fields the schema does
/// not know is lenient where the Go library (which looks fields up in Go structs) fails: unknown objects merge and
/// unknown lists are replaced.
public enum StrategicMergePatch {
    /// Applies `patch` to `original` with the patch strategies of `schema`.
    /// - Throws: `PatchError` with the Go library's wording when the patch or original is malformed for the schema
    ///   (not an object, a merge-list item without its merge key, an unknown `$patch` value, mixed item types…).
    public static func apply(_ patch: JSONValue, to original: JSONValue, schema: PatchSchema) throws(PatchError) -> JSONValue {
        let originalMembers: [String: JSONValue]
        switch original {
        case .object(let members): originalMembers = members
        case .null: originalMembers = [:]
        default: throw PatchError("invalid JSON document")
        }
        guard case .object(let patchMembers) = patch else { throw PatchError("invalid JSON document") }
        let merger = Merger()
        return .object(try merger.mergeMap(originalMembers, patchMembers, schema: schema.root, path: ""))
    }
}

enum Directive {
    static let marker = "$patch"
    static let delete: JSONValue = "delete"
    static let replace: JSONValue = "replace"
    static let merge: JSONValue = "merge"
    static let retainKeys = "$retainKeys"
    static let deleteFromPrimitiveList = "$deleteFromPrimitiveList"
    static let setElementOrder = "$setElementOrder"
}

/// The recursive merge. A struct so helpers share nothing but their arguments.
struct Merger {
    /// `mergeMap` of the Go library.
    func mergeMap(
        _ original: [String: JSONValue], _ patch: [String: JSONValue], schema: SchemaNode, path: String
    ) throws(PatchError) -> [String: JSONValue] {
        if let directive = patch[Directive.marker] {
            if directive == Directive.replace {
                var replaced = patch
                replaced[Directive.marker] = nil
                return replaced
            }
            if directive == Directive.delete { return [:] }
            throw PatchError("unknown patch type: \(GoFormat.value(directive)) in map: \(GoFormat.value(.object(patch)))", path: path)
        }
        var original = original
        var patch = patch
        try applyRetainKeys(&original, &patch, path: path)
        try mergeSetElementOrderLists(&original, &patch, schema: schema, path: path)

        // Go iterates the patch map in random order; deletion lists last gives the order-stable answer.
        let keys = patch.keys.sorted { a, b in
            let aDelete = a.hasPrefix(Directive.deleteFromPrimitiveList), bDelete = b.hasPrefix(Directive.deleteFromPrimitiveList)
            return aDelete == bDelete ? a < b : !aDelete
        }
        for patchKey in keys {
            guard let patchValue = patch[patchKey] else { continue }
            var key = patchKey
            var isDeleteList = false
            if patchKey.hasPrefix(Directive.deleteFromPrimitiveList) {
                key = try Self.extractKey(patchKey, prefix: Directive.deleteFromPrimitiveList, path: path)
                isDeleteList = true
            }
            let childPath = path.isEmpty ? key : "\(path).\(key)"
            if patchValue == .null {
                original[key] = nil
                continue
            }
            guard let originalValue = original[key], GoType(originalValue) == GoType(patchValue) else {
                if !isDeleteList {
                    original[key] = Self.removeDirectives(Self.discardNulls(patchValue))
                }
                continue
            }
            let field = schema.field(key)
            let child = schema.child(key)
            switch (originalValue, patchValue) {
            case (.object(let originalMembers), .object(let patchMembers)):
                if field?.strategy == .replace {
                    original[key] = patchValue
                } else {
                    original[key] = .object(try mergeMap(originalMembers, patchMembers, schema: child, path: childPath))
                }
            case (.array(let originalItems), .array(let patchItems)):
                original[key] = .array(try mergeSliceHandler(originalItems, patchItems, field: field, schema: child,
                                                             isDeleteList: isDeleteList, path: childPath))
            default:
                original[key] = Self.removeDirectives(patchValue)
            }
        }
        return original
    }

    /// `$retainKeys: [...]`: keys of the original not listed are cleared; every non-null key the patch sets must be listed.
    private func applyRetainKeys(_ original: inout [String: JSONValue], _ patch: inout [String: JSONValue], path: String) throws(PatchError) {
        guard let retain = patch.removeValue(forKey: Directive.retainKeys) else { return }
        guard case .array(let list) = retain else { throw PatchError("invalid patch format of retainKeys", path: path) }
        let retained = Set(list)
        for (key, value) in patch where value != .null && !key.hasPrefix(Directive.deleteFromPrimitiveList)
            && !key.hasPrefix(Directive.setElementOrder)
        {
            if !retained.contains(.string(key)) { throw PatchError("invalid patch format of retainKeys", path: path) }
        }
        original = original.filter { retained.contains(.string($0.key)) }
    }

    /// Handles `$setElementOrder/<field>` together with the patch's `<field>` list: merge, then order.
    private func mergeSetElementOrderLists(
        _ original: inout [String: JSONValue], _ patch: inout [String: JSONValue], schema: SchemaNode, path: String
    ) throws(PatchError) {
        for directiveKey in patch.keys.sorted() where directiveKey.hasPrefix(Directive.setElementOrder) {
            guard let orderValue = patch.removeValue(forKey: directiveKey) else { continue }
            guard case .array(let order) = orderValue else {
                throw PatchError(GoFormat.badArgType(expected: "[]interface {}", actual: orderValue), path: path)
            }
            let key = try Self.extractKey(directiveKey, prefix: Directive.setElementOrder, path: path)
            let childPath = path.isEmpty ? key : "\(path).\(key)"
            let originalList = try original[key].map { (value) throws(PatchError) in try Self.list(value, path: childPath) }
            let patchList = try patch[key].map { (value) throws(PatchError) in try Self.list(value, path: childPath) }
            let field = schema.field(key)
            let mergeKey = field?.mergeKey ?? ""
            try Self.validate(patchList: patchList ?? [], against: order, mergeKey: mergeKey, path: childPath)

            let merged: [JSONValue]
            switch (originalList, patchList) {
            case (let originalItems?, nil): merged = originalItems
            case (nil, let patchItems?): merged = patchItems
            case (let originalItems?, let patchItems?):
                merged = try mergeSliceHandler(originalItems, patchItems, field: field, schema: schema.child(key),
                                               isDeleteList: false, path: childPath)
            case (nil, nil): continue
            }
            let (patchItems, serverOnly) = try mergeKey.isEmpty
                ? Self.partitionScalars(merged, by: order)
                : Self.partitionMaps(merged, by: order, mergeKey: mergeKey, path: childPath)
            let kind = try Self.elementType(originalList ?? [], patchList ?? [], path: childPath)
            original[key] = .array(try Self.normalizeElementOrder(
                patch: patchItems, serverOnly: serverOnly, patchOrder: order, serverOrder: originalList ?? [],
                mergeKey: mergeKey, kind: kind, path: childPath))
            patch[key] = nil
        }
    }

    private func mergeSliceHandler(
        _ original: [JSONValue], _ patch: [JSONValue], field: SchemaField?, schema: SchemaNode, isDeleteList: Bool, path: String
    ) throws(PatchError) -> [JSONValue] {
        guard field?.strategy == .merge || isDeleteList else { return patch }
        var items = SchemaNode.untyped
        if case .list(let itemSchema, _) = schema { items = itemSchema }
        return try mergeSlice(original, patch, items: items, mergeKey: field?.mergeKey ?? "", isDeleteList: isDeleteList, path: path)
    }

    private func mergeSlice(
        _ original: [JSONValue], _ patch: [JSONValue], items: SchemaNode, mergeKey: String, isDeleteList: Bool, path: String
    ) throws(PatchError) -> [JSONValue] {
        if original.isEmpty && patch.isEmpty { return original }
        let kind = try Self.elementType(original, patch, path: path)
        var original = original
        var patch = patch
        let merged: [JSONValue]
        if kind != .map {
            if isDeleteList { return original.filter { !patch.contains($0) } }
            merged = Self.deduplicated(original + patch)
        } else {
            if mergeKey.isEmpty { throw PatchError("cannot merge lists without merge key for \(path)", path: path) }
            (original, patch) = try Self.applySpecialElements(original, patch, mergeKey: mergeKey, path: path)
            merged = try mergeItems(original, patch, mergeKey: mergeKey, items: items, path: path)
        }
        let (patchItems, serverOnly) = try mergeKey.isEmpty
            ? Self.partitionScalars(merged, by: patch)
            : Self.partitionMaps(merged, by: patch, mergeKey: mergeKey, path: path)
        return try Self.normalizeElementOrder(patch: patchItems, serverOnly: serverOnly, patchOrder: patch,
                                              serverOrder: original, mergeKey: mergeKey, kind: kind, path: path)
    }

    /// Merges patch items into original items with the same merge-key value; appends the others as they are.
    private func mergeItems(
        _ original: [JSONValue], _ patch: [JSONValue], mergeKey: String, items: SchemaNode, path: String
    ) throws(PatchError) -> [JSONValue] {
        var result = original
        for item in patch {
            guard case .object(let patchItem) = item, let keyValue = patchItem[mergeKey] else {
                throw PatchError(GoFormat.noMergeKey(item, mergeKey), path: path)
            }
            if let index = try Self.indexOfItem(in: result, mergeKey: mergeKey, value: keyValue, path: path),
               case .object(let originalItem) = result[index]
            {
                result[index] = .object(try mergeMap(originalItem, patchItem, schema: items, path: path))
            } else {
                result.append(item)
            }
        }
        return result
    }
}

// MARK: - Helpers without recursion into mergeMap

extension Merger {
    /// The Go type an unmarshalled JSON value has (`map[string]interface{}`, `[]interface{}`, `string`, `int64`, …).
    enum GoType: Equatable {
        case map, slice, string, int, float, bool, null

        init(_ value: JSONValue) {
            switch value {
            case .object: self = .map
            case .array: self = .slice
            case .string: self = .string
            case .int: self = .int
            case .double: self = .float
            case .bool: self = .bool
            case .null: self = .null
            }
        }
    }

    static func extractKey(_ key: String, prefix: String, path: String) throws(PatchError) -> String {
        let parts = key.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0] == prefix else {
            throw PatchError(prefix == Directive.setElementOrder ? "invalid patch format of setElementOrder list"
                : "invalid patch format of primitive list", path: path)
        }
        return String(parts[1])
    }

    static func list(_ value: JSONValue, path: String) throws(PatchError) -> [JSONValue] {
        guard case .array(let items) = value else {
            throw PatchError(GoFormat.badArgType(expected: "[]interface {}", actual: value), path: path)
        }
        return items
    }

    /// The common item type of the lists; lists of lists and mixed types are errors, as is having no items.
    static func elementType(_ lists: [JSONValue]..., path: String) throws(PatchError) -> GoType {
        var found: GoType?
        for list in lists {
            for item in list {
                let type = GoType(item)
                if type == .slice { throw PatchError("lists of lists are not supported", path: path) }
                if let found, found != type {
                    throw PatchError("list element types are not identical: \(GoFormat.value(.array(lists.map(JSONValue.array))))", path: path)
                }
                found = type
            }
        }
        guard let found else { throw PatchError("no elements in any of the given slices", path: path) }
        return found
    }

    static func discardNulls(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members): .object(members.filter { $0.value != .null }.mapValues(discardNulls))
        case .array(let items): .array(items.map(discardNulls))
        default: value
        }
    }

    /// Drops every object holding `$patch` (nil when `value` itself is one).
    static func removeDirectives(_ value: JSONValue) -> JSONValue? {
        switch value {
        case .object(let members):
            if members[Directive.marker] != nil { return nil }
            return .object(members.compactMapValues(removeDirectives))
        case .array(let items):
            return .array(items.compactMap(removeDirectives))
        default:
            return value
        }
    }

    /// Scalars without repeats, first occurrence kept.
    static func deduplicated(_ items: [JSONValue]) -> [JSONValue] {
        var seen = Set<JSONValue>()
        return items.filter { seen.insert($0).inserted }
    }

    static func indexOfItem(in items: [JSONValue], mergeKey: String, value: JSONValue, path: String) throws(PatchError) -> Int? {
        for (index, item) in items.enumerated() {
            guard case .object(let members) = item else { throw PatchError("value for key \(index) is not a map", path: path) }
            if members[mergeKey] == value { return index }
        }
        return nil
    }

    /// `$patch: delete` items remove matching originals; a `$patch: replace` item makes the patch list replace the original.
    static func applySpecialElements(
        _ original: [JSONValue], _ patch: [JSONValue], mergeKey: String, path: String
    ) throws(PatchError) -> ([JSONValue], [JSONValue]) {
        var original = original
        var plain: [JSONValue] = []
        var replace = false
        for item in patch {
            guard case .object(let members) = item, let directive = members[Directive.marker] else {
                plain.append(item)
                continue
            }
            switch directive {
            case Directive.delete:
                guard let keyValue = members[mergeKey] else { throw PatchError(GoFormat.noMergeKey(item, mergeKey), path: path) }
                while let index = try indexOfItem(in: original, mergeKey: mergeKey, value: keyValue, path: path) {
                    original.remove(at: index)
                }
            case Directive.replace:
                replace = true
            case Directive.merge:
                throw PatchError("merging lists cannot yet be specified in the patch", path: path)
            default:
                throw PatchError("unknown patch type: \(GoFormat.value(directive)) in map: \(GoFormat.value(item))", path: path)
            }
        }
        return replace ? (plain, []) : (original, plain)
    }

    static func validate(patchList: [JSONValue], against order: [JSONValue], mergeKey: String, path: String) throws(PatchError) {
        if order.isEmpty || patchList.isEmpty { return }
        var items = patchList
        if !mergeKey.isEmpty {
            items = []
            for item in patchList {
                guard case .object(let members) = item else {
                    throw PatchError(GoFormat.badArgType(expected: "map[string]interface {}", actual: item), path: path)
                }
                if members[Directive.marker] != Directive.delete { items.append(item) }
            }
        }
        var patchIndex = 0, orderIndex = 0
        while patchIndex < items.count && orderIndex < order.count {
            if case .object(let members) = items[patchIndex], members[Directive.marker] != nil {
                patchIndex += 1
                continue
            }
            if try mergeKeyValuesEqual(items[patchIndex], order[orderIndex], mergeKey: mergeKey, path: path) { patchIndex += 1 }
            orderIndex += 1
        }
        if patchIndex < items.count && orderIndex >= order.count {
            throw PatchError("The order in patch list:\n\(GoFormat.value(.array(patchList)))\n doesn't match $setElementOrder list:\n\(GoFormat.value(.array(order)))\n", path: path)
        }
    }

    static func mergeKeyValuesEqual(_ left: JSONValue, _ right: JSONValue, mergeKey: String, path: String) throws(PatchError) -> Bool {
        if mergeKey.isEmpty { return left == right }
        guard case .object(let l) = left else { throw PatchError(GoFormat.badArgType(expected: "map[string]interface {}", actual: left), path: path) }
        guard case .object(let r) = right else { throw PatchError(GoFormat.badArgType(expected: "map[string]interface {}", actual: right), path: path) }
        guard let lv = l[mergeKey] else { throw PatchError(GoFormat.noMergeKey(left, mergeKey), path: path) }
        guard let rv = r[mergeKey] else { throw PatchError(GoFormat.noMergeKey(right, mergeKey), path: path) }
        return lv == rv
    }

    static func partitionScalars(_ items: [JSONValue], by present: [JSONValue]) throws(PatchError) -> ([JSONValue], [JSONValue]) {
        let set = Set(present)
        return (items.filter { set.contains($0) }, items.filter { !set.contains($0) })
    }

    static func partitionMaps(
        _ items: [JSONValue], by present: [JSONValue], mergeKey: String, path: String
    ) throws(PatchError) -> ([JSONValue], [JSONValue]) {
        var inPatch: [JSONValue] = [], serverOnly: [JSONValue] = []
        for item in items {
            guard case .object(let members) = item else {
                throw PatchError(GoFormat.badArgType(expected: "map[string]interface {}", actual: item), path: path)
            }
            guard let keyValue = members[mergeKey] else { throw PatchError(GoFormat.noMergeKey(item, mergeKey), path: path) }
            if try indexOfItem(in: present, mergeKey: mergeKey, value: keyValue, path: path) != nil {
                inPatch.append(item)
            } else {
                serverOnly.append(item)
            }
        }
        return (inPatch, serverOnly)
    }

    /// Sorts patch items by `patchOrder` and server-only items by `serverOrder`, then interleaves them so both keep
    /// their relative order and server-only items stay where the live list had them.
    static func normalizeElementOrder(
        patch: [JSONValue], serverOnly: [JSONValue], patchOrder: [JSONValue], serverOrder: [JSONValue],
        mergeKey: String, kind: GoType, path: String
    ) throws(PatchError) -> [JSONValue] {
        let sortedPatch = try sortSlice(patch, by: patchOrder, mergeKey: mergeKey, kind: kind, path: path)
        let sortedServer = try sortSlice(serverOnly, by: serverOrder, mergeKey: mergeKey, kind: kind, path: path)
        var result: [JSONValue] = []
        result.reserveCapacity(sortedPatch.count + sortedServer.count)
        var i = 0, j = 0
        while i < sortedServer.count || j < sortedPatch.count {
            if i >= sortedServer.count {
                result.append(sortedPatch[j]); j += 1
            } else if j >= sortedPatch.count {
                result.append(sortedServer[i]); i += 1
            } else {
                let li = index(of: sortedServer[i], in: serverOrder, mergeKey: mergeKey, kind: kind)
                let ri = index(of: sortedPatch[j], in: serverOrder, mergeKey: mergeKey, kind: kind)
                if let li, let ri, li < ri {
                    result.append(sortedServer[i]); i += 1
                } else {
                    result.append(sortedPatch[j]); j += 1
                }
            }
        }
        return result
    }

    private static func sortSlice(
        _ items: [JSONValue], by order: [JSONValue], mergeKey: String, kind: GoType, path: String
    ) throws(PatchError) -> [JSONValue] {
        var items = items
        var toDelete: [JSONValue] = []
        if kind == .map {
            for item in items + order {
                guard case .object(let members) = item else {
                    throw PatchError(GoFormat.badArgType(expected: "map[string]interface {}", actual: item), path: path)
                }
                if members[mergeKey] == nil { throw PatchError(GoFormat.noMergeKey(item, mergeKey), path: path) }
            }
            toDelete = items.filter { $0[Directive.marker] == Directive.delete }
            items = items.filter { $0[Directive.marker] != Directive.delete }
        }
        let positions = items.map { index(of: $0, in: order, mergeKey: mergeKey, kind: kind) ?? Int.max }
        let sorted = items.indices.sorted { a, b in positions[a] != positions[b] ? positions[a] < positions[b] : a < b }
        return sorted.map { items[$0] } + toDelete
    }

    private static func index(of item: JSONValue, in list: [JSONValue], mergeKey: String, kind: GoType) -> Int? {
        if kind == .map {
            let keyValue = item[mergeKey]
            return list.firstIndex { $0[mergeKey] == keyValue }
        }
        return list.firstIndex(of: item)
    }
}
