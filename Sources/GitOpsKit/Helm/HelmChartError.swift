/// Why a Helm chart could not be read, checked, merged or packaged. Messages name the file and the problem, so
/// they can go straight into a HelmChart's `Ready` condition.
public enum HelmChartError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `Chart.yaml` is missing from the chart root (`path` is the chart directory or archive).
    case missingChartFile(path: String)
    /// `Chart.yaml` is not valid YAML or not a mapping.
    case invalidChartFile(String)
    /// `Chart.yaml` parsed but breaks Helm's rules (name, version, apiVersion, type).
    case invalidMetadata(String)
    /// An archive entry name is absolute (`/etc/passwd`).
    case absolutePath(String)
    /// An archive entry name climbs out of the chart (`../x`).
    case pathTraversal(String)
    /// An archive entry is a symbolic or hard link, a device or a FIFO: charts are regular files only.
    case unsupportedEntry(path: String, kind: String)
    /// An archive entry sits at the top level instead of inside the chart directory.
    case fileOutsideChartDirectory(String)
    /// A file (or the whole chart) is over the size limit.
    case tooLarge(path: String, limit: Int64)
    /// The bytes are not a readable tar.gz.
    case corruptArchive(String)
    /// A values file named in `spec.valuesFiles` does not exist.
    case missingValuesFile(String)
    /// A values file is not a YAML mapping.
    case invalidValuesFile(path: String, reason: String)
    /// The chart version cannot carry build metadata (not SemVer), or the metadata is invalid.
    case invalidVersionMetadata(version: String, metadata: String)
    /// Reading the chart directory failed.
    case fileSystem(String)

    public var description: String {
        switch self {
        case .missingChartFile(let path): "no Chart.yaml found in '\(path)'"
        case .invalidChartFile(let reason): "cannot load Chart.yaml: \(reason)"
        case .invalidMetadata(let reason): "invalid chart metadata: \(reason)"
        case .absolutePath(let path): "chart illegally contains absolute path '\(path)'"
        case .pathTraversal(let path): "chart illegally references parent directory: '\(path)'"
        case .unsupportedEntry(let path, let kind): "chart illegally contains a \(kind): '\(path)'"
        case .fileOutsideChartDirectory(let path): "chart file '\(path)' is not inside the chart directory"
        case .tooLarge(let path, let limit): "chart file '\(path)' is larger than the limit of \(limit) bytes"
        case .corruptArchive(let reason): "chart archive is corrupt: \(reason)"
        case .missingValuesFile(let path): "no values file found at path '\(path)'"
        case .invalidValuesFile(let path, let reason): "unmarshaling values from '\(path)' failed: \(reason)"
        case .invalidVersionMetadata(let version, let metadata):
            "cannot set build metadata '\(metadata)' on chart version '\(version)': not a valid SemVer version"
        case .fileSystem(let reason): "cannot read chart: \(reason)"
        }
    }
}
