import GitOpsKit

/// kustomize's `configMapGenerator` / `secretGenerator` (with `generatorOptions`), producing the same objects
/// `kubectl kustomize` (kustomize v5) generates.
public enum KustomizeGenerators {
    /// The ConfigMaps (in entry order) then the Secrets a kustomization generates.
    ///
    /// - Parameters:
    ///   - kustomization: the decoded kustomization file.
    ///   - directory: the kustomization's directory, which relative source paths start from.
    ///   - files: reads sources; it refuses paths outside the build root.
    ///   - file: the kustomization file's path, for errors.
    public static func generate(
        kustomization: JSONValue, directory: String, files: any KustomizeFileReading, file: String
    ) throws -> [GeneratedResource] {
        let global =
            try GeneratorFieldReader(
                kustomization["generatorOptions"], file: file, path: "generatorOptions",
                known: GeneratorOptions.fieldNames
            ).map(GeneratorOptions.init) ?? GeneratorOptions()
        // Like kustomize, decode every entry (strictly) before reading any source.
        var allArgs: [GeneratorArgs] = []
        for kind in [GeneratorArgs.Kind.configMap, .secret] {
            for (index, entry) in try entries(kustomization[kind.field], field: kind.field, file: file).enumerated() {
                var args = try GeneratorArgs(kind: kind, index: index, entry: entry, file: file)
                args.options = args.options.merging(global: global)
                allArgs.append(args)
            }
        }
        let loader = KeyValueLoader(files: files, directory: directory, file: file)
        var generated: [GeneratedResource] = []
        for args in allArgs {
            generated.append(
                GeneratedResource(
                    object: GeneratedObject.make(args, data: try loader.load(args)),
                    behavior: args.behavior,
                    appendHashSuffix: !args.options.disableNameSuffixHash))
        }
        return generated
    }

    private static func entries(_ value: JSONValue?, field: String, file: String) throws(KustomizeGeneratorError)
        -> [JSONValue]
    {
        switch value {
        case nil, .null?: return []
        case .array(let items)?: return items
        case let other?:
            throw KustomizeGeneratorError(
                file: file, field: field, reason: .wrongType(expected: "list", found: other.typeName))
        }
    }
}
