extension ChartContents {
    /// Mode of every file in a packaged chart (what `helm package` writes).
    public static let packagedFileMode: Int64 = 0o644

    /// The chart as a `.tgz` the way `helm package` lays it out: every file under `<name>/`, `Chart.yaml` first,
    /// the rest in byte order of their paths; no directory entries. Headers carry zero times and owners, so the
    /// same chart always gives the same bytes (and digest).
    ///
    /// `Chart.yaml` is written as loaded unless ``metadata`` changed (a new version), then re-emitted.
    public func packaged(compressionLevel: Int32 = -1) throws -> [UInt8] {
        var output: [UInt8] = []
        let writer = try TarStreamWriter(compressionLevel: compressionLevel) { chunk in output.append(contentsOf: chunk) }
        let prefix = metadata.name + "/"
        try chartFileBytes().withUnsafeBytes {
            try writer.appendFile(contents: $0, name: prefix + Self.chartFileName, mode: Self.packagedFileMode)
        }
        let paths = files.keys.filter { $0 != Self.chartFileName }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for path in paths {
            try (files[path] ?? []).withUnsafeBytes {
                try writer.appendFile(contents: $0, name: prefix + path, mode: Self.packagedFileMode)
            }
        }
        try writer.finish()
        return output
    }

    /// The original `Chart.yaml` when it still describes ``metadata``; otherwise ``metadata`` re-emitted.
    func chartFileBytes() -> [UInt8] {
        if let original = files[Self.chartFileName], let parsed = try? ChartMetadata(yaml: original),
           parsed.name == metadata.name, parsed.version == metadata.version, parsed.apiVersion == metadata.apiVersion
        {
            return original
        }
        return metadata.yamlBytes()
    }
}
