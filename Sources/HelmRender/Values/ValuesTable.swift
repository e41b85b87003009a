import GoTemplate

/// A Go `map[string]interface{}` in Helm's values code: a reference, not a value.
///
/// Helm's coalescing and `import-values` update tables in place and sometimes store the same table in two places
/// (a shallow copy of a global table, an imported child table), so an update through one path shows through the
/// other. Matching `helm template` output means keeping those semantics, so the algorithms run over this reference
/// model and convert back to ``TemplateValue`` at the end. It never leaves the function that built it.
final class ValuesTable {
    var entries: [String: ValuesNode]

    init(_ entries: [String: ValuesNode] = [:]) {
        self.entries = entries
    }

    /// A deep copy of a values map (Go's `copystructure.Copy`).
    convenience init(copying members: [String: TemplateValue]) {
        self.init(members.mapValues(ValuesNode.init(copying:)))
    }

    subscript(key: String) -> ValuesNode? {
        get { entries[key] }
        set { entries[key] = newValue }
    }

    /// Keys in sorted order: Go iterates maps randomly, sorting makes warnings come out the same every run.
    var sortedKeys: [String] { entries.keys.sorted() }

    /// A shallow copy (Helm's `copyMap`): nested tables are shared.
    func shallowCopy() -> ValuesTable { ValuesTable(entries) }

    /// A deep copy.
    func deepCopy() -> ValuesTable { ValuesTable(copying: members) }

    /// The plain value tree (shared tables appear wherever they are referenced).
    var members: [String: TemplateValue] { entries.mapValues(\.templateValue) }

    /// Helm's `Values.Table`: the table at a dotted path, or `ErrNoTable`'s message for the first missing segment.
    func table(at path: String) -> Result<ValuesTable, ValuesLookupFailure> {
        var table = self
        for segment in path.split(separator: ".", omittingEmptySubsequences: false) {
            guard case .table(let inner)? = table[String(segment)] else {
                return .failure(ValuesLookupFailure("\(StrvalsText.quote(String(segment))) is not a table"))
            }
            table = inner
        }
        return .success(table)
    }

    /// Helm's `Values.PathValue`: the non-table value at a dotted path, or `nil` (`ErrNoValue`).
    func pathValue(_ path: String) -> TemplateValue? {
        var segments = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let key = segments.popLast() else { return nil }
        var table = self
        if !segments.isEmpty {
            guard case .success(let found) = self.table(at: segments.joined(separator: ".")) else { return nil }
            table = found
        }
        guard case .value(let value)? = table[key] else { return nil }
        return value
    }
}

/// A value in a ``ValuesTable``: a nested table (shared by reference) or anything else (Go's other types).
enum ValuesNode {
    case table(ValuesTable)
    /// Never `.map`: maps are always tables.
    case value(TemplateValue)

    init(copying value: TemplateValue) {
        if case .map(let members) = value {
            self = .table(ValuesTable(copying: members))
        } else {
            self = .value(value)
        }
    }

    var templateValue: TemplateValue {
        switch self {
        case .table(let table): .map(table.members)
        case .value(let value): value
        }
    }

    var isTable: Bool {
        if case .table = self { return true }
        return false
    }

    /// Go's `== nil` for an `interface{}`.
    var isNull: Bool {
        if case .value(.null) = self { return true }
        return false
    }
}

/// Helm's `ErrNoTable`, with its message.
struct ValuesLookupFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
