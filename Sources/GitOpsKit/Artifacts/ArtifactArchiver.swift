#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOPosix

/// What writing an artifact produced: the content digest and size the artifact status advertises.
public struct ArchiveSummary: Sendable, Hashable {
    /// `sha256:<hex>` of the archive bytes.
    public var digest: String
    /// Size of the archive in bytes.
    public var size: Int64
    /// Files and directories written.
    public var entryCount: Int
}

/// Writes a directory tree as a reproducible `.tar.gz`: the same tree gives the same bytes and digest no matter
/// the file times, owners, umask or creation order, so an artifact's digest identifies its content.
///
/// Entries are in path order (per-directory byte order, like Go's `filepath.Walk`); headers carry uid/gid 0, empty
/// owner names, zero times and modes 0750 (directories), 0700 (files with any execute bit) or 0600; only regular
/// files and directories are written (symbolic links and devices are skipped). The archive is streamed to a
/// temporary file next to the destination — the digest and size computed on the way — and renamed into place.
///
/// Usage:
/// ```swift
/// let archiver = ArtifactArchiver(ignoreRules: try .forSource(root: checkout, specIgnore: nil))
/// let summary = try await archiver.archive(directory: checkout, to: storage.localPath(for: path))
/// ```
public struct ArtifactArchiver: Sendable {
    /// Paths matched here are left out.
    public var ignoreRules: IgnoreRules
    /// An additional exclusion hook: return `true` to leave a path out (relative, `/`-separated).
    public var exclude: (@Sendable (_ path: String, _ isDirectory: Bool) -> Bool)?
    /// zlib level 1…9, or -1 for the default (6).
    public var compressionLevel: Int32

    public init(
        ignoreRules: IgnoreRules = IgnoreRules(),
        exclude: (@Sendable (_ path: String, _ isDirectory: Bool) -> Bool)? = nil,
        compressionLevel: Int32 = -1
    ) {
        self.ignoreRules = ignoreRules
        self.exclude = exclude
        self.compressionLevel = compressionLevel
    }

    /// Mode bits written for directories, plain files and executable files.
    public static let directoryMode: Int64 = 0o750
    public static let fileMode: Int64 = 0o600
    public static let executableMode: Int64 = 0o700

    /// Archives `directory` into `destination` on the NIO thread pool (file I/O and compression block).
    public func archive(directory: String, to destination: String) async throws -> ArchiveSummary {
        try await NIOThreadPool.singleton.runIfActive { try archiveSynchronously(directory: directory, to: destination) }
    }

    /// Archives `directory` into `destination`, blocking the calling thread.
    public func archiveSynchronously(directory: String, to destination: String) throws -> ArchiveSummary {
        guard try FileSystem.status(directory)?.type == .directory else {
            throw ArchiveError.fileSystem(FileSystemError("archive", path: directory, code: ENOTDIR))
        }
        let prune = exclude == nil && !ignoreRules.hasInclusions
        return try Self.writeAtomically(to: destination, compressionLevel: compressionLevel) { writer in
            var entries = 0
            try walk(root: directory, relative: "", prune: prune) { relative, status in
                if status.type == .directory {
                    try writer.append(TarHeader(name: relative + "/", mode: Self.directoryMode, size: 0, typeFlag: TarHeader.EntryType.directory.rawValue))
                } else {
                    let mode = status.permissions & 0o111 != 0 ? Self.executableMode : Self.fileMode
                    try writer.appendFile(at: directory + "/" + relative, name: relative, mode: mode, size: status.size)
                }
                entries += 1
            }
            return entries
        }
    }

    /// Streams the tar.gz `body` writes (it returns the number of entries) into a temporary file next to
    /// `destination` — digest and size computed on the way — then renames it into place. Shared by every writer of
    /// reproducible archives (a directory here, a Git tree in `GitTreeArchiver`).
    static func writeAtomically(to destination: String, compressionLevel: Int32,
                                _ body: (TarStreamWriter) throws -> Int) throws -> ArchiveSummary
    {
        let parent = FileSystem.parentPath(of: destination)
        try FileSystem.createDirectory(parent.isEmpty ? "." : parent)
        let base = destination.split(separator: "/").last.map(String.init) ?? "artifact"
        var template = Array(((parent.isEmpty ? "." : parent) + "/." + base + ".tmp-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { mkstemp($0) } ?? -1 }
        let temporaryPath = String(decoding: template.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard fd >= 0 else { throw ArchiveError.fileSystem(FileSystemError("mkstemp", path: temporaryPath)) }
        close(fd)
        do {
            let file = try POSIXFile(path: temporaryPath, flags: O_WRONLY | O_TRUNC)
            var digest = StreamingDigest(.sha256)
            var size: Int64 = 0
            let writer = try TarStreamWriter(compressionLevel: compressionLevel) { chunk in
                digest.update(chunk)
                size += Int64(chunk.count)
                try file.write(chunk)
            }
            let entries = try body(writer)
            try writer.finish()
            try file.sync()
            guard fchmod(file.descriptor, 0o600) == 0 else { throw FileSystemError("fchmod", path: temporaryPath) }
            try FileSystem.rename(temporaryPath, to: destination)
            return ArchiveSummary(digest: "sha256:" + digest.finalize().hexString, size: size, entryCount: entries)
        } catch {
            unlink(temporaryPath)
            if let error = error as? FileSystemError { throw ArchiveError.fileSystem(error) }
            throw error
        }
    }

    /// Depth-first, each directory's names in byte order; calls `visit` for every included file and directory.
    private func walk(
        root: String, relative: String, prune: Bool,
        visit: (String, FileSystem.Status) throws -> Void
    ) throws {
        let directory = relative.isEmpty ? root : root + "/" + relative
        let names = try FileSystem.contents(of: directory).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for name in names {
            let child = relative.isEmpty ? name : relative + "/" + name
            guard let status = try FileSystem.status(root + "/" + child) else { continue }  // vanished meanwhile
            guard status.type == .regular || status.type == .directory else { continue }
            let isDirectory = status.type == .directory
            let excluded = ignoreRules.isExcluded(child, isDirectory: isDirectory) || (exclude?(child, isDirectory) ?? false)
            if excluded && (prune || !isDirectory) { continue }
            if !excluded { try visit(child, status) }
            if isDirectory { try walk(root: root, relative: child, prune: prune, visit: visit) }
        }
    }
}
