/// Why a Helm repository index could not be used, or had no chart version to offer.
public enum HelmIndexError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The index file is empty.
    case empty
    /// The bytes are not YAML (or JSON), or not a mapping.
    case malformed(String)
    /// `apiVersion` is missing (Helm's `ErrNoAPIVersion`).
    case noAPIVersion
    /// `entries` is not a mapping of chart names to lists.
    case invalidEntries(String)
    /// The index has no chart of that name.
    case chartNotFound(name: String)
    /// The chart exists but no version satisfies the constraint.
    case noMatchingVersion(name: String, constraint: String)
    /// The version constraint does not parse.
    case invalidConstraint(String)

    public var description: String {
        switch self {
        case .empty: "empty index.yaml"
        case .malformed(let reason): "malformed index.yaml: \(reason)"
        case .noAPIVersion: "malformed index.yaml: no API version specified"
        case .invalidEntries(let reason): "malformed index.yaml: \(reason)"
        case .chartNotFound(let name): "no chart name found: '\(name)' is not in the repository index"
        case .noMatchingVersion(let name, let constraint):
            "no '\(name)' chart with version matching '\(constraint)' found"
        case .invalidConstraint(let reason): "invalid version constraint: \(reason)"
        }
    }
}
