/// A Helm chart as files in memory: its metadata and every file below the chart directory, keyed by path relative
/// to it (`Chart.yaml`, `values.yaml`, `templates/deployment.yaml`, `charts/redis-1.0.0.tgz`).
///
/// source-controller loads one from a downloaded archive (checking it is safe) or from a directory of a Git
/// artifact, merges values files into it and packages it; helm-controller loads one to render it.
///
/// Usage:
/// ```swift
/// var chart = try ChartContents(archive: downloadedBytes)
/// try chart.mergeValuesFiles(["values.yaml", "values-prod.yaml"])
/// try chart.setVersionMetadata("abc123")
/// let tgz = try chart.packaged()                 // deterministic, `<name>/` prefix, like `helm package`
/// ```
public struct ChartContents: Sendable, Hashable {
    /// Bounds on a chart read into memory (Helm's defaults: 100 MiB in total, 5 MiB per file).
    public struct Limits: Sendable, Hashable {
        public var maxTotalSize: Int64
        public var maxFileSize: Int64
        public var maxFiles: Int

        public init(maxTotalSize: Int64 = 100 << 20, maxFileSize: Int64 = 5 << 20, maxFiles: Int = 10_000) {
            self.maxTotalSize = maxTotalSize
            self.maxFileSize = maxFileSize
            self.maxFiles = maxFiles
        }

        public static let `default` = Limits()
    }

    public static let chartFileName = "Chart.yaml"
    public static let valuesFileName = "values.yaml"

    /// The parsed `Chart.yaml`; ``packaged()`` writes it back (with any new version).
    public var metadata: ChartMetadata
    /// Relative path → contents, `Chart.yaml` included.
    public var files: [String: [UInt8]]

    /// A chart from its files; `Chart.yaml` must be among them and valid.
    public init(files: [String: [UInt8]], source: String = "chart") throws(HelmChartError) {
        guard let chartFile = files[Self.chartFileName] else { throw .missingChartFile(path: source) }
        let metadata = try ChartMetadata(yaml: chartFile)
        try metadata.validate()
        self.metadata = metadata
        self.files = files
    }

    /// The chart's name from `Chart.yaml`.
    public var name: String { metadata.name }
    /// The chart's version from `Chart.yaml` (with build metadata once set).
    public var version: String { metadata.version }

    /// `values.yaml` parsed; an empty mapping when the chart has none or it is empty.
    public func defaultValues() throws(HelmChartError) -> JSONValue {
        guard let bytes = files[Self.valuesFileName] else { return .object([:]) }
        return try ChartValues.parse(bytes, path: Self.valuesFileName)
    }

    /// Sets SemVer build metadata on the version (`1.2.3` → `1.2.3+<metadata>`), as Flux does for
    /// `reconcileStrategy: Revision` and for charts with values files.
    public mutating func setVersionMetadata(_ buildMetadata: String) throws(HelmChartError) {
        metadata.version = try ChartMetadata.version(metadata.version, withMetadata: buildMetadata)
    }
}
