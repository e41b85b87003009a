/// How the items of a list are identified, as `x-kubernetes-list-type` / `+listType` say.
public enum ListType: Sendable, Hashable {
    /// The list is one value: replaced and owned as a whole.
    case atomic
    /// Scalar items, each identified by its value (`v:` in managed fields).
    case set
    /// Object items identified by the values of `keys` (`k:{...}` in managed fields).
    case map(keys: [String])
}

/// How a strategic merge patch treats a field (the `patchStrategy` struct tag of built-in types).
public enum PatchStrategy: Sendable, Hashable {
    /// Lists merge item by item (by merge key, or by value for scalars); objects merge key by key.
    case merge
    /// The patch value replaces the field whole.
    case replace
}

/// The shape of a Kubernetes type as patching and field ownership need it: which values are structs, maps or
/// lists, how list items are identified and merged, and which parts are atomic.
///
/// Anything the schema does not describe is `.untyped` and handled the way the API server handles fields it has no
/// schema for ("deduced"): objects are merged and owned key by key, lists are replaced and owned whole.
public indirect enum SchemaNode: Sendable, Hashable {
    /// A struct with known fields; a field not listed is `.untyped`. `atomic` structs are replaced and owned whole.
    case object(fields: [String: SchemaField], atomic: Bool = false)
    /// A map from arbitrary keys to values of one type (labels, `data`, CRD `additionalProperties`).
    case map(values: SchemaNode, atomic: Bool)
    /// A list whose items have schema `items`.
    case list(items: SchemaNode, type: ListType)
    /// A string, number or boolean.
    case scalar
    /// No schema: deduced from the value.
    case untyped

    /// The schema of `name` inside this object or map: `.untyped` for unknown fields.
    public func child(_ name: String) -> SchemaNode {
        field(name)?.node ?? {
            if case .map(let values, _) = self { return values }
            return .untyped
        }()
    }

    /// The field declaration `name` of a struct, with its patch strategy and merge key.
    public func field(_ name: String) -> SchemaField? {
        if case .object(let fields, _) = self { return fields[name] }
        return nil
    }

    /// True for atomic structs and maps (replaced and owned whole) and atomic lists.
    public var isAtomic: Bool {
        switch self {
        case .object(_, let atomic), .map(_, let atomic): atomic
        case .list(_, let type): type == .atomic
        case .scalar, .untyped: false
        }
    }

    /// The same node marked atomic (a field-level `+structType=atomic`).
    public var asAtomic: SchemaNode {
        switch self {
        case .object(let fields, _): .object(fields: fields, atomic: true)
        case .map(let values, _): .map(values: values, atomic: true)
        case .list(let items, _): .list(items: items, type: .atomic)
        case .scalar, .untyped: self
        }
    }
}

/// One field of a struct: its schema plus its strategic-merge-patch tags.
public struct SchemaField: Sendable, Hashable {
    public var node: SchemaNode
    /// `patchStrategy`, without `retainKeys` (nil: objects merge, lists are replaced).
    public var strategy: PatchStrategy?
    /// `patchMergeKey`: the key that identifies items of a merged list of objects.
    public var mergeKey: String?
    /// `patchStrategy` includes `retainKeys` (only changes how patches are computed, not how they apply).
    public var retainKeys: Bool

    public init(_ node: SchemaNode, strategy: PatchStrategy? = nil, mergeKey: String? = nil, retainKeys: Bool = false) {
        self.node = node
        self.strategy = strategy
        self.mergeKey = mergeKey
        self.retainKeys = retainKeys
    }
}

/// The patch strategies and merge keys of one kind: what strategic merge patch needs.
public struct PatchSchema: Sendable, Hashable {
    public var root: SchemaNode

    public init(root: SchemaNode) { self.root = root }

    /// The schema of a built-in kind (from the `patchStrategy`/`patchMergeKey` tags of its Go types), or nil when
    /// `kind` is not built in (custom resources do not support strategic merge patch).
    public static func builtIn(_ kind: GroupVersionKind) -> PatchSchema? {
        SchemaNode.builtIn(group: kind.group, version: kind.version, kind: kind.kind).map(PatchSchema.init(root:))
    }

    /// The JSON of a built-in kind's Go zero value (`{"metadata":{"creationTimestamp":null},"spec":{…}}`): what
    /// kube-apiserver compares a created object against when it records field ownership. Nil when not built in.
    public static func builtInZeroObject(_ kind: GroupVersionKind) -> JSONValue? {
        BuiltInSchemaCatalog.kind(group: kind.group, version: kind.version, kind: kind.kind)?.zero
    }

    /// How list items are identified, for field ownership (server-side apply) of the same kind.
    public var listTypes: ListTypeSchema { ListTypeSchema(root: root) }
}

/// List types and atomic markers of one kind: what server-side apply needs to name fields (`k:{"name":"x"}`,
/// `v:"a"`) and to decide what is owned as a whole.
public struct ListTypeSchema: Sendable, Hashable {
    public var root: SchemaNode

    public init(root: SchemaNode) { self.root = root }

    /// The list types of a built-in kind (`+listType`/`+listMapKey` markers, else patch merge keys), or nil.
    public static func builtIn(_ kind: GroupVersionKind) -> ListTypeSchema? {
        PatchSchema.builtIn(kind)?.listTypes
    }

    /// No schema at all: every list atomic, every object granular (a CRD with `x-kubernetes-preserve-unknown-fields`
    /// at the root, or a kind the server knows nothing about).
    public static let deduced = ListTypeSchema(root: .untyped)
}
