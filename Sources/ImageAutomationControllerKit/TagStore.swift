#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GitOpsKit

/// The scanned tags of every ImageRepository, one file per repository under `--storage-path`:
/// `imagerepository/<namespace>/<name>/tags.txt`, one tag per line, in the order of `lastScanResult` (newest
/// first) — the layout of Flux's file storage (feature gate `FluxStorage`).
///
/// A file is replaced atomically (written to a temporary file next to it, fsync'd, renamed), so a crash leaves
/// the old list or the new one, never half of one; a restarted controller finds the tags of its last scans and
/// policies work before any rescan.
///
/// The files are small (10,000 tags are about 100 KB) and read or written once per reconcile, so the calls are
/// plain blocking I/O.
public struct TagStore: Sendable {
    /// The storage root (`--storage-path`).
    public let root: String

    public init(root: String) { self.root = root }

    /// `<root>/imagerepository/<namespace>/<name>`.
    public func directory(namespace: String, name: String) -> String {
        "\(root)/imagerepository/\(namespace)/\(name)"
    }

    public func path(namespace: String, name: String) -> String {
        directory(namespace: namespace, name: name) + "/tags.txt"
    }

    /// Flux's revision of a tag list: `sha256:<hex>` of the tags, each followed by a newline, in the given order.
    public static func revision(of tags: [String]) -> String {
        "sha256:" + Digest.sha256Hex(serialize(tags))
    }

    static func serialize(_ tags: [String]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(tags.reduce(0) { $0 + $1.utf8.count + 1 })
        for tag in tags {
            bytes += tag.utf8
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }

    /// Replaces the tags of a repository; returns their revision.
    @discardableResult
    public func write(_ tags: [String], namespace: String, name: String) throws(TagStoreError) -> String {
        let directory = directory(namespace: namespace, name: name)
        try Self.makeDirectories(directory)
        let bytes = Self.serialize(tags)
        let destination = directory + "/tags.txt"
        let temporary = directory + "/.tags.txt.tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw TagStoreError(operation: "create", path: temporary, errno: errno) }
        var failure: TagStoreError?
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = TagStoreError(operation: "write", path: temporary, errno: errno)
                    return
                }
                offset += written
            }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = TagStoreError(operation: "fsync", path: temporary, errno: errno) }
        close(descriptor)
        if failure == nil, rename(temporary, destination) != 0 {
            failure = TagStoreError(operation: "rename", path: destination, errno: errno)
        }
        if let failure {
            unlink(temporary)
            throw failure
        }
        return Self.revision(of: tags)
    }

    /// The stored tags of a repository, or nil when it was never scanned (or its file is gone).
    public func read(namespace: String, name: String) throws(TagStoreError) -> [String]? {
        let path = path(namespace: namespace, name: name)
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw TagStoreError(operation: "open", path: path, errno: errno)
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw TagStoreError(operation: "read", path: path, errno: errno)
            }
            if count == 0 { break }
            bytes += chunk[0..<count]
        }
        return bytes.split(separator: UInt8(ascii: "\n")).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Forgets a repository (its directory and everything in it).
    public func remove(namespace: String, name: String) {
        let directory = directory(namespace: namespace, name: name)
        for file in ["tags.txt"] { unlink(directory + "/" + file) }
        rmdir(directory)
    }

    /// Removes temporary files a killed process left behind.
    public func sweep() {
        let base = root + "/imagerepository"
        for namespace in Self.entries(base) {
            for name in Self.entries(base + "/" + namespace) {
                let directory = base + "/" + namespace + "/" + name
                for file in Self.entries(directory) where file.hasPrefix(".tags.txt.tmp-") { unlink(directory + "/" + file) }
            }
        }
    }

    private static func entries(_ directory: String) -> [String] {
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    private static func makeDirectories(_ path: String) throws(TagStoreError) {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            current += "/" + component
            if mkdir(current, 0o700) != 0, errno != EEXIST {
                throw TagStoreError(operation: "mkdir", path: current, errno: errno)
            }
        }
    }
}

// `write`/`read` inside ``TagStore`` would name its own methods.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { write(descriptor, buffer, count) }
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { read(descriptor, buffer, count) }

/// A tag file could not be read or written.
public struct TagStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    public var operation: String
    public var path: String
    public var errno: Int32

    public var description: String {
        "\(operation) \(path): \(String(cString: strerror(errno)))"
    }
}
