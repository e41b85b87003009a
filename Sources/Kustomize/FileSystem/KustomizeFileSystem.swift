import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// A read-only view of one directory tree that a build may not leave.
///
/// Every path a kustomization names is resolved against the directory of that kustomization and must stay inside
/// `root`: absolute paths, `..` escapes and symlinks whose target lies outside are refused with an error naming
/// the path, so a hostile artifact cannot make the controller read its own files.
public struct KustomizeFileSystem: KustomizeFileReading {
    /// The canonical (symlink-free) absolute root every access stays under.
    public let root: String

    /// - Throws: `KustomizeError` when `root` does not exist or is not a directory.
    public init(root: String) throws(KustomizeError) {
        guard let canonical = Self.canonicalPath(root) else {
            throw KustomizeError("root directory '\(root)' does not exist")
        }
        guard Self.isDirectoryPath(canonical) else {
            throw KustomizeError("root '\(root)' is not a directory")
        }
        self.root = canonical
    }

    /// Resolves `path` as written in a kustomization against `directory` (absolute, inside the root).
    ///
    /// Lexically normalises `.` and `..`, refuses absolute paths and escapes, then resolves symlinks and checks
    /// the real location again. A path that does not exist is returned in its lexical form.
    public func resolve(_ path: String, relativeTo directory: String) throws(KustomizeError) -> String {
        if path.hasPrefix("/") {
            throw KustomizeError("security; path '\(path)' is absolute; only paths inside '\(root)' may be used")
        }
        let lexical = Self.normalize(directory + "/" + path)
        guard isInsideRoot(lexical) else {
            throw KustomizeError("security; path '\(path)' resolves to '\(lexical)', which is not in or below '\(root)'")
        }
        guard let real = Self.canonicalPath(lexical) else { return lexical }
        guard isInsideRoot(real) else {
            throw KustomizeError(
                "security; path '\(path)' is a symlink to '\(real)', which is not in or below '\(root)'")
        }
        return real
    }

    /// A local path (absolute, or relative to the working directory) as a path relative to the root, for
    /// callers that name a directory on the command line; throws when it lies outside the root.
    public func relativePath(ofLocal path: String) throws(KustomizeError) -> String {
        guard let real = Self.canonicalPath(path) else { throw KustomizeError("'\(path)' does not exist") }
        guard isInsideRoot(real) else { throw KustomizeError("'\(path)' is not in or below '\(root)'") }
        return real == root ? "" : String(real.dropFirst(root == "/" ? 1 : root.count + 1))
    }

    /// The absolute path of a directory below the root given relative to it (`""` or `"."` is the root).
    public func directory(_ relativePath: String) throws(KustomizeError) -> String {
        let trimmed = relativePath.isEmpty ? "." : relativePath
        let resolved = try resolve(trimmed, relativeTo: root)
        guard Self.isDirectoryPath(resolved) else {
            throw KustomizeError("'\(relativePath)' is not a directory under '\(root)'")
        }
        return resolved
    }

    public func read(_ path: String, relativeTo directory: String) throws -> [UInt8] {
        try readFile(resolve(path, relativeTo: directory), displayName: path)
    }

    /// Bytes of an already resolved absolute path.
    func readFile(_ absolutePath: String, displayName: String) throws(KustomizeError) -> [UInt8] {
        guard isInsideRoot(absolutePath) else {
            throw KustomizeError("security; file '\(displayName)' is not in or below '\(root)'")
        }
        guard let data = FileManager.default.contents(atPath: absolutePath) else {
            throw KustomizeError("cannot read file '\(displayName)' (\(absolutePath))")
        }
        return [UInt8](data)
    }

    func isDirectory(_ absolutePath: String) -> Bool { Self.isDirectoryPath(absolutePath) }

    func isFile(_ absolutePath: String) -> Bool {
        var isDirectory = false
        return FileManager.default.fileExists(atPath: absolutePath, isDirectory: &isDirectory) && !isDirectory
    }

    /// Entry names of a directory, sorted (Go's `os.ReadDir` order).
    func list(_ absolutePath: String) throws(KustomizeError) -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: absolutePath).sorted()
        } catch {
            throw KustomizeError("cannot list directory '\(absolutePath)': \(error)")
        }
    }

    /// The path relative to the root, for messages.
    func display(_ absolutePath: String) -> String {
        if absolutePath == root { return "." }
        if absolutePath.hasPrefix(root + "/") { return String(absolutePath.dropFirst(root.count + 1)) }
        return absolutePath
    }

    func isInsideRoot(_ absolutePath: String) -> Bool {
        root == "/" || absolutePath == root || absolutePath.hasPrefix(root + "/")
    }

    static func isDirectoryPath(_ path: String) -> Bool {
        var isDirectory = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory
    }

    /// `realpath(3)`: the absolute path with every symlink resolved, or nil when it does not exist.
    static func canonicalPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Collapses `.`, `..` and repeated slashes of an absolute path without touching the file system.
    static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }
}
