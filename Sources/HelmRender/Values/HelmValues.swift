import GitOpsKit
import GoTemplate

/// Helm's values: what the user supplies (`-f`, `--set…`), chart dependencies enabled by `condition`/`tags`, the
/// coalescing of user values with every chart's defaults (Helm's `chartutil`), and the JSON-schema check.
///
/// The engine calls them in Helm's order: ``userValues(files:set:setString:setJSON:setFile:setLiteral:readFile:)``
/// → ``processDependencies(chart:values:)`` → ``coalesce(chart:values:)`` → ``validate(chart:values:)``.
/// Helm logs some problems and carries on; the `warnings:` variants collect those lines.
///
/// Usage:
/// ```swift
/// let user = try HelmValues.userValues(files: [overrides], set: ["image.tag=1.2"], setString: [])
/// let chart = try HelmValues.processDependencies(chart: loaded, values: user)
/// let values = try HelmValues.coalesce(chart: chart, values: user)
/// try HelmValues.validate(chart: chart, values: values)
/// ```
public enum HelmValues {
    /// Helm's `values.Options.MergeValues`: the values files in order (later wins, maps merged recursively), then
    /// every `--set-json`, `--set`, `--set-string`, `--set-file` and `--set-literal` line, in that order.
    ///
    /// `files` are parsed values files (numbers as `float64`, see `TemplateValue(helmValues:)`); anything but a map
    /// counts as empty. `readFile` reads a `--set-file` path (Helm also accepts `-` and URLs there).
    public static func userValues(
        files: [TemplateValue], set: [String], setString: [String], setJSON: [String] = [], setFile: [String] = [],
        setLiteral: [String] = [], readFile: ((String) throws -> String)? = nil
    ) throws(HelmValuesError) -> TemplateValue {
        var result: [String: TemplateValue] = [:]
        for file in files {
            guard case .map(let members) = file else { continue }
            result = mergeMaps(result, members)
        }
        for line in setJSON {
            do {
                try StrvalsParser.parse(line, into: &result, mode: .json)
            } catch {
                // Helm drops the parser's reason here and only repeats the input.
                throw HelmValuesError("failed parsing --set-json data \(line)")
            }
        }
        try parse(set, into: &result, mode: .typed, flag: "--set")
        try parse(setString, into: &result, mode: .string, flag: "--set-string")
        if !setFile.isEmpty {
            let read: (String) throws(StrvalsFailure) -> TemplateValue = { path throws(StrvalsFailure) in
                guard let readFile else { throw StrvalsFailure("open \(path): --set-file is not supported here") }
                do {
                    return .string(try readFile(path))
                } catch {
                    throw StrvalsFailure("\(error)")
                }
            }
            try parse(setFile, into: &result, mode: .file(read: read), flag: "--set-file")
        }
        try parse(setLiteral, into: &result, mode: .literal, flag: "--set-literal")
        return .map(result)
    }

    private static func parse(
        _ lines: [String], into result: inout [String: TemplateValue], mode: StrvalsParser.Mode, flag: String
    ) throws(HelmValuesError) {
        for line in lines {
            do {
                try StrvalsParser.parse(line, into: &result, mode: mode)
            } catch {
                throw HelmValuesError("failed parsing \(flag) data: \(error)")
            }
        }
    }

    /// Helm's `ProcessDependenciesWithMerge`, preceded by `helm template`'s check that every `Chart.yaml`
    /// dependency is in `charts/`: drops subcharts disabled by `condition`/`tags`, applies aliases and
    /// `import-values`, given the user's values.
    public static func processDependencies(chart: LoadedChart, values: TemplateValue) throws(HelmValuesError)
        -> LoadedChart
    {
        var warnings: [String] = []
        return try processDependencies(chart: chart, values: values, warnings: &warnings)
    }

    /// ``processDependencies(chart:values:)``, appending what Helm logs to `warnings`.
    public static func processDependencies(chart: LoadedChart, values: TemplateValue, warnings: inout [String])
        throws(HelmValuesError) -> LoadedChart
    {
        try ChartDependencyProcessor.checkDependencies(chart)
        var processor = ChartDependencyProcessor()
        var processed = chart
        defer { warnings += processor.coalescer.warnings }
        try processor.process(&processed, values: table(values))
        return processed
    }

    /// Helm's `chartutil.CoalesceValues`: user values over the chart's defaults, recursively into subcharts (each
    /// under its name), with `global` propagated; a `null` user value deletes a default.
    public static func coalesce(chart: LoadedChart, values: TemplateValue) throws(HelmValuesError) -> TemplateValue {
        var warnings: [String] = []
        return try coalesce(chart: chart, values: values, warnings: &warnings)
    }

    /// ``coalesce(chart:values:)``, appending what Helm logs (tables over scalars and the like) to `warnings`.
    public static func coalesce(chart: LoadedChart, values: TemplateValue, warnings: inout [String])
        throws(HelmValuesError) -> TemplateValue
    {
        var coalescer = ValuesCoalescer()
        defer { warnings += coalescer.warnings }
        return .map(try coalescer.coalesce(chart, table(values), merge: false).members)
    }

    /// Helm's `ValidateAgainstSchema`: the coalesced values checked against every chart's `values.schema.json`
    /// (each subchart against its own part of the values), reported all at once as Helm prints it.
    public static func validate(chart: LoadedChart, values: TemplateValue) throws(HelmValuesError) {
        let report = schemaReport(chart: chart, values: values)
        if report.isEmpty { return }
        throw HelmValuesError(
            "values don't meet the specifications of the schema(s) in the following chart(s):\n" + report)
    }

    /// `NAME:` followed by `- field: problem` lines for each chart whose schema refuses its values; a schema that
    /// cannot be read reports its own message instead of the lines.
    private static func schemaReport(chart: LoadedChart, values: TemplateValue) -> String {
        var report = ""
        if let schemaBytes = chart.schema {
            do throws(ValuesSchemaError) {
                guard schemaBytes.contains(where: { !StrvalsText.isSpace(Unicode.Scalar($0)) }) else {
                    throw ValuesSchemaError("EOF")
                }
                let schema = try ValuesSchema(json: schemaBytes)
                let problems = schema.validate(values)
                if !problems.isEmpty {
                    report += "\(chart.name):\n" + problems.map { "- \($0)\n" }.joined()
                }
            } catch {
                report += "\(chart.name):\n\(error.description)"
            }
        }
        guard case .map(let members) = values else { return report }
        for subchart in chart.dependencies {
            let subValues: TemplateValue
            if case .map(let inner)? = members[subchart.name] { subValues = .map(inner) } else { subValues = .map([:]) }
            report += schemaReport(chart: subchart, values: subValues)
        }
        return report
    }

    /// Helm's `mergeMaps` for values files: maps merged recursively, anything else replaced.
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

    private static func table(_ values: TemplateValue) -> ValuesTable {
        guard case .map(let members) = values else { return ValuesTable() }
        return ValuesTable(copying: members)
    }
}
