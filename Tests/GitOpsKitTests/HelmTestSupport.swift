import Foundation
import Testing

@testable import GitOpsKit

/// Fixtures shared by the Helm tests: archives built entry by entry (including hostile ones), chart directories,
/// and the real `helm` binary as an oracle.
enum HelmTestSupport {
    /// One entry of a hand-built archive.
    enum Entry {
        case file(String, String)
        case directory(String)
        case symlink(String, target: String)
        case hardLink(String, target: String)
        case fifo(String)
    }

    /// A `.tgz` holding exactly `entries`, in order.
    static func archive(_ entries: [Entry]) throws -> [UInt8] {
        var output: [UInt8] = []
        let writer = try TarStreamWriter(compressionLevel: -1) { output.append(contentsOf: $0) }
        for entry in entries {
            switch entry {
            case .file(let name, let text):
                try writer.appendFile(name: name, mode: 0o644, contents: Array(text.utf8))
            case .directory(let name):
                try writer.append(TarHeader(name: name, mode: 0o755, size: 0, typeFlag: TarHeader.EntryType.directory.rawValue))
            case .symlink(let name, let target):
                try writer.append(TarHeader(name: name, mode: 0o777, size: 0, typeFlag: TarHeader.EntryType.symbolicLink.rawValue,
                                            linkName: target))
            case .hardLink(let name, let target):
                try writer.append(TarHeader(name: name, mode: 0o644, size: 0, typeFlag: TarHeader.EntryType.hardLink.rawValue,
                                            linkName: target))
            case .fifo(let name):
                try writer.append(TarHeader(name: name, mode: 0o644, size: 0, typeFlag: TarHeader.EntryType.fifo.rawValue))
            }
        }
        try writer.finish()
        return output
    }

    static func chartYAML(name: String = "demo", version: String = "1.0.0", extra: String = "") -> String {
        "apiVersion: v2\nname: \(name)\nversion: \(version)\ndescription: A demo chart\ntype: application\n\(extra)"
    }

    /// A small chart whose ConfigMap shows `.Values.greeting`, `.Values.nested` and the chart version.
    static let configMapTemplate = """
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
    static func writeChart(in root: String, at relative: String, name: String = "demo", version: String = "1.0.0",
                           values: String = "greeting: hello\nnested:\n  color: red\n  size: small\n",
                           extraFiles: [String: String] = [:]) throws {
        let base = relative.isEmpty ? "" : relative + "/"
        try ArtifactTestSupport.write(chartYAML(name: name, version: version), to: base + "Chart.yaml", in: root)
        try ArtifactTestSupport.write(values, to: base + "values.yaml", in: root)
        try ArtifactTestSupport.write(configMapTemplate, to: base + "templates/configmap.yaml", in: root)
        for (path, text) in extraFiles { try ArtifactTestSupport.write(text, to: base + path, in: root) }
    }

    /// The real helm binary: PATH, then the package's `.tools/bin`, then the main checkout's (development).
    static func helmPath() throws -> String {
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
    static func helm(_ arguments: [String], home: String) throws -> String {
        try ArtifactTestSupport.run([try helmPath()] + arguments, environment: [
            "HOME": home, "HELM_CACHE_HOME": home + "/.helm-cache", "HELM_CONFIG_HOME": home + "/.helm-config",
            "HELM_DATA_HOME": home + "/.helm-data",
        ])
    }
}
