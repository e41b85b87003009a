import Foundation

/// Helm chart fixtures shared by the Helm tests: chart directories on disk and the real `helm` binary as an oracle.
public enum HelmFixtures {
    public static func chartYAML(name: String = "demo", version: String = "1.0.0", extra: String = "") -> String {
        "apiVersion: v2\nname: \(name)\nversion: \(version)\ndescription: A demo chart\ntype: application\n\(extra)"
    }

    /// A small chart whose ConfigMap shows `.Values.greeting`, `.Values.nested` and the chart version.
    public static let configMapTemplate = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {{ .Release.Name }}-config
        data:
          greeting: {{ .Values.greeting | quote }}
          color: {{ .Values.nested.color | quote }}
          size: {{ .Values.nested.size | quote }}
          chartVersion: {{ .Chart.Version | quote }}

        """

    /// Writes a chart directory `root/relative` with Chart.yaml, values.yaml, a template and extra values files.
    public static func writeChart(in root: String, at relative: String, name: String = "demo", version: String = "1.0.0",
                           values: String = "greeting: hello\nnested:\n  color: red\n  size: small\n",
                           extraFiles: [String: String] = [:]) throws {
        let base = relative.isEmpty ? "" : relative + "/"
        try HelmFixtures.write(chartYAML(name: name, version: version), to: base + "Chart.yaml", in: root)
        try HelmFixtures.write(values, to: base + "values.yaml", in: root)
        try HelmFixtures.write(configMapTemplate, to: base + "templates/configmap.yaml", in: root)
        for (path, text) in extraFiles { try HelmFixtures.write(text, to: base + path, in: root) }
    }

    /// The real helm binary: PATH (scripts/test.sh adds `.tools/bin`), then the package's `.tools/bin`.
    public static func helmPath() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        var candidates = path.split(separator: ":").map { "\($0)/helm" }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(packageRoot.appendingPathComponent(".tools/bin/helm").path)
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        throw ArtifactTestSupport.CommandFailure(command: ["helm"], status: 127,
                                                 output: "helm is not installed (run scripts/setup.sh)")
    }

    /// Runs helm with private config/cache directories under `home`.
    @discardableResult
    public static func helm(_ arguments: [String], home: String) throws -> String {
        try ArtifactTestSupport.run([try helmPath()] + arguments, environment: [
            "HOME": home, "HELM_CACHE_HOME": home + "/.helm-cache", "HELM_CONFIG_HOME": home + "/.helm-config",
            "HELM_DATA_HOME": home + "/.helm-data",
        ])
    }

    /// Writes `text` to `root/relative`, creating parent directories.
    public static func write(_ text: String, to relative: String, in root: String) throws {
        let path = root + "/" + relative
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }
}
