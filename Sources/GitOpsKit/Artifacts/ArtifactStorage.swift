#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOPosix
import Synchronization

/// The source controller's artifact store: files under `root` in Flux's `<kind>/<namespace>/<name>/<file>` layout,
/// advertised at `http://<advertised-address>/<path>`, with a `latest.tar.gz` link per object, garbage collection and
/// a per-object lock.
///
/// Usage:
/// ```swift
/// let storage = ArtifactStorage(root: "/data", advertisedAddress: "source-controller.flux-system.svc.cluster.local.")
/// let object = ArtifactObject(kind: "GitRepository", namespace: "flux-system", name: "podinfo")
/// try await storage.withLock(object) {
///     let path = object.path(forFile: "\(commit).tar.gz")
///     let summary = try await storage.archive(directory: checkout, to: path, archiver: archiver)
///     let url = storage.url(for: path)
///     try storage.link(path, as: "latest.tar.gz")
/// }
/// ```
public final class ArtifactStorage: Sendable {
    /// Directory holding all artifacts.
    public let root: String
    /// Host (and optional port, optional scheme) the artifact server is reachable at (`--storage-adv-addr`).
    public var advertisedAddress: String { address.withLock { $0 } }
    private let address: Mutex<String>
    private let locks = KeyedAsyncLock()

    public init(root: String, advertisedAddress: String) {
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
        self.address = Mutex(advertisedAddress)
    }

    /// Changes the advertised address, e.g. once an artifact server bound to port 0 knows its real port. URLs built
    /// afterwards use it; URLs already written to statuses are not rewritten.
    public func advertise(at advertisedAddress: String) {
        address.withLock { $0 = advertisedAddress }
    }

    /// The file an artifact path (`gitrepository/ns/name/file`) is stored at.
    public func localPath(for path: String) -> String {
        root + "/" + path.drop { $0 == "/" }
    }

    /// The URL consumers download `path` from: `http://<advertised-address>/<path>`, or the advertised address's own
    /// scheme when it has one.
    public func url(for path: String) -> String {
        var base = advertisedAddress
        while base.hasSuffix("/") { base.removeLast() }
        let trimmed = path.drop { $0 == "/" }
        if base.hasPrefix("http://") || base.hasPrefix("https://") { return base + "/" + trimmed }
        return "http://" + base + "/" + trimmed
    }

    /// Whether a regular file exists at `path`.
    public func contains(_ path: String) -> Bool {
        (try? FileSystem.status(localPath(for: path)))??.type == .regular
    }

    /// Runs `body` while no other task holds `object`'s lock (one writer per object at a time in this process).
    public func withLock<T>(_ object: ArtifactObject, _ body: () async throws -> T) async rethrows -> T {
        try await locks.withLock(object.directory, body)
    }

    /// Writes `directory` as a reproducible tar.gz at `path` (atomically) and returns its digest and size.
    public func archive(directory: String, to path: String, archiver: ArtifactArchiver = ArtifactArchiver()) async throws
        -> ArchiveSummary
    {
        try Self.validate(path)
        return try await archiver.archive(directory: directory, to: localPath(for: path))
    }

    /// Stores `bytes` at `path` (atomically), for artifacts that are single files such as a Helm `index.yaml`.
    public func store(_ bytes: [UInt8], at path: String) throws -> ArchiveSummary {
        try Self.validate(path)
        let destination = localPath(for: path)
        do throws(FileSystemError) {
            try FileSystem.createDirectory(FileSystem.parentPath(of: destination))
            let temporary = destination + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            do throws(FileSystemError) {
                let file = try POSIXFile(path: temporary, flags: O_WRONLY | O_CREAT | O_EXCL, mode: 0o600)
                try file.write(bytes)
                try file.sync()
                try FileSystem.rename(temporary, to: destination)
            } catch {
                unlink(temporary)
                throw error
            }
        } catch {
            throw ArtifactStorageError.fileSystem(error)
        }
        return ArchiveSummary(digest: Digest.prefixedHex(.sha256, bytes), size: Int64(bytes.count), entryCount: 1)
    }

    /// Points `<object directory>/<linkName>` at the file `path` names (a relative link, replaced atomically) and
    /// returns the link's URL.
    @discardableResult
    public func link(_ path: String, as linkName: String = "latest.tar.gz") throws -> String {
        try Self.validate(path)
        guard Self.isSafeComponent(linkName) else { throw ArtifactStorageError.invalidPath(linkName) }
        let target = localPath(for: path)
        guard (try? FileSystem.status(target))??.type == .regular else { throw ArtifactStorageError.notFound(path) }
        let directory = FileSystem.parentPath(of: target)
        let fileName = String(target[target.index(after: target.lastIndex(of: "/") ?? target.startIndex)...])
        let linkPath = directory + "/" + linkName
        let temporary = linkPath + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        guard symlink(fileName, temporary) == 0 else {
            throw ArtifactStorageError.fileSystem(FileSystemError("symlink", path: temporary))
        }
        do {
            try FileSystem.rename(temporary, to: linkPath)
        } catch {
            unlink(temporary)
            throw ArtifactStorageError.fileSystem(error)
        }
        let relativeDirectory = FileSystem.parentPath(of: String(path.drop { $0 == "/" }))
        return url(for: relativeDirectory + "/" + linkName)
    }

    /// Deletes everything stored for `object` (on deletion of the object), on the NIO thread pool.
    public func remove(_ object: ArtifactObject) async throws {
        try object.validate()
        let directory = localPath(for: object.directory)
        try await NIOThreadPool.singleton.runIfActive {
            do throws(FileSystemError) {
                try FileSystem.removeTree(directory)
            } catch {
                throw ArtifactStorageError.fileSystem(error)
            }
        }
    }

    /// A name usable as one path component.
    static func isSafeComponent(_ part: String) -> Bool {
        !part.isEmpty && part != "." && part != ".." && !part.contains("/") && !part.utf8.contains(0)
    }

    /// Rejects artifact paths that could leave the storage root.
    static func validate(_ path: String) throws(ArtifactStorageError) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        guard !parts.isEmpty else { throw .invalidPath(path) }
        for part in parts where !isSafeComponent(String(part)) { throw .invalidPath(path) }
    }
}
