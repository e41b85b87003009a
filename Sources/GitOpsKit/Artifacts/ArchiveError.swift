/// Why an archive could not be written or read: a hostile or corrupt archive, a limit, or the file system.
public enum ArchiveError: Error, Sendable, Hashable, CustomStringConvertible {
    /// An entry name climbs out of the target directory (`../x`, `a/../../x`).
    case pathTraversal(String)
    /// An entry name is absolute (`/etc/passwd`).
    case absolutePath(String)
    /// An entry name is empty, contains NUL, or is otherwise unusable.
    case invalidPath(String)
    /// An entry is larger than the per-file limit.
    case fileTooLarge(path: String, size: Int64, limit: Int64)
    /// The entries together are larger than the total limit.
    case totalSizeExceeded(limit: Int64)
    /// The archive holds more entries than allowed.
    case tooManyEntries(limit: Int)
    /// The bytes are not a valid tar.gz (bad gzip stream, bad header checksum, truncated entry…).
    case corrupt(String)
    /// Writing or reading the file system failed.
    case fileSystem(FileSystemError)
    /// An entry of a type that has no place in an artifact (device, FIFO).
    case unsupportedEntry(path: String, type: UInt8)
    /// A path in the archive collides with something on disk it may not replace (a directory where a file goes).
    case conflict(String)

    public var description: String {
        switch self {
        case .pathTraversal(let path): "path traversal in archive: \(path)"
        case .absolutePath(let path): "absolute path in archive: \(path)"
        case .invalidPath(let path): "invalid path in archive: \(path.debugDescription)"
        case .fileTooLarge(let path, let size, let limit):
            "file in archive too large: \(path) is \(size) bytes, the limit is \(limit)"
        case .totalSizeExceeded(let limit): "archive too large: more than \(limit) bytes when extracted"
        case .tooManyEntries(let limit): "archive has too many entries: the limit is \(limit)"
        case .corrupt(let reason): "corrupt archive: \(reason)"
        case .fileSystem(let error): error.description
        case .unsupportedEntry(let path, let type):
            "unsupported entry in archive: \(path) has type \(type >= 0x20 && type < 0x7F ? "'\(Character(Unicode.Scalar(type)))'" : String(type))"
        case .conflict(let path): "cannot extract \(path): it conflicts with an existing entry"
        }
    }
}
