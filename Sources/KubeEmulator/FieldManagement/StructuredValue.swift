import GitOpsKit

/// Server-side apply's operations on objects with a schema (structured-merge-diff `typed` package semantics):
/// the field set of a value, the comparison of two values, the merge of an applied configuration, and pruning.
///
/// Lists are identified item by item through `ListType` (`k:`/`v:` elements); atomic lists, atomic structs and
/// scalars are leaves. Values the schema does not describe are "deduced": objects granular, lists atomic.
enum StructuredValue {
    /// How a value is walked.
    enum Shape {
        case leaf
        case map(SchemaNode)
        case list(items: SchemaNode, keys: ListType)
    }

    static func shape(_ schema: SchemaNode, _ value: JSONValue) -> Shape {
        switch (schema, value) {
        case (.object(_, true), _), (.map(_, true), _), (.list(_, .atomic), _):
            return .leaf
        case (.object, .object), (.map, .object), (.untyped, .object):
            return .map(schema)
        case (.list(let items, let type), .array):
            return .list(items: items, keys: type)
        default:
            return .leaf
        }
    }

    static func isDeclaredField(_ schema: SchemaNode, _ name: String) -> Bool {
        schema.field(name) != nil
    }

    /// The path element of a list item: its key fields, its value, or (without identity) its index.
    /// A missing `protocol` key defaults to `"TCP"`, as the built-in schemas' defaults say.
    static func itemElement(_ item: JSONValue, keys: ListType, index: Int) -> PathElement {
        switch keys {
        case .map(let names) where !names.isEmpty:
            guard case .object(let members) = item else { return .index(index) }
            let fields = names.compactMap { name -> PathElement.KeyField? in
                if let value = members[name] { return PathElement.KeyField(name: name, value: value) }
                if name == "protocol" { return PathElement.KeyField(name: name, value: "TCP") }
                return nil
            }
            return .key(fields.sorted { $0.name < $1.name })
        case .set:
            switch item {
            case .object, .array: return .index(index)
            default: return .value(item)
            }
        default:
            return .index(index)
        }
    }

    // MARK: - Field set

    /// The paths a value sets: leaves, list items, and map entries that are empty, null or not struct fields.
    static func fieldSet(of value: JSONValue, schema: SchemaNode) -> FieldSet {
        var set = FieldSet()
        var path: FieldPath = []
        collect(value, schema: schema, path: &path, into: &set)
        return set
    }

    private static func collect(_ value: JSONValue, schema: SchemaNode, path: inout FieldPath, into set: inout FieldSet) {
        switch shape(schema, value) {
        case .leaf:
            if value != .null || path.isEmpty { set.insert(path) }
        case .map(let node):
            guard case .object(let members) = value else { return }
            for (key, child) in members {
                path.append(.field(key))
                collect(child, schema: node.child(key), path: &path, into: &set)
                let emptyObject = child.objectValue?.isEmpty ?? false
                if child == .null || emptyObject || !isDeclaredField(node, key) { set.insert(path) }
                path.removeLast()
            }
        case .list(let items, let keys):
            guard case .array(let elements) = value else { return }
            var seen = Set<PathElement>()
            var duplicates = Set<PathElement>()
            let pes = elements.enumerated().map { itemElement($1, keys: keys, index: $0) }
            for pe in pes where !seen.insert(pe).inserted && duplicates.insert(pe).inserted {
                set.insert(path + [pe])
            }
            for (element, pe) in zip(elements, pes) where !duplicates.contains(pe) {
                path.append(pe)
                collect(element, schema: items, path: &path, into: &set)
                set.insert(path)
                path.removeLast()
            }
        }
    }

    // MARK: - Compare

    /// What changed from `lhs` to `rhs`, as field paths.
    struct Comparison {
        var added = FieldSet()
        var modified = FieldSet()
        var removed = FieldSet()

        func filtered(_ filter: (FieldSet) -> FieldSet) -> Comparison {
            Comparison(added: filter(added), modified: filter(modified), removed: filter(removed))
        }
    }

    static func compare(_ lhs: JSONValue?, _ rhs: JSONValue?, schema: SchemaNode) -> Comparison {
        var comparison = Comparison()
        var path: FieldPath = []
        compare(lhs, rhs, schema: schema, path: &path, into: &comparison)
        return comparison
    }

    private static func compare(_ lhs: JSONValue?, _ rhs: JSONValue?, schema: SchemaNode, path: inout FieldPath,
                                into c: inout Comparison) {
        func leaf() {
            if lhs == nil {
                c.added.insert(path)
            } else if rhs == nil {
                c.removed.insert(path)
            } else if lhs != rhs {
                c.modified.insert(path)
            }
        }
        let present = rhs ?? lhs ?? .null
        var walkShape = shape(schema, present)
        if let lhs, let rhs, !sameKind(lhs, rhs) { walkShape = .leaf }
        switch walkShape {
        case .leaf:
            leaf()
            return
        case .map(let node):
            let l = lhs?.objectValue ?? [:], r = rhs?.objectValue ?? [:]
            if l.isEmpty && r.isEmpty {
                leaf()
                return
            }
            for key in Set(l.keys).union(r.keys) {
                path.append(.field(key))
                compare(l[key], r[key], schema: node.child(key), path: &path, into: &c)
                path.removeLast()
            }
        case .list(let items, let keys):
            let l = lhs?.arrayValue ?? [], r = rhs?.arrayValue ?? []
            if l.isEmpty && r.isEmpty {
                leaf()
                return
            }
            compareItems(l, r, items: items, keys: keys, path: &path, into: &c)
        }
        if lhs == nil {
            c.added.insert(path)
        } else if rhs == nil {
            c.removed.insert(path)
        }
    }

    private static func compareItems(_ l: [JSONValue], _ r: [JSONValue], items: SchemaNode, keys: ListType,
                                     path: inout FieldPath, into c: inout Comparison) {
        var order: [PathElement] = []
        var lValues: [PathElement: [JSONValue]] = [:], rValues: [PathElement: [JSONValue]] = [:]
        for (i, item) in l.enumerated() {
            let pe = itemElement(item, keys: keys, index: i)
            if lValues[pe] == nil { order.append(pe) }
            lValues[pe, default: []].append(item)
        }
        for (i, item) in r.enumerated() {
            let pe = itemElement(item, keys: keys, index: i)
            if rValues[pe] == nil && lValues[pe] == nil { order.append(pe) }
            rValues[pe, default: []].append(item)
        }
        for pe in order {
            let lList = lValues[pe] ?? [], rList = rValues[pe] ?? []
            path.append(pe)
            defer { path.removeLast() }
            switch (lList.count, rList.count) {
            case (0...1, 0...1):
                compare(lList.first, rList.first, schema: items, path: &path, into: &c)
            case (2..., 2...):
                if lList != rList { c.modified.insert(path) }
            case (2..., _):
                if let first = rList.first {
                    compare(nil, first, schema: items, path: &path, into: &c)
                }
                c.removed.insert(path)
            default:
                if let first = lList.first {
                    compare(first, nil, schema: items, path: &path, into: &c)
                }
                c.added.insert(path)
            }
        }
    }

    /// Whether two values can be walked together; `null` counts as an empty map or list, as in structured-merge-diff.
    private static func sameKind(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.object, .object), (.array, .array), (.null, _), (_, .null): true
        case (.object, _), (_, .object), (.array, _), (_, .array): false
        default: true
        }
    }

    // MARK: - Merge

    /// `lhs` with `rhs` merged in: rhs wins at leaves, maps merge key by key, associative lists item by item
    /// (rhs order for shared items, lhs-only items keep their place). Null leaves of `rhs` remove the field.
    static func merge(_ lhs: JSONValue?, _ rhs: JSONValue?, schema: SchemaNode) -> JSONValue? {
        guard let rhs else { return lhs }
        guard let lhs, sameKind(lhs, rhs) else { return rhs == .null ? nil : removingNulls(rhs) }
        switch shape(schema, rhs) {
        case .leaf:
            return rhs == .null ? nil : rhs
        case .map(let node):
            let l = lhs.objectValue ?? [:], r = rhs.objectValue ?? [:]
            if l.isEmpty && r.isEmpty { return rhs }
            var out: [String: JSONValue] = [:]
            for key in Set(l.keys).union(r.keys) {
                if let merged = merge(l[key], r[key], schema: node.child(key)) { out[key] = merged }
            }
            return out.isEmpty ? nil : .object(out)
        case .list(let items, let keys):
            let l = lhs.arrayValue ?? [], r = rhs.arrayValue ?? []
            if l.isEmpty && r.isEmpty { return rhs }
            let out = mergeItems(l, r, items: items, keys: keys)
            return out.isEmpty ? nil : .array(out)
        }
    }

    private static func removingNulls(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members): .object(members.filter { $0.value != .null }.mapValues(removingNulls))
        case .array(let items): .array(items.map(removingNulls))
        default: value
        }
    }

    private static func mergeItems(_ l: [JSONValue], _ r: [JSONValue], items: SchemaNode, keys: ListType) -> [JSONValue] {
        let rPEs = r.enumerated().map { itemElement($1, keys: keys, index: $0) }
        let lPEs = l.enumerated().map { itemElement($1, keys: keys, index: $0) }
        var observedR: [PathElement: JSONValue] = [:]
        var uniqueRPEs: [PathElement] = []
        var uniqueRItems: [JSONValue] = []
        for (pe, item) in zip(rPEs, r) where observedR[pe] == nil {
            observedR[pe] = item
            uniqueRPEs.append(pe)
            uniqueRItems.append(item)
        }
        var observedL: [PathElement: JSONValue] = [:]
        for (pe, item) in zip(lPEs, l) {
            observedL[pe] = observedL[pe] == nil ? item : .null  // a duplicate has no single value
        }
        var shared = uniqueRPEs.filter { observedL[$0] != nil }[...]
        var nextShared = shared.popFirst()
        var mergedR = Set<PathElement>()
        var out: [JSONValue] = []
        var li = 0, ri = 0
        while li < lPEs.count || ri < uniqueRPEs.count {
            if li < lPEs.count && ri < uniqueRPEs.count {
                let pe = lPEs[li]
                if pe == uniqueRPEs[ri] {
                    mergedR.insert(pe)
                    if let merged = merge(observedL[pe], observedR[pe], schema: items) { out.append(merged) }
                    li += 1
                    ri += 1
                    nextShared = shared.popFirst()
                    continue
                }
                if observedR[pe] != nil, let next = nextShared, next != pe {
                    li += 1
                    continue
                }
            }
            if li < lPEs.count {
                let pe = lPEs[li]
                if observedR[pe] == nil {
                    if let merged = merge(l[li], nil, schema: items) { out.append(merged) }
                    li += 1
                    continue
                } else if mergedR.contains(pe) {
                    li += 1
                }
            }
            if ri < uniqueRPEs.count {
                let pe = uniqueRPEs[ri]
                mergedR.insert(pe)
                if let merged = merge(observedL[pe], uniqueRItems[ri], schema: items) { out.append(merged) }
                ri += 1
                if nextShared == pe { nextShared = shared.popFirst() }
            }
        }
        return out
    }

    // MARK: - Prune

    /// Removes from `value` what the applier owned before (`last`) and no manager owns now (`keep`, which includes
    /// the applier's new set): the closed form of structured-merge-diff's prune + add-back steps. Fields nobody ever
    /// owned (defaults) stay, unless they sit under a removed field.
    static func prune(_ value: JSONValue, last: FieldSet, keep: FieldSet, schema: SchemaNode) -> JSONValue {
        switch (shape(schema, value), value) {
        case (.map(let node), .object(let members)):
            var out: [String: JSONValue] = [:]
            for (key, child) in members {
                let pe = PathElement.field(key)
                if last.hasMemberOrChild(pe) && !keep.hasMemberOrChild(pe) { continue }
                if let lastChild = last.children[pe] {
                    let pruned = prune(child, last: lastChild, keep: keep.child(pe), schema: node.child(key))
                    if isEmptyContainer(pruned) && !isEmptyContainer(child) { continue }
                    out[key] = pruned
                } else {
                    out[key] = child
                }
            }
            return .object(out)
        case (.list(let items, let keys), .array(let elements)):
            var out: [JSONValue] = []
            for (index, element) in elements.enumerated() {
                let pe = itemElement(element, keys: keys, index: index)
                if last.hasMemberOrChild(pe) && !keep.hasMemberOrChild(pe) { continue }
                if let lastChild = last.children[pe] {
                    let pruned = prune(element, last: lastChild, keep: keep.child(pe), schema: items)
                    if isEmptyContainer(pruned) && !isEmptyContainer(element) { continue }
                    out.append(pruned)
                } else {
                    out.append(element)
                }
            }
            return .array(out)
        default:
            return value
        }
    }

    private static func isEmptyContainer(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let members): members.isEmpty
        case .array(let items): items.isEmpty
        default: false
        }
    }
}
