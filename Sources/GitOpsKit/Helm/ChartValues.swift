/// Helm values documents: parsing a values file and merging several into one, as Flux does for
/// `HelmChart.spec.valuesFiles` (`fluxcd/pkg runtime/transform.MergeMaps`).
public enum ChartValues {
    /// Parses a values file; an empty document is an empty mapping, anything but a mapping is an error. Numbers
    /// are read as Helm reads them, into float64 (`-0` keeps its sign).
    public static func parse(_ bytes: [UInt8], path: String) throws(HelmChartError) -> JSONValue {
        let value: JSONValue
        do {
            value = try YAML.decode(bytes, rules: .goYAMLv2Float64)
        } catch {
            throw .invalidValuesFile(path: path, reason: "\(error)")
        }
        switch value {
        case .null: return .object([:])
        case .object: return value
        default: throw .invalidValuesFile(path: path, reason: "expected a mapping, found \(value.typeName)")
        }
    }

    /// `overlay` merged onto `base`: mappings merge key by key, recursively; any other value in `overlay`
    /// (a list, a scalar, `null`) replaces the base value.
    public static func merge(_ base: JSONValue, _ overlay: JSONValue) -> JSONValue {
        guard case .object(var merged) = base, case .object(let top) = overlay else { return overlay }
        for (key, value) in top {
            if let existing = merged[key], case .object = existing, case .object = value {
                merged[key] = merge(existing, value)
            } else {
                merged[key] = value
            }
        }
        return .object(merged)
    }
}

extension ChartContents {
    /// Merges the chart's files at `paths` in order (last wins) and makes the result the chart's `values.yaml`.
    /// `values.yaml` in the list means the chart's own defaults. Missing files are an error unless
    /// `ignoreMissing`; returns the paths that were merged.
    @discardableResult
    public mutating func mergeValuesFiles(_ paths: [String], ignoreMissing: Bool = false) throws(HelmChartError)
        -> [String]
    {
        var merged: JSONValue = .object([:])
        var used: [String] = []
        for path in paths {
            let cleaned = Self.cleanPath(path)
            guard let bytes = files[cleaned] else {
                if ignoreMissing { continue }
                throw .missingValuesFile(path)
            }
            merged = ChartValues.merge(merged, try ChartValues.parse(bytes, path: path))
            used.append(path)
        }
        try replaceValues(with: merged)
        return used
    }

    /// Replaces `values.yaml` with `values`.
    public mutating func replaceValues(with values: JSONValue) throws(HelmChartError) {
        files[Self.valuesFileName] = Array(YAML.encode(values).utf8)
    }

    /// `./a//b/../c` → `a/c` (Go's `filepath.Clean`, relative; leading `..` kept so lookups fail).
    static func cleanPath(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
                continue
            }
            parts.append(part)
        }
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }
}
