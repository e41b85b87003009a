import GitOpsKit

/// One `configMapGenerator` or `secretGenerator` entry, decoded strictly.
struct GeneratorArgs {
    enum Kind: String {
        case configMap = "ConfigMap"
        case secret = "Secret"

        var field: String { self == .configMap ? "configMapGenerator" : "secretGenerator" }
    }

    var kind: Kind
    /// `configMapGenerator[2]`, for errors.
    var path: String
    var name: String
    var namespace: String
    var behavior: GeneratorBehavior
    var literals: [String]
    var files: [String]
    /// `envs` followed by the legacy singular `env`, the order kustomize appends them in, each with its field.
    var envs: [(path: String, field: String)]
    var options: GeneratorOptions
    /// Secrets only; empty means Opaque.
    var secretType: String

    private static let commonFields: Set<String> = [
        "name", "namespace", "behavior", "literals", "files", "envs", "env", "options",
    ]

    init(kind: Kind, index: Int, entry: JSONValue, file: String) throws(KustomizeGeneratorError) {
        let path = "\(kind.field)[\(index)]"
        let known = kind == .secret ? Self.commonFields.union(["type"]) : Self.commonFields
        // A null entry decodes to an empty one in kustomize, which then lacks a name.
        guard let reader = try GeneratorFieldReader(entry, file: file, path: path, known: known) else {
            throw KustomizeGeneratorError(file: file, field: "\(path).name", reason: .missingName)
        }
        self.kind = kind
        self.path = path
        name = try reader.string("name")
        guard !name.isEmpty else { throw reader.error("name", .missingName) }
        namespace = try reader.string("namespace")
        let behaviorText = try reader.string("behavior")
        if behaviorText.isEmpty {
            behavior = .create
        } else if let known = GeneratorBehavior(rawValue: behaviorText) {
            behavior = known
        } else {
            throw reader.error("behavior", .unsupportedBehavior(behaviorText))
        }
        literals = try reader.strings("literals")
        files = try reader.strings("files")
        envs = try reader.strings("envs").enumerated().map { ($1, "\(path).envs[\($0)]") }
        let legacyEnv = try reader.string("env")
        if !legacyEnv.isEmpty { envs.append((legacyEnv, "\(path).env")) }
        let optionsReader = try GeneratorFieldReader(
            reader.fields["options"], file: file, path: "\(path).options", known: GeneratorOptions.fieldNames)
        options = try optionsReader.map(GeneratorOptions.init) ?? GeneratorOptions()
        secretType = kind == .secret ? try reader.string("type") : ""
    }
}
