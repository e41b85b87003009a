import GitOpsKit

/// What Helm's loader and engine derive from a chart's files.
extension LoadedChart {
    /// Files Helm's loader keeps out of `.Files`: they become metadata, values or the schema instead.
    static let specialFiles: Set<String> = [
        "Chart.yaml", "Chart.lock", "values.yaml", "values.schema.json", "requirements.yaml", "requirements.lock",
    ]

    /// `.Files`: every file except `Chart.yaml`, `Chart.lock`, `values.yaml`, `values.schema.json`, templates and
    /// subcharts (`requirements.*` stay for `apiVersion: v1` charts, as Helm's loader does).
    public var helmFiles: [String: [UInt8]] {
        files.filter { path, _ in
            if path.hasPrefix("templates/") { return false }
            if path.hasPrefix("charts/") { return path.hasSuffix(".prov") }
            if path == "requirements.yaml" || path == "requirements.lock" { return metadata.apiVersion == "v1" }
            return !Self.specialFiles.contains(path)
        }
    }

    /// Whether this is a library chart (only its partials are used).
    public var isLibrary: Bool { metadata.type?.lowercased() == "library" }

    /// Helm's `CRDObjects`: `crds/*.yaml|yml|json` of this chart, then of each subchart, as
    /// (`<chart path>/crds/x.yaml`, contents).
    public func crdObjects(parentPath: String? = nil) -> [(path: String, data: [UInt8])] {
        let fullPath = parentPath.map { "\($0)/charts/\(name)" } ?? name
        var result: [(path: String, data: [UInt8])] = []
        let crds = files.filter { path, _ in
            guard path.hasPrefix("crds/") else { return false }
            let lower = path.lowercased()
            let base = lower.split(separator: "/").last ?? ""
            guard let dot = base.lastIndex(of: ".") else { return false }
            return [".yaml", ".yml", ".json"].contains(String(base[dot...]))
        }
        // Helm's directory loader walks in lexical order one path component at a time.
        for (path, data) in crds.sorted(by: { $0.key.split(separator: "/").lexicographicallyPrecedes($1.key.split(separator: "/")) }) {
            result.append((fullPath + "/" + path, data))
        }
        for dependency in dependencies {
            result += dependency.crdObjects(parentPath: fullPath)
        }
        return result
    }
}
