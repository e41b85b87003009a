import GitOpsKit
import GoTemplate

/// Loading a chart the way `helm` does, failing with the messages helm prints.
extension LoadedChart {
    /// The chart and its subcharts; a `values.yaml` that is not a YAML mapping fails as helm's loader reports it
    /// (`cannot load values.yaml: error converting YAML to JSON: yaml: line 1: …`), naming the subchart it is in.
    public static func load(contents: ChartContents) throws(HelmRenderError) -> LoadedChart {
        try checkValues(contents)
        do {
            return try LoadedChart(contents: contents)
        } catch {
            throw HelmRenderError(error.description)
        }
    }

    private static func checkValues(_ contents: ChartContents) throws(HelmRenderError) {
        if let bytes = contents.files[ChartContents.valuesFileName] {
            let document: JSONValue
            do {
                document = try YAML.decodeAll(bytes, rules: .goYAMLv2Float64).first ?? .null
            } catch {
                throw HelmRenderError("cannot load values.yaml: error converting YAML to JSON: "
                    + HelmSerialization.goYAMLMessage(error))
            }
            switch document {
            case .null, .object: break
            default:
                throw HelmRenderError("cannot load values.yaml: error unmarshaling JSON: while decoding JSON: json: "
                    + "cannot unmarshal \(SimpleHead.jsonKind(document)) into Go value of type map[string]interface {}")
            }
        }
        let subcharts: [ChartContents]
        do {
            subcharts = try contents.subcharts()
        } catch {
            throw HelmRenderError(error.description)
        }
        for subchart in subcharts {
            do {
                try checkValues(subchart)
            } catch {
                throw HelmRenderError("error unpacking subchart \(subchart.name) in \(contents.name): \(error.description)")
            }
        }
    }
}
