import GoTemplate

/// Helm's `chartutil` coalescing (`coalesce.go`): chart defaults under user values, recursively into subcharts, with
/// `global` copied down. Works on ``ValuesTable`` references because Helm's in-place updates are observable.
///
/// `merge` is Helm's flag for `MergeValues` (keep nulls) versus `CoalesceValues` (a null deletes the key). What
/// Helm logs with `log.Printf` is collected in ``warnings`` instead.
struct ValuesCoalescer {
    /// Helm's log lines, in order (without the log timestamp).
    var warnings: [String] = []

    /// Helm's `CoalesceValues` (`merge == false`) or `MergeValues` (`merge == true`) on a copy of `values`.
    mutating func coalesce(_ chart: LoadedChart, _ values: ValuesTable, merge: Bool) throws(HelmValuesError)
        -> ValuesTable
    {
        let copy = values.deepCopy()
        try coalesce(chart, copy, prefix: "", merge: merge)
        return copy
    }

    private mutating func coalesce(_ chart: LoadedChart, _ dest: ValuesTable, prefix: String, merge: Bool)
        throws(HelmValuesError)
    {
        coalesceValues(chart, dest, prefix: prefix, merge: merge)
        try coalesceDependencies(chart, dest, prefix: prefix, merge: merge)
    }

    /// Each subchart's table (created when absent) gets the parent's globals, then the subchart's own defaults.
    private mutating func coalesceDependencies(_ chart: LoadedChart, _ dest: ValuesTable, prefix: String, merge: Bool)
        throws(HelmValuesError)
    {
        for subchart in chart.dependencies {
            let table: ValuesTable
            switch dest[subchart.name] {
            case nil:
                table = ValuesTable()
                dest[subchart.name] = .table(table)
            case .table(let existing)?:
                table = existing
            case .value(let other)?:
                throw HelmValuesError("type mismatch on \(subchart.name): \(Self.boolVerbText(other))")
            }
            let subPrefix = Self.concatPrefix(prefix, chart.name)
            coalesceGlobals(into: table, from: dest, prefix: subPrefix)
            try coalesce(subchart, table, prefix: subPrefix, merge: merge)
        }
    }

    /// Helm's `coalesceGlobals`: the parent's `global` merged over the child's (parent wins; tables are merged
    /// top-down into a shallow copy of the parent's table).
    private mutating func coalesceGlobals(into dest: ValuesTable, from source: ValuesTable, prefix: String) {
        let destGlobals: ValuesTable
        switch dest["global"] {
        case nil: destGlobals = ValuesTable()
        case .table(let table)?: destGlobals = table
        case .value?:
            warnings.append("warning: skipping globals because destination global is not a table.")
            return
        }
        let sourceGlobals: ValuesTable
        switch source["global"] {
        case nil: sourceGlobals = ValuesTable()
        case .table(let table)?: sourceGlobals = table
        case .value?:
            warnings.append("warning: skipping globals because source global is not a table.")
            return
        }
        for key in sourceGlobals.sortedKeys {
            guard let value = sourceGlobals[key] else { continue }
            if case .table(let table) = value {
                let copy = table.shallowCopy()
                switch destGlobals[key] {
                case nil:
                    destGlobals[key] = .table(copy)
                case .value?:
                    warnings.append("Conflict: cannot merge map onto non-map for \(StrvalsText.quote(key)). Skipping.")
                case .table(let existing)?:
                    coalesceTables(copy, existing, prefix: Self.concatPrefix(prefix, key), merge: true)
                    destGlobals[key] = .table(copy)
                }
            } else if destGlobals[key]?.isTable == true {
                warnings.append("key \(key) is table. Skipping")
            } else {
                destGlobals[key] = value
            }
        }
        dest["global"] = .table(destGlobals)
    }

    /// Helm's `coalesceValues`: the chart's default values (a fresh copy) under `values`.
    private mutating func coalesceValues(_ chart: LoadedChart, _ values: ValuesTable, prefix: String, merge: Bool) {
        let subPrefix = Self.concatPrefix(prefix, chart.name)
        guard case .map(let members) = chart.values else { return }
        let defaults = ValuesTable(copying: members)
        for key in defaults.sortedKeys {
            guard let defaultValue = defaults[key] else { continue }
            guard let value = values[key] else {
                values[key] = defaultValue
                continue
            }
            if value.isNull, !merge {
                // A null from the user removes the key, so values files and --set can delete chart defaults.
                values[key] = nil
            } else if case .table(let destination) = value {
                if case .table(let source) = defaultValue {
                    let isSubchart = chart.dependencies.contains { $0.name == key }
                    coalesceTables(
                        destination, source, prefix: Self.concatPrefix(subPrefix, key), merge: isSubchart || merge)
                } else if !defaultValue.isNull {
                    warnings.append("warning: skipped value for \(subPrefix).\(key): Not a table.")
                }
            }
        }
    }

    /// Helm's `coalesceTablesFullKey`: `source` merged under `destination` (destination wins), in place.
    mutating func coalesceTables(_ destination: ValuesTable, _ source: ValuesTable, prefix: String, merge: Bool) {
        for key in source.sortedKeys {
            guard let value = source[key] else { continue }
            let fullKey = Self.concatPrefix(prefix, key)
            guard let existing = destination[key] else {
                destination[key] = value
                continue
            }
            if existing.isNull, !merge {
                destination[key] = nil
            } else if case .table(let sourceTable) = value {
                if case .table(let destinationTable) = existing {
                    coalesceTables(destinationTable, sourceTable, prefix: fullKey, merge: merge)
                } else {
                    warnings.append(
                        "warning: cannot overwrite table with non table for \(fullKey) (\(GoFormat.format(value.templateValue)))")
                }
            } else if existing.isTable, !value.isNull {
                warnings.append(
                    "warning: destination for \(fullKey) is a table. Ignoring non-table value (\(GoFormat.format(value.templateValue)))")
            }
        }
    }

    /// What Go's `%t` prints for a values node that is not a bool: `%!t(int64=1)`, lists element by element.
    static func boolVerbText(_ value: TemplateValue) -> String {
        switch value {
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "%!t(<nil>)"
        case .list(let elements): return "[" + elements.map(boolVerbText).joined(separator: " ") + "]"
        case .map(let members):
            let entries = members.keys.sorted().map { key in
                "%!t(string=\(key)):" + boolVerbText(members[key] ?? .null)
            }
            return "map[" + entries.joined(separator: " ") + "]"
        default:
            return "%!t(\(ValuesGoType.name(of: value))=\(GoFormat.format(value)))"
        }
    }

    static func concatPrefix(_ prefix: String, _ key: String) -> String {
        prefix.isEmpty ? key : prefix + "." + key
    }
}
