import GitOpsKit

/// Where a transformer acts inside objects of some kinds: a `/`-separated path (`\/` escapes a slash in a key,
/// `name[]` marks a list) and whether missing fields are created (kustomize's `types.FieldSpec`).
struct FieldSpec: Sendable, Hashable {
    var gvk: FieldSpecGVK
    var path: String
    var create: Bool

    init(gvk: FieldSpecGVK = FieldSpecGVK(), path: String, create: Bool = false) {
        self.gvk = gvk
        self.path = path
        self.create = create
    }

    init(_ kind: String, _ path: String, group: String = "", version: String = "", create: Bool = false) {
        self.init(gvk: FieldSpecGVK(group: group, version: version, kind: kind), path: path, create: create)
    }

    /// Path segments with `\/` unescaped.
    var segments: [String] {
        var result: [String] = []
        var current = ""
        var escaped = false
        for ch in path {
            if escaped {
                current.append(ch)
                escaped = false
            } else if ch == "\\" {
                escaped = true
            } else if ch == "/" {
                result.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        result.append(current)
        return result
    }

    /// Whether the spec applies to an object of this apiVersion and kind (fieldspec's `isMatchGVK`).
    func applies(toAPIVersion apiVersion: String, kind: String) -> Bool {
        if !gvk.kind.isEmpty, gvk.kind != kind { return false }
        let (group, version) = ResourceID.splitAPIVersion(apiVersion)
        if !gvk.group.isEmpty, gvk.group != group { return false }
        if !gvk.version.isEmpty, gvk.version != version { return false }
        return true
    }
}

/// What a field-spec walk creates for a missing last field.
enum CreateKind {
    case map
    case scalar
}

/// Walks a field spec's path through an object, descending into every list element it meets, and hands each
/// value found at the end to a visitor (kustomize's `fieldspec.Filter`).
enum FieldSpecWalker {
    typealias Visitor = (inout JSONValue) throws(KustomizeError) -> Void

    static func apply(_ spec: FieldSpec, to object: inout JSONValue, createKind: CreateKind?,
                      visit: Visitor) throws(KustomizeError) {
        let apiVersion = object["apiVersion"]?.stringValue ?? ""
        let kind = object["kind"]?.stringValue ?? ""
        guard spec.applies(toAPIVersion: apiVersion, kind: kind) else { return }
        let segments = spec.segments
        do {
            try walk(&object, segments[...], create: spec.create ? createKind : nil, visit: visit)
        } catch {
            throw error.prefixed("considering field '\(spec.path)' of object \(kind) \(object[path: "metadata", "name"]?.stringValue ?? "")")
        }
    }

    private static func walk(_ value: inout JSONValue, _ path: ArraySlice<String>, create: CreateKind?,
                             visit: Visitor) throws(KustomizeError) {
        guard let first = path.first else {
            try visit(&value)
            return
        }
        switch value {
        case .null:
            return
        case .array(var items):
            value = .null  // release the reference so elements mutate in place
            for index in items.indices { try walk(&items[index], path, create: create, visit: visit) }
            value = .array(items)
        case .object(var members):
            let isSequence = first.hasSuffix("[]")
            let name = isSequence ? String(first.dropLast(2)) : first
            guard !name.isEmpty else { throw KustomizeError("cannot set or create an empty field name") }
            var field = members[name]
            if field == nil || field == .null {
                guard let create, !isSequence else { return }
                field = path.count <= 1 ? (create == .map ? .object([:]) : .string("")) : .object([:])
            }
            guard var child = field else { return }
            value = .null
            members[name] = nil
            try walk(&child, path.dropFirst(), create: create, visit: visit)
            members[name] = child
            value = .object(members)
        default:
            throw KustomizeError("expected sequence or mapping node")
        }
    }
}
