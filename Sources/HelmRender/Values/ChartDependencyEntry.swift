import GitOpsKit

/// One `dependencies` entry of `Chart.yaml` while Helm processes it (Helm's `chart.Dependency`): its name becomes
/// the alias, it gets an `enabled` flag, and its `import-values` are rewritten to `{child, parent}` pairs. Kept as
/// the raw document so every other field survives for `.Chart.Dependencies`.
struct ChartDependencyEntry {
    var raw: JSONValue

    var name: String {
        get { Self.text(raw["name"]) }
        set { raw["name"] = .string(newValue) }
    }
    var version: String { Self.text(raw["version"]) }
    var alias: String { Self.text(raw["alias"]) }
    var condition: String { Self.text(raw["condition"]) }
    var tags: [String] { (raw["tags"]?.arrayValue ?? []).map(Self.text) }
    var importValues: [JSONValue] {
        get { raw["import-values"]?.arrayValue ?? [] }
        set { raw["import-values"] = newValue.isEmpty ? nil : .array(newValue) }
    }
    var enabled: Bool {
        get { raw["enabled"]?.boolValue ?? false }
        set { raw["enabled"] = newValue ? .bool(true) : nil }
    }

    /// The entries of a chart, or `nil` when Helm's `Metadata.Dependencies` is nil (no `dependencies` key, a null,
    /// or emptied by an earlier processing step): Helm skips dependency and import processing for such charts.
    static func entries(of metadata: ChartMetadata) -> [ChartDependencyEntry]? {
        guard case .array(let elements)? = metadata.raw["dependencies"] else { return nil }
        return elements.map { ChartDependencyEntry(raw: $0) }
    }

    /// Writes `entries` back into the chart's metadata; an empty list becomes nil, as Go's `append(nil, …)` leaves it.
    static func store(_ entries: [ChartDependencyEntry], in metadata: inout ChartMetadata) {
        metadata.raw["dependencies"] = entries.isEmpty ? nil : .array(entries.map(\.raw))
        metadata.dependencies = (try? ChartMetadata(value: metadata.raw))?.dependencies ?? []
    }

    /// A scalar as the string Helm's struct decoding makes of it.
    private static func text(_ value: JSONValue?) -> String {
        switch value {
        case .string(let text)?: return text
        case .int(let number)?: return String(number)
        case .double(let number)?:
            if number.rounded() == number, abs(number) < 1e15 { return String(Int64(number)) }
            return String(number)
        case .bool(let flag)?: return flag ? "true" : "false"
        default: return ""
        }
    }
}
