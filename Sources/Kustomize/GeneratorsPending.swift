import GitOpsKit

// Placeholder for the generator interface the `kustgen` branch provides in Generators/; deleted when it merges.

public enum GeneratorBehavior: String, Sendable { case create, merge, replace }

public struct GeneratedResource: Sendable {
    public var object: JSONValue
    public var behavior: GeneratorBehavior
    public var appendHashSuffix: Bool
}

public enum KustomizeGenerators {
    public static func generate(kustomization: JSONValue, directory: String, files: any KustomizeFileReading,
                                file: String) throws -> [GeneratedResource] {
        for field in ["configMapGenerator", "secretGenerator"] where kustomization[field] != nil {
            throw KustomizeError("\(field) in '\(file)': not yet supported")
        }
        return []
    }
}

public enum KustomizeHash {
    public static func suffix(for object: JSONValue) throws -> String {
        throw KustomizeError("hash suffixes: not yet supported")
    }
}
