extension ChartContents {
    /// The charts bundled in `charts/`: each `charts/<file>.tgz` archive (read as safely as a downloaded chart) and
    /// each `charts/<dir>/` with a `Chart.yaml`, sorted by name — what Helm loads as subcharts when rendering.
    ///
    /// - Throws: ``HelmChartError`` naming the first subchart that is not a valid chart.
    public func subcharts(limits: Limits = .default) throws(HelmChartError) -> [ChartContents] {
        var directories: [String: [String: [UInt8]]] = [:]
        var archives: [(String, [UInt8])] = []
        for (path, bytes) in files where path.hasPrefix("charts/") {
            let rest = path.dropFirst("charts/".count)
            if let slash = rest.firstIndex(of: "/") {
                directories[String(rest[..<slash]), default: [:]][String(rest[rest.index(after: slash)...])] = bytes
            } else if rest.hasSuffix(".tgz") || rest.hasSuffix(".tar.gz") {
                archives.append((path, bytes))
            }
        }
        var result: [ChartContents] = []
        for (path, bytes) in archives.sorted(by: { $0.0 < $1.0 }) {
            do {
                result.append(try ChartContents(archive: bytes, limits: limits))
            } catch {
                throw .invalidChartFile("subchart '\(path)': \(error)")
            }
        }
        for name in directories.keys.sorted() {
            guard let subfiles = directories[name], subfiles[Self.chartFileName] != nil else { continue }
            result.append(try ChartContents(files: subfiles, source: "charts/\(name)"))
        }
        return result.sorted { $0.name < $1.name }
    }
}
