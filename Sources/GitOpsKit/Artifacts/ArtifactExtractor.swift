#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOPosix

/// Unpacks an artifact `.tar.gz` into a directory without trusting it: names that are absolute or climb out with
/// `..` are rejected, symbolic and hard links are skipped (never created), devices and FIFOs are rejected, and
/// limits bound the total size, the entry count and each file's size, so a hostile archive cannot write outside
/// the target or fill the disk.
///
/// Usage:
/// ```swift
/// let summary = try await ArtifactExtractor().extract(archiveAt: downloaded, into: workDir)
/// ```
public struct ArtifactExtractor: Sendable {
    /// Bounds on what one archive may unpack to.
    public struct Limits: Sendable, Hashable {
        /// Sum of all file sizes, in bytes (Flux: 100 MiB).
        public var maxTotalSize: Int64
        /// Largest single file, in bytes.
        public var maxFileSize: Int64
        /// Number of entries (files, directories and skipped links).
        public var maxEntries: Int

        public init(maxTotalSize: Int64 = 100 << 20, maxFileSize: Int64? = nil, maxEntries: Int = 100_000) {
            self.maxTotalSize = maxTotalSize
            self.maxFileSize = maxFileSize ?? maxTotalSize
            self.maxEntries = maxEntries
        }

        /// Flux's defaults: 100 MiB in total.
        public static let `default` = Limits()
    }

    /// What an extraction wrote.
    public struct Summary: Sendable, Hashable {
        public var files = 0
        public var directories = 0
        /// Bytes of file content written.
        public var bytes: Int64 = 0
        /// Entries left out: symbolic and hard links.
        public var skipped: [String] = []
    }

    public var limits: Limits

    public init(limits: Limits = .default) {
        self.limits = limits
    }

    /// Extracts the `.tar.gz` at `archivePath` into `directory` (created if missing) on the NIO thread pool.
    public func extract(archiveAt archivePath: String, into directory: String) async throws -> Summary {
        try await NIOThreadPool.singleton.runIfActive { try extractSynchronously(archiveAt: archivePath, into: directory) }
    }

    /// Extracts the `.tar.gz` at `archivePath` into `directory`, blocking the calling thread.
    public func extractSynchronously(archiveAt archivePath: String, into directory: String) throws -> Summary {
        let input = try POSIXFile(path: archivePath, flags: O_RDONLY)
        let stream = try ArtifactExtractionStream(directory: directory, limits: limits)
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = try input.read(into: &buffer)
            if count == 0 { break }
            try buffer.withUnsafeBytes { try stream.write(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
        }
        return try stream.finish()
    }
}

/// An extraction fed incrementally (for example straight from a download): `write` gzip bytes as they arrive,
/// then `finish`. Used by one thread at a time; not `Sendable`.
public final class ArtifactExtractionStream {
    private let sink: ExtractingEntryHandler
    private let reader: TarStreamReader
    private var decompressor: GzipDecompressor?

    /// Prepares to extract into `directory`, creating it if needed.
    public init(directory: String, limits: ArtifactExtractor.Limits = .default) throws {
        do {
            try FileSystem.createDirectory(directory)
        } catch {
            throw ArchiveError.fileSystem(error)
        }
        let sink = ExtractingEntryHandler(root: directory, limits: limits)
        let reader = TarStreamReader(handler: sink)
        self.sink = sink
        self.reader = reader
        self.decompressor = try GzipDecompressor { bytes in try reader.feed(bytes) }
    }

    /// Decompresses and unpacks the next chunk of the `.tar.gz` stream.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        try wrapped { try decompressor?.write(bytes) }
    }

    /// Checks the archive ended cleanly and returns what was written.
    public func finish() throws -> ArtifactExtractor.Summary {
        try wrapped {
            try decompressor?.finish()
            try reader.finish()
            try sink.endEntry()
        }
        decompressor = nil
        return sink.summary
    }

    private func wrapped(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as FileSystemError {
            throw ArchiveError.fileSystem(error)
        }
    }
}

/// Writes entries below `root`, enforcing the path rules and limits.
final class ExtractingEntryHandler: TarEntryHandler {
    private let root: String
    private let limits: ArtifactExtractor.Limits
    private(set) var summary = ArtifactExtractor.Summary()
    private var entries = 0
    private var current: POSIXFile?
    /// Directories known to exist (as real directories) below the root, so each is checked once.
    private var verifiedDirectories: Set<String> = [""]

    init(root: String, limits: ArtifactExtractor.Limits) {
        self.root = root
        self.limits = limits
    }

    func beginEntry(_ entry: TarEntry) throws -> Bool {
        current = nil
        entries += 1
        guard entries <= limits.maxEntries else { throw ArchiveError.tooManyEntries(limit: limits.maxEntries) }
        guard let relative = try Self.sanitize(entry.name) else { return false }  // the root itself ("./")
        switch entry.type {
        case .directory:
            try makeDirectories(relative)
            summary.directories += 1
            return false
        case .regular, .contiguous:
            guard entry.size <= limits.maxFileSize else {
                throw ArchiveError.fileTooLarge(path: entry.name, size: entry.size, limit: limits.maxFileSize)
            }
            guard summary.bytes + entry.size <= limits.maxTotalSize else {
                throw ArchiveError.totalSizeExceeded(limit: limits.maxTotalSize)
            }
            let parent = FileSystem.parentPath(of: relative)
            try makeDirectories(parent)
            let path = root + "/" + relative
            if let existing = try FileSystem.status(path), existing.type != .regular {
                throw ArchiveError.conflict(entry.name)
            }
            let mode = mode_t(entry.mode & 0o777) | 0o600
            current = try POSIXFile(path: path, flags: O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, mode: mode)
            summary.files += 1
            summary.bytes += entry.size
            return true
        case .symbolicLink, .hardLink:
            summary.skipped.append(relative)
            return false
        default:
            throw ArchiveError.unsupportedEntry(path: entry.name, type: entry.rawType)
        }
    }

    func entryData(_ bytes: UnsafeRawBufferPointer) throws {
        try current?.write(bytes)
    }

    func endEntry() throws {
        current = nil
    }

    /// The entry's path relative to the root, or `nil` for the root itself; throws for hostile names.
    static func sanitize(_ name: String) throws(ArchiveError) -> String? {
        guard !name.utf8.contains(0) else { throw .invalidPath(name) }
        if name.hasPrefix("/") { throw .absolutePath(name) }
        var components: [Substring] = []
        for component in name.split(separator: "/", omittingEmptySubsequences: true) {
            if component == "." { continue }
            if component == ".." { throw .pathTraversal(name) }
            components.append(component)
        }
        if components.isEmpty {
            if name.isEmpty { throw .invalidPath(name) }
            return nil
        }
        return components.joined(separator: "/")
    }

    /// Creates each missing directory of `relative`, refusing to pass through anything that is not a real directory
    /// (a symbolic link planted in the target would otherwise lead writes elsewhere).
    private func makeDirectories(_ relative: String) throws {
        guard !verifiedDirectories.contains(relative) else { return }
        var partial = ""
        for component in relative.split(separator: "/") {
            partial = partial.isEmpty ? String(component) : partial + "/" + component
            if verifiedDirectories.contains(partial) { continue }
            let path = root + "/" + partial
            if let status = try FileSystem.status(path) {
                guard status.type == .directory else { throw ArchiveError.conflict(partial) }
            } else if mkdir(path, 0o750) != 0 && errno != EEXIST {
                throw FileSystemError("mkdir", path: path)
            }
            verifiedDirectories.insert(partial)
        }
    }
}
