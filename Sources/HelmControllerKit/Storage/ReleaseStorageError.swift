/// Why Helm release storage could not be read or written.
public enum ReleaseStorageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A release Secret whose payload is not a valid record (bad base64, gzip or JSON, missing fields).
    case corrupt(String)
    /// A record in a named storage Secret could not be read.
    case corruptSecret(name: String, reason: String)
    /// The Kubernetes API refused or failed a storage call.
    case api(String)

    public var description: String {
        switch self {
        case .corrupt(let reason): reason
        case .corruptSecret(let name, let reason): "release storage Secret '\(name)' is corrupt: \(reason)"
        case .api(let message): message
        }
    }
}
