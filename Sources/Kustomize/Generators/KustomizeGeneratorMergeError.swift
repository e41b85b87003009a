/// `KustomizeGenerators.merge` was given objects it cannot combine.
public enum KustomizeGeneratorMergeError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The generated or the existing value is not an object.
    case notObjects
    /// The generator's behavior is `create` but an object with its id already exists.
    case behaviorMustBeMergeOrReplace(kind: String, name: String)

    public var description: String {
        switch self {
        case .notObjects: "merge needs two objects"
        case .behaviorMustBeMergeOrReplace(let kind, let name):
            "\(kind) \(name) already exists; a generator with the same name needs behavior merge or replace"
        }
    }
}
