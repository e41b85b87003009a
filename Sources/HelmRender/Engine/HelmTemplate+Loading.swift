import FoundationEssentials
import GitOpsKit
import GoTemplate

/// Reading what `helm template` is given on the command line: values files and the chart.
extension HelmTemplate {
    /// Helm's `values.Options.MergeValues`: each `-f` file parsed as a map, then `--set`/`--set-string`.
    static func userValues(files: [String], set: [String], setString: [String]) throws(HelmRenderError) -> TemplateValue {
        var parsed: [TemplateValue] = []
        for path in files {
            guard let bytes = FileManager.default.contents(atPath: path) else {
                throw HelmRenderError("open \(path): no such file or directory")
            }
            let document: JSONValue
            do {
                document = try YAML.decodeAll(Array(bytes), rules: .goYAMLv2Float64).first ?? .null
            } catch {
                throw HelmRenderError("failed to parse \(path): error converting YAML to JSON: "
                    + HelmSerialization.goYAMLMessage(error))
            }
            switch document {
            case .null: parsed.append(.map([:]))
            case .object: parsed.append(TemplateValue(helmValues: document))
            default:
                throw HelmRenderError("failed to parse \(path): error unmarshaling JSON: while decoding JSON: json: "
                    + "cannot unmarshal \(SimpleHead.jsonKind(document)) into Go value of type map[string]interface {}")
            }
        }
        do {
            return try HelmValues.userValues(files: parsed, set: set, setString: setString)
        } catch {
            throw HelmRenderError(error.description)
        }
    }

    /// A chart directory or `.tgz` archive, with its subcharts.
    static func loadChart(path: String) throws(HelmRenderError) -> LoadedChart {
        var isDirectory: Bool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            // Helm's LocateChart: what is not a local path is looked up as `repo/chart` in configured repositories.
            if path.hasPrefix("/") || path.hasPrefix(".") {
                throw HelmRenderError("path \(GoFormat.sprintf("%q", [.string(path)])) not found")
            }
            guard let slash = path.firstIndex(of: "/") else {
                throw HelmRenderError("non-absolute URLs should be in form of repo_name/path_to_chart, got: \(path)")
            }
            throw HelmRenderError("repo \(path[..<slash]) not found")
        }
        if isDirectory, !FileManager.default.fileExists(atPath: path + "/" + ChartContents.chartFileName) {
            throw HelmRenderError("Chart.yaml file is missing")
        }
        let contents: ChartContents
        do {
            if isDirectory {
                contents = try ChartContents(directory: path)
            } else {
                guard let bytes = FileManager.default.contents(atPath: path) else {
                    throw HelmChartError.fileSystem("open \(path): permission denied")
                }
                contents = try ChartContents(archive: Array(bytes))
            }
        } catch {
            throw HelmRenderError("\(error)")
        }
        return try LoadedChart.load(contents: contents)
    }
}
