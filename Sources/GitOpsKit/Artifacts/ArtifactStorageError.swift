/// Why a storage operation failed.
public enum ArtifactStorageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A path component is empty, `.`/`..`, or contains `/` or NUL.
    case invalidPath(String)
    /// The artifact file is missing from storage.
    case notFound(String)
    /// The file system refused.
    case fileSystem(FileSystemError)

    public var description: String {
        switch self {
        case .invalidPath(let path): "invalid artifact path component \(path.debugDescription)"
        case .notFound(let path): "artifact not found in storage: \(path)"
        case .fileSystem(let error): "artifact storage: \(error)"
        }
    }
}
