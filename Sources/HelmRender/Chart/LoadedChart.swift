import GitOpsKit
import GoTemplate

/// A chart as Helm's engine sees it (Helm's `chart.Chart`): metadata, templates, other files, default values,
/// schema, and its subcharts loaded recursively from `charts/`.
///
/// Usage:
/// ```swift
/// let chart = try LoadedChart(contents: try ChartContents(directory: "./mychart"))
/// chart.templates.map(\.path)     // ["templates/_helpers.tpl", "templates/deployment.yaml", …]
/// ```
public struct LoadedChart: Sendable {
    /// `Chart.yaml`. `ProcessDependencies` renames an aliased subchart by changing `metadata.name`.
    public var metadata: ChartMetadata
    /// Every file of this chart (not of its subcharts: nothing under `charts/`), keyed by path relative to the chart
    /// root: `Chart.yaml`, `values.yaml`, `templates/…`, `crds/…`, `files/…`.
    public var files: [String: [UInt8]]
    /// `values.yaml` (an empty map when absent); numbers are `float64` as Helm decodes them.
    public var values: TemplateValue
    /// `values.schema.json`, when present.
    public var schema: [UInt8]?
    /// The subcharts, sorted by name (as Helm's loader orders `charts/`).
    public var dependencies: [LoadedChart]

    public init(
        metadata: ChartMetadata, files: [String: [UInt8]], values: TemplateValue, schema: [UInt8]?,
        dependencies: [LoadedChart]
    ) {
        self.metadata = metadata
        self.files = files
        self.values = values
        self.schema = schema
        self.dependencies = dependencies
    }

    /// Loads a chart and, recursively, every subchart under `charts/` (directories and `.tgz` archives).
    public init(contents: ChartContents, limits: ChartContents.Limits = .default) throws(HelmChartError) {
        var own: [String: [UInt8]] = [:]
        for (path, bytes) in contents.files where !path.hasPrefix("charts/") { own[path] = bytes }
        var dependencies: [LoadedChart] = []
        for subchart in try contents.subcharts(limits: limits) {
            dependencies.append(try LoadedChart(contents: subchart, limits: limits))
        }
        self.init(
            metadata: Self.metadata(contents.metadata, requirements: own["requirements.yaml"]), files: own,
            values: TemplateValue(helmValues: try contents.defaultValues()),
            schema: own["values.schema.json"], dependencies: dependencies)
    }

    /// Helm's loader reads `requirements.yaml` (the `apiVersion: v1` home of `dependencies`) into the metadata,
    /// its fields overriding `Chart.yaml`'s.
    static func metadata(_ metadata: ChartMetadata, requirements: [UInt8]?) -> ChartMetadata {
        guard let requirements, case .object(let fields)? = try? YAML.decode(requirements),
            case .object(var raw) = metadata.raw
        else { return metadata }
        for (key, value) in fields { raw[key] = value }
        return (try? ChartMetadata(value: .object(raw))) ?? metadata
    }

    /// The chart's name (an alias once dependencies are processed).
    public var name: String { metadata.name }

    /// Files under `templates/`, sorted by path.
    public var templates: [(path: String, data: [UInt8])] {
        files.filter { $0.key.hasPrefix("templates/") }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
