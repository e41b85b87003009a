/// A chart's `Chart.yaml` (Helm's `chart.Metadata`): what source-controller needs to name and version an artifact,
/// and what helm-controller exposes to templates as `.Chart`.
///
/// The whole document is kept in ``raw`` so a chart re-packaged with a new version (build metadata) keeps every
/// field Helm knows and this type does not model.
///
/// Usage:
/// ```swift
/// let metadata = try ChartMetadata(yaml: chartYAMLBytes)
/// try metadata.validate()            // Helm's rules: apiVersion, name, SemVer version, type
/// var tagged = metadata
/// tagged.version = "1.2.3+abc"        // written back by yamlBytes()
/// ```
public struct ChartMetadata: Sendable, Hashable {
    /// One entry of `dependencies` (Chart.yaml v2).
    public struct Dependency: Sendable, Hashable {
        public var name: String
        public var version: String?
        public var repository: String?
        public var condition: String?
        public var tags: [String]
        public var alias: String?
    }

    /// `v1` or `v2`.
    public var apiVersion: String
    public var name: String
    /// A SemVer 2 version (`1.2.3`, `v1.2`, `1.0.0-rc.1+build`).
    public var version: String
    public var appVersion: String?
    public var description: String?
    /// `application` (default) or `library`.
    public var type: String?
    /// Kubernetes versions the chart supports (a SemVer range).
    public var kubeVersion: String?
    public var dependencies: [Dependency]
    /// Every field of the document as parsed.
    public var raw: JSONValue

    /// Reads `Chart.yaml` bytes. Scalars in string fields are read as text (`appVersion: 1.16` is `"1.16"`), as
    /// Helm's YAML decoder does.
    public init(yaml bytes: [UInt8]) throws(HelmChartError) {
        let value: JSONValue
        do {
            value = try YAML.decode(bytes)
        } catch {
            throw .invalidChartFile("\(error)")
        }
        try self.init(value: value)
    }

    /// Reads an already parsed `Chart.yaml` (or an index entry, which carries the same fields).
    public init(value: JSONValue) throws(HelmChartError) {
        guard case .object = value else {
            throw .invalidChartFile("expected a mapping, found \(value.typeName)")
        }
        raw = value
        apiVersion = Self.text(value["apiVersion"]) ?? ""
        name = Self.text(value["name"]) ?? ""
        version = Self.text(value["version"]) ?? ""
        appVersion = Self.text(value["appVersion"])
        description = Self.text(value["description"])
        type = Self.text(value["type"])
        kubeVersion = Self.text(value["kubeVersion"])
        dependencies = (value["dependencies"]?.arrayValue ?? []).compactMap { entry in
            guard let name = Self.text(entry["name"]) else { return nil }
            return Dependency(
                name: name, version: Self.text(entry["version"]), repository: Self.text(entry["repository"]),
                condition: Self.text(entry["condition"]),
                tags: (entry["tags"]?.arrayValue ?? []).compactMap { Self.text($0) }, alias: Self.text(entry["alias"]))
        }
    }

    /// Checks Helm's metadata rules (`chart.Metadata.Validate`).
    public func validate() throws(HelmChartError) {
        if apiVersion.isEmpty { throw .invalidMetadata("chart.metadata.apiVersion is required") }
        if name.isEmpty { throw .invalidMetadata("chart.metadata.name is required") }
        if name.contains("/") || name == "." || name == ".." {
            throw .invalidMetadata("chart.metadata.name \(quoted(name)) is invalid")
        }
        if version.isEmpty { throw .invalidMetadata("chart.metadata.version is required") }
        if SemanticVersion(version) == nil {
            throw .invalidMetadata("chart.metadata.version \(quoted(version)) is invalid")
        }
        if let type, !type.isEmpty, type != "application", type != "library" {
            throw .invalidMetadata("chart.metadata.type must be application or library")
        }
        for dependency in dependencies where dependency.name.isEmpty || dependency.name.contains("/") {
            throw .invalidMetadata("dependency name \(quoted(dependency.name)) is invalid")
        }
    }

    /// `Chart.yaml` as YAML with ``version`` (and the other modelled scalars) written into ``raw``.
    public func yamlBytes() -> [UInt8] {
        var document = raw
        document["apiVersion"] = .string(apiVersion)
        document["name"] = .string(name)
        document["version"] = .string(version)
        return Array(YAML.encode(document).utf8)
    }

    /// The version with SemVer build metadata set (replacing any), normalised as Masterminds/semver prints it:
    /// `1.2` + `abc` → `1.2.0+abc`.
    public static func version(_ version: String, withMetadata metadata: String) throws(HelmChartError) -> String {
        guard var parsed = SemanticVersion(version), SemanticVersion("0.0.0+" + metadata) != nil else {
            throw .invalidVersionMetadata(version: version, metadata: metadata)
        }
        parsed.metadata = metadata
        return parsed.description
    }

    /// A scalar as text; mappings and sequences are not text.
    static func text(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let text): text
        case .int(let number): String(number)
        case .double(let number): number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .bool(let flag): flag ? "true" : "false"
        default: nil
        }
    }
}
