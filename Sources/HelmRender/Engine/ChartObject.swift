import GitOpsKit
import GoTemplate

/// `.Chart`: what Helm's engine hands templates, an anonymous `struct { chart.Metadata; IsRoot bool }`.
///
/// Templates read the capitalised Go field names (`.Chart.Name`, `.Chart.AppVersion`), so the fields are taken
/// from the raw `Chart.yaml` under Go's names with Go's zero values for absent ones, and `{{ .Chart }}` prints the
/// struct in Go's field order.
struct ChartObject: TemplateObject {
    /// `chart.Metadata`'s fields in declaration order (the order `%v` prints them in).
    static let fieldOrder = [
        "Name", "Home", "Sources", "Version", "Description", "Keywords", "Maintainers", "Icon", "APIVersion",
        "Condition", "Tags", "AppVersion", "Deprecated", "Annotations", "KubeVersion", "Dependencies", "Type",
    ]

    let fields: [String: TemplateValue]
    let isRoot: Bool

    init(metadata: ChartMetadata, isRoot: Bool) {
        let raw = metadata.raw
        var fields: [String: TemplateValue] = [:]
        fields["Name"] = .string(metadata.name)
        fields["Home"] = .string(Self.text(raw["home"]))
        fields["Sources"] = .list(Self.texts(raw["sources"]).map(TemplateValue.string))
        fields["Version"] = .string(metadata.version)
        fields["Description"] = .string(Self.text(raw["description"]))
        fields["Keywords"] = .list(Self.texts(raw["keywords"]).map(TemplateValue.string))
        fields["Maintainers"] = .list((raw["maintainers"]?.arrayValue ?? []).map { entry in
            .object(GoStructObject(goTypeName: "*chart.Maintainer", fields: [
                ("Name", .string(Self.text(entry["name"]))), ("Email", .string(Self.text(entry["email"]))),
                ("URL", .string(Self.text(entry["url"]))),
            ]))
        })
        fields["Icon"] = .string(Self.text(raw["icon"]))
        fields["APIVersion"] = .string(metadata.apiVersion)
        fields["Condition"] = .string(Self.text(raw["condition"]))
        fields["Tags"] = .string(Self.text(raw["tags"]))
        fields["AppVersion"] = .string(metadata.appVersion ?? "")
        fields["Deprecated"] = .bool(raw["deprecated"]?.boolValue ?? false)
        var annotations: [String: TemplateValue] = [:]
        for (key, value) in raw["annotations"]?.objectValue ?? [:] { annotations[key] = .string(Self.text(value)) }
        fields["Annotations"] = .map(annotations)
        fields["KubeVersion"] = .string(metadata.kubeVersion ?? "")
        fields["Dependencies"] = .list((raw["dependencies"]?.arrayValue ?? []).map { entry in
            .object(GoStructObject(goTypeName: "*chart.Dependency", fields: [
                ("Name", .string(Self.text(entry["name"]))), ("Version", .string(Self.text(entry["version"]))),
                ("Repository", .string(Self.text(entry["repository"]))),
                ("Condition", .string(Self.text(entry["condition"]))),
                ("Tags", .list(Self.texts(entry["tags"]).map(TemplateValue.string))),
                ("Enabled", .bool(entry["enabled"]?.boolValue ?? false)),
                ("ImportValues", .list((entry["import-values"]?.arrayValue ?? []).map(TemplateValue.init(helmValues:)))),
                ("Alias", .string(Self.text(entry["alias"]))),
            ]))
        })
        fields["Type"] = .string(metadata.type ?? "")
        self.fields = fields
        self.isRoot = isRoot
    }

    var goTypeName: String { "struct { chart.Metadata; IsRoot bool }" }

    func method(named name: String) -> TemplateFunction? { nil }

    func field(named name: String) -> TemplateValue? {
        if name == "IsRoot" { return .bool(isRoot) }
        return fields[name]
    }

    var formatted: String {
        let metadata = Self.fieldOrder.map { GoStructObject.nestedFormat(fields[$0] ?? .null) }.joined(separator: " ")
        return "{{\(metadata)} \(isRoot)}"
    }

    /// A scalar of `Chart.yaml` as the string Go's decoder makes of it (sigs.k8s.io/yaml turns `1.0` into `"1.0"`
    /// only when quoted, so numbers print as JSON would).
    static func text(_ value: JSONValue?) -> String {
        switch value {
        case .string(let string)?: return string
        case .int(let int)?: return String(int)
        case .double(let double)?: return GoFormat.format(.float(double))
        case .bool(let bool)?: return bool ? "true" : "false"
        default: return ""
        }
    }

    static func texts(_ value: JSONValue?) -> [String] {
        (value?.arrayValue ?? []).map { text($0) }
    }
}

/// A plain Go struct (or pointer to one) without methods: fields by name, printed as `{a b}` (`&{a b}` when it is a
/// pointer printed inside another value).
struct GoStructObject: TemplateObject {
    let goTypeName: String
    let fields: [(String, TemplateValue)]

    func method(named name: String) -> TemplateFunction? { nil }

    func field(named name: String) -> TemplateValue? {
        fields.first { $0.0 == name }?.1
    }

    var formatted: String {
        "{" + fields.map { Self.nestedFormat($0.1) }.joined(separator: " ") + "}"
    }

    /// `%v` of a value nested in a struct: like the top level, except that an empty string prints as nothing
    /// (so two spaces separate its neighbours) and nested objects print their struct form.
    static func nestedFormat(_ value: TemplateValue) -> String {
        switch value {
        case .object(let object): return object.formatted
        case .list(let elements): return "[" + elements.map(nestedFormat).joined(separator: " ") + "]"
        default: return GoFormat.format(value)
        }
    }
}
