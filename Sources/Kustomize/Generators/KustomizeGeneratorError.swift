/// A generator entry kustomize would refuse (or that this engine refuses on purpose), naming the kustomization file
/// and the field.
public struct KustomizeGeneratorError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What is wrong.
    public enum Reason: Sendable, Equatable {
        /// The field holds the wrong JSON type (`expected` is e.g. "string", `found` the YAML type seen).
        case wrongType(expected: String, found: String)
        /// A field kustomize does not know (kustomize decodes kustomizations strictly).
        case unknownField(String)
        /// The entry has no `name`.
        case missingName
        /// `behavior` is not create, merge or replace (kustomize silently treats unknown values as create).
        case unsupportedBehavior(String)
        /// A literal without `key=` (or with an empty key).
        case invalidLiteral(String)
        /// A `files` entry with a misplaced `=`.
        case invalidFileSource(source: String, problem: String)
        /// A source is an http(s) URL, which kustomize downloads; builds here never reach the network.
        case remoteFile(String)
        /// The file could not be read (missing, a directory, outside the root, …).
        case unreadableFile(path: String, problem: String)
        /// An env file line is not valid UTF-8 (1-based line number).
        case invalidEnvFile(path: String, line: Int)
        /// The key is not a valid ConfigMap/Secret data key (the API server would refuse the object).
        case invalidKey(key: String, problem: String)
        /// Two sources of one generator produce the same key.
        case duplicateKey(generator: String, key: String)
        /// `merge` was asked for an object it cannot combine with.
        case cannotMerge(String)
    }

    /// The kustomization file the entry is in.
    public var file: String
    /// The field path inside it, e.g. `configMapGenerator[1].literals[0]`.
    public var field: String
    public var reason: Reason

    public init(file: String, field: String, reason: Reason) {
        self.file = file
        self.field = field
        self.reason = reason
    }

    public var description: String {
        let problem: String
        switch reason {
        case .wrongType(let expected, let found): problem = "expected \(expected), found \(found)"
        case .unknownField(let name): problem = "unknown field \"\(name)\""
        case .missingName: problem = "a generated ConfigMap or Secret must have a name"
        case .unsupportedBehavior(let value):
            problem = "unsupported behavior \"\(value)\" (expected create, merge or replace)"
        case .invalidLiteral(let literal): problem = "invalid literal source \"\(literal)\", expected key=value"
        case .invalidFileSource(let source, let detail): problem = "invalid file source \"\(source)\": \(detail)"
        case .remoteFile(let url): problem = "remote file \"\(url)\" is not supported: sources must be files in the build root"
        case .unreadableFile(let path, let detail): problem = "cannot read \"\(path)\": \(detail)"
        case .invalidEnvFile(let path, let line): problem = "env file \"\(path)\" line \(line) is not valid UTF-8"
        case .invalidKey(let key, let detail): problem = "\"\(key)\" is not a valid data key: \(detail)"
        case .duplicateKey(let generator, let key): problem = "\(generator) illegally repeats the key `\(key)`"
        case .cannotMerge(let detail): problem = detail
        }
        return "\(file): \(field): \(problem)"
    }
}
