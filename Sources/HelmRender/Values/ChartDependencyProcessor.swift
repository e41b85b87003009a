import GitOpsKit
import GoTemplate

/// Helm's `ProcessDependenciesWithMerge` (`chartutil/dependencies.go`), preceded by `helm template`'s
/// `CheckDependencies`: aliases, `condition`/`tags`, removal of disabled subcharts, then `import-values` from the
/// bottom up.
///
/// Helm's quirks are kept on purpose because they change what templates see: a subchart's conditions are resolved
/// against values in which its own defaults were coalesced at the top level; a chart whose `Chart.yaml` lists
/// enabled dependencies gets, as its new defaults, the merge of its values with every subchart's (nulls kept).
struct ChartDependencyProcessor {
    var coalescer = ValuesCoalescer()

    /// Helm's `action.CheckDependencies` as `helm template` reports it.
    static func checkDependencies(_ chart: LoadedChart) throws(HelmValuesError) {
        guard let entries = ChartDependencyEntry.entries(of: chart.metadata) else { return }
        let present = Set(chart.dependencies.map(\.name))
        let missing = entries.map(\.name).filter { !present.contains($0) }
        if missing.isEmpty { return }
        throw HelmValuesError(
            "An error occurred while checking for chart dependencies. You may need to run `helm dependency build` to "
                + "fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: "
                + missing.joined(separator: ", "))
    }

    mutating func process(_ chart: inout LoadedChart, values: ValuesTable) throws(HelmValuesError) {
        try processEnabled(&chart, values: values, path: "")
        try processImportValues(&chart)
    }

    // MARK: Enabled

    /// Helm's `processDependencyEnabled`.
    private mutating func processEnabled(_ chart: inout LoadedChart, values: ValuesTable, path: String)
        throws(HelmValuesError)
    {
        guard var entries = ChartDependencyEntry.entries(of: chart.metadata) else { return }
        var dependencies: [LoadedChart] = []
        // Subcharts in charts/ that Chart.yaml does not list (by name and version) stay, under their own name.
        for existing in chart.dependencies
        where !entries.contains(where: {
            existing.name == $0.name && Self.isCompatible($0.version, existing.metadata.version)
        }) {
            dependencies.append(existing)
        }
        for index in entries.indices {
            if let aliased = Self.aliasDependency(in: chart.dependencies, for: entries[index]) {
                dependencies.append(aliased)
            }
            if !entries[index].alias.isEmpty { entries[index].name = entries[index].alias }
        }
        chart.dependencies = dependencies
        for index in entries.indices { entries[index].enabled = true }

        let coalesced = try coalescer.coalesce(chart, values, merge: false)
        applyTags(&entries, coalesced)
        applyConditions(&entries, coalesced, path: path)

        let disabled = Set(entries.filter { !$0.enabled }.map(\.name))
        var kept = chart.dependencies.filter { !disabled.contains($0.name) }
        for index in kept.indices {
            try processEnabled(&kept[index], values: coalesced, path: path + kept[index].name + ".")
        }
        ChartDependencyEntry.store(entries.filter { !disabled.contains($0.name) }, in: &chart.metadata)
        chart.dependencies = kept
    }

    /// Helm's `getAliasDependency`: the first subchart with the entry's name whose version fits, renamed to the
    /// alias (a copy: the same subchart can be used under several aliases).
    private static func aliasDependency(in charts: [LoadedChart], for entry: ChartDependencyEntry) -> LoadedChart? {
        guard var chart = charts.first(where: { $0.name == entry.name && isCompatible(entry.version, $0.metadata.version) })
        else { return nil }
        if !entry.alias.isEmpty {
            chart.metadata.name = entry.alias
            chart.metadata.raw["name"] = .string(entry.alias)
        }
        return chart
    }

    /// Helm's `IsCompatibleRange`: false when either side does not parse. An entry without a `version` never
    /// matches (measured with helm 3.17.3), so such a subchart stays under its own name and its alias is unused.
    static func isCompatible(_ constraint: String, _ version: String) -> Bool {
        guard let parsed = GitOpsKit::SemanticVersion(version) else { return false }
        guard !constraint.allSatisfy(\.isWhitespace), let compiled = try? SemverConstraint(constraint) else {
            return false
        }
        return compiled.isSatisfied(by: parsed)
    }

    /// Helm's `processDependencyTags`: a dependency whose tags are only `false` is disabled.
    private mutating func applyTags(_ entries: inout [ChartDependencyEntry], _ values: ValuesTable) {
        guard case .success(let tags) = values.table(at: "tags") else { return }
        for index in entries.indices {
            var hasTrue = false
            var hasFalse = false
            for tag in entries[index].tags {
                guard let value = tags[tag] else { continue }
                if case .value(.bool(let flag)) = value {
                    if flag { hasTrue = true } else { hasFalse = true }
                } else {
                    coalescer.warnings.append("Warning: Tag '\(tag)' for chart \(entries[index].name) returned non-bool value")
                }
            }
            entries[index].enabled = hasTrue || !hasFalse
        }
    }

    /// Helm's `processDependencyConditions`: the first comma-separated path that holds a bool decides.
    private mutating func applyConditions(_ entries: inout [ChartDependencyEntry], _ values: ValuesTable, path: String) {
        for index in entries.indices {
            let condition = entries[index].condition.trimmingGoSpace()
            for part in condition.split(separator: ",", omittingEmptySubsequences: false) where !part.isEmpty {
                guard let value = values.pathValue(path + part) else { continue }
                if case .bool(let flag) = value {
                    entries[index].enabled = flag
                    break
                }
                coalescer.warnings.append(
                    "Warning: Condition path '\(part)' for chart \(entries[index].name) returned non-bool value")
            }
        }
    }

    // MARK: Import values

    /// Helm's `processDependencyImportValues`: children first, then this chart.
    private mutating func processImportValues(_ chart: inout LoadedChart) throws(HelmValuesError) {
        for index in chart.dependencies.indices { try processImportValues(&chart.dependencies[index]) }
        guard var entries = ChartDependencyEntry.entries(of: chart.metadata) else { return }
        let merged = try coalescer.coalesce(chart, ValuesTable(), merge: true)
        let imported = ValuesTable()
        for index in entries.indices {
            let name = entries[index].name
            var rewritten: [JSONValue] = []
            for entry in entries[index].importValues {
                switch entry {
                case .object(let members):
                    let child = try Self.requiredText(members["child"])
                    let parent = try Self.requiredText(members["parent"])
                    rewritten.append(.object(["child": .string(child), "parent": .string(parent)]))
                    switch merged.table(at: name + "." + child) {
                    case .failure(let failure):
                        coalescer.warnings.append("Warning: ImportValues missing table from chart \(name): \(failure)")
                    case .success(let table):
                        coalescer.coalesceTables(imported, Self.nest(table, under: parent), prefix: "", merge: true)
                    }
                case .string(let export):
                    let child = "exports." + export
                    rewritten.append(.object(["child": .string(child), "parent": .string(".")]))
                    switch merged.table(at: name + "." + child) {
                    case .failure(let failure):
                        coalescer.warnings.append("Warning: ImportValues missing table: \(failure)")
                    case .success(let table):
                        coalescer.coalesceTables(imported, table, prefix: "", merge: true)
                    }
                default:
                    continue
                }
            }
            entries[index].importValues = rewritten
        }
        // Imported values rank below the parent's own: the parent can import a section and override parts of it.
        let values = merged.deepCopy()
        coalescer.coalesceTables(values, imported, prefix: "", merge: true)
        chart.values = .map(values.members)
        ChartDependencyEntry.store(entries, in: &chart.metadata)
    }

    /// Helm's `pathToMap`: `table` under the dotted `path` (`.` is the table itself).
    private static func nest(_ table: ValuesTable, under path: String) -> ValuesTable {
        if path == "." { return table }
        var current = table
        for segment in path.split(separator: ".", omittingEmptySubsequences: false).reversed() {
            current = ValuesTable([String(segment): .table(current)])
        }
        return current
    }

    /// `child`/`parent` of an `import-values` map; Go's type assertion would panic on anything but a string.
    private static func requiredText(_ value: JSONValue?) throws(HelmValuesError) -> String {
        guard case .string(let text)? = value else {
            let type = value.map { ValuesGoType.name(of: TemplateValue(helmValues: $0)) } ?? "nil"
            throw HelmValuesError("interface conversion: interface {} is \(type), not string")
        }
        return text
    }
}

extension String {
    /// `strings.TrimSpace`.
    fileprivate func trimmingGoSpace() -> String {
        let scalars = Array(unicodeScalars)
        guard let first = scalars.firstIndex(where: { !StrvalsText.isSpace($0) }),
            let last = scalars.lastIndex(where: { !StrvalsText.isSpace($0) })
        else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}
