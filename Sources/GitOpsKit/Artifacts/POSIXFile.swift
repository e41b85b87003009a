#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#if canImport(CDispatch)
// Once any module imported by GitOpsKit loads Dispatch, its C module can own the libc struct declarations (stat,
// timespec); with MemberImportVisibility their members are then visible only through an import of it.
import CDispatch
#endif

/// An open file descriptor, closed when released: the small slice of POSIX the artifact code needs, so archives
/// stream through fixed buffers instead of going through `Data`. Used by one thread at a time; not `Sendable`.
final class POSIXFile {
    let descriptor: Int32
    let path: String

    /// Opens `path`; `flags` are `open(2)` flags (`O_CLOEXEC` is always added).
    init(path: String, flags: Int32, mode: mode_t = 0o600) throws(FileSystemError) {
        let fd = open(path, flags | O_CLOEXEC, mode)
        guard fd >= 0 else { throw FileSystemError("open", path: path) }
        self.descriptor = fd
        self.path = path
    }

    deinit { close(descriptor) }

    /// Writes all of `bytes`, retrying short writes and `EINTR`.
    func write(_ bytes: UnsafeRawBufferPointer) throws(FileSystemError) {
        guard var base = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let written = Glibc.write(descriptor, base, remaining)
            if written < 0 {
                if errno == EINTR { continue }
                throw FileSystemError("write", path: path)
            }
            remaining -= written
            base += written
        }
    }

    /// Writes all of `bytes`.
    func write(_ bytes: [UInt8]) throws(FileSystemError) {
        let result = bytes.withUnsafeBytes { raw in Result { () throws(FileSystemError) in try write(raw) } }
        try result.get()
    }

    /// Reads up to `buffer.count` bytes into the start of `buffer`; 0 means end of file.
    func read(into buffer: inout [UInt8]) throws(FileSystemError) -> Int {
        let result = buffer.withUnsafeMutableBytes { raw in Result { () throws(FileSystemError) in try read(into: raw) } }
        return try result.get()
    }

    /// Reads up to `buffer.count` bytes; 0 means end of file.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(FileSystemError) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        while true {
            let count = Glibc.read(descriptor, base, buffer.count)
            if count >= 0 { return count }
            if errno == EINTR { continue }
            throw FileSystemError("read", path: path)
        }
    }

    /// Flushes the file to stable storage (before an atomic rename publishes it).
    func sync() throws(FileSystemError) {
        guard fsync(descriptor) == 0 else { throw FileSystemError("fsync", path: path) }
    }
}

/// Path and metadata helpers over `lstat`/`readdir`; none of them follow symbolic links.
enum FileSystem {
    enum EntryType: Sendable, Equatable {
        case regular, directory, symbolicLink, other
    }

    struct Status: Sendable {
        var type: EntryType
        var permissions: mode_t
        var size: Int64
        /// Modification time in seconds since the epoch.
        var modificationTime: Double
    }

    /// `lstat(2)`; `nil` when nothing exists at `path`.
    static func status(_ path: String) throws(FileSystemError) -> Status? {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw FileSystemError("lstat", path: path)
        }
        let type: EntryType =
            switch info.st_mode & S_IFMT {
            case S_IFREG: .regular
            case S_IFDIR: .directory
            case S_IFLNK: .symbolicLink
            default: .other
            }
        let mtime = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        return Status(type: type, permissions: info.st_mode & 0o7777, size: Int64(info.st_size), modificationTime: mtime)
    }

    /// Names in a directory (without `.` and `..`), unsorted.
    static func contents(of path: String) throws(FileSystemError) -> [String] {
        guard let dir = opendir(path) else { throw FileSystemError("opendir", path: path) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Creates `path` and any missing parents (like `mkdir -p`); existing directories are fine.
    static func createDirectory(_ path: String, mode: mode_t = 0o755) throws(FileSystemError) {
        if try status(path)?.type == .directory { return }
        let parent = parentPath(of: path)
        if !parent.isEmpty && parent != path { try createDirectory(parent, mode: mode) }
        if mkdir(path, mode) != 0 && errno != EEXIST { throw FileSystemError("mkdir", path: path) }
    }

    /// Removes a file, a symbolic link or a whole directory tree; a missing path is not an error.
    static func removeTree(_ path: String) throws(FileSystemError) {
        guard let info = try status(path) else { return }
        if info.type == .directory {
            for name in try contents(of: path) { try removeTree(path + "/" + name) }
            guard rmdir(path) == 0 || errno == ENOENT else { throw FileSystemError("rmdir", path: path) }
        } else {
            guard unlink(path) == 0 || errno == ENOENT else { throw FileSystemError("unlink", path: path) }
        }
    }

    /// `rename(2)`: atomic replacement within one file system.
    static func rename(_ from: String, to: String) throws(FileSystemError) {
        guard Glibc.rename(from, to) == 0 else { throw FileSystemError("rename", path: "\(from) -> \(to)") }
    }

    /// Everything before the last `/` (`""` for a bare name, `/` for a root child).
    static func parentPath(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// A fresh, empty directory under `parent` (created if missing) with a random suffix.
    static func makeTemporaryDirectory(in parent: String, prefix: String) throws(FileSystemError) -> String {
        try createDirectory(parent)
        var template = Array((parent + "/" + prefix + "XXXXXX").utf8CString)
        let result = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        guard result != nil else { throw FileSystemError("mkdtemp", path: parent) }
        return String(decoding: template.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The system's temporary directory (`$TMPDIR` or `/tmp`).
    static var temporaryDirectory: String {
        if let value = getenv("TMPDIR"), value.pointee != 0 { return String(cString: value) }
        return "/tmp"
    }
}
