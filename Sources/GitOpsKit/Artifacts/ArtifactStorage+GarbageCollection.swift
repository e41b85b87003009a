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

extension ArtifactStorage {
    /// Deletes old artifact files of `object`, as Flux's storage GC does: files older than `ttl` go first, then the
    /// oldest until at most `keep` remain. The `current` file (the one the status advertises), symbolic links and
    /// temporary files are never deleted. Returns the deleted paths (relative to the root), oldest first.
    ///
    /// - Parameters:
    ///   - keep: how many artifact files to keep (`--artifact-retention-records`, default 2).
    ///   - ttl: age after which a file is expired (`--artifact-retention-ttl`, default 1 minute).
    ///   - current: the artifact path in use, kept regardless of age.
    ///   - now: the reference time in seconds since the epoch (defaults to the clock).
    @discardableResult
    public func garbageCollect(
        _ object: ArtifactObject, keep: Int = 2, ttl: Duration = .seconds(60), current: String? = nil,
        now: Double? = nil
    ) throws -> [String] {
        try object.validate()
        let directory = localPath(for: object.directory)
        let reference = now ?? Self.currentTime()
        let ttlSeconds = Double(ttl.components.seconds) + Double(ttl.components.attoseconds) / 1e18
        let currentName = current.map { String($0.split(separator: "/").last ?? "") }
        var candidates: [(name: String, mtime: Double)] = []
        var currentPresent = false
        do {
            guard try FileSystem.status(directory)?.type == .directory else { return [] }
            for name in try FileSystem.contents(of: directory) {
                guard !name.hasPrefix("."), !name.contains(".tmp-"), !name.hasSuffix(".lock") else { continue }
                guard let status = try FileSystem.status(directory + "/" + name), status.type == .regular else { continue }
                if name == currentName {
                    currentPresent = true
                    continue
                }
                candidates.append((name, status.modificationTime))
            }
        } catch {
            throw ArtifactStorageError.fileSystem(error)
        }
        // Oldest first; names break ties so the result does not depend on directory order.
        candidates.sort { $0.mtime != $1.mtime ? $0.mtime < $1.mtime : $0.name < $1.name }
        let retainedSlots = max(0, keep - (currentPresent ? 1 : 0))
        var garbage: [String] = []
        var remaining = candidates.count
        for candidate in candidates {
            let expired = reference - candidate.mtime > ttlSeconds
            if expired || remaining > retainedSlots {
                garbage.append(candidate.name)
                remaining -= 1
            }
        }
        for name in garbage where unlink(directory + "/" + name) != 0 && errno != ENOENT {
            throw ArtifactStorageError.fileSystem(FileSystemError("unlink", path: directory + "/" + name))
        }
        return garbage.map { object.directory + "/" + $0 }
    }

    static func currentTime() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
