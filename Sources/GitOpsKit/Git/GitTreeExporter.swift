#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CGit2

/// What an export does with symbolic links in the tree.
public enum GitSymlinkPolicy: Sendable, Hashable {
    /// Create them as links (what `git checkout` does; the artifact archiver skips links anyway).
    case create
    /// Leave them out.
    case skip
}

/// Writes the tree of a commit into a plain directory (no `.git`, no index): what the source controller archives.
///
/// Names are checked before anything is written (no `.`, `..`, `.git`, `/` or NUL), files are created with
/// `O_EXCL | O_NOFOLLOW` so nothing pre-existing is followed or overwritten, executables get 0755 and other files
/// 0644; submodules are left out (Flux's `recurseSubmodules` is not supported yet).
struct GitTreeExporter {
    let repository: GitRepositoryHandle
    let control: GitOperationControl
    let symbolicLinks: GitSymlinkPolicy

    func export(commit oid: git_oid, to directory: String) throws {
        var id = oid
        var commit: OpaquePointer?
        try GitRuntime.check(git_commit_lookup(&commit, repository.pointer, &id), "look up commit \(GitOID.string(oid))")
        defer { git_commit_free(commit) }
        var tree: OpaquePointer?
        try GitRuntime.check(git_commit_tree(&tree, commit), "read tree of \(GitOID.string(oid))")
        guard let tree else { throw GitError(.operationFailed, "commit \(GitOID.string(oid)) has no tree") }
        defer { git_tree_free(tree) }
        do {
            try FileSystem.createDirectory(directory)
            guard try FileSystem.contents(of: directory).isEmpty else {
                throw GitError(.operationFailed, "export target \(directory) is not empty")
            }
        } catch let error as FileSystemError {
            throw GitError(.operationFailed, "create export directory: \(error)")
        }
        try write(tree: tree, to: directory, relative: "")
    }

    private func write(tree: OpaquePointer, to directory: String, relative: String) throws {
        if let stop = control.stopReason { throw stop }
        for index in 0..<git_tree_entrycount(tree) {
            guard let entry = git_tree_entry_byindex(tree, index), let cName = git_tree_entry_name(entry) else { continue }
            let name = String(cString: cName)
            let display = relative.isEmpty ? name : relative + "/" + name
            guard Self.isSafeName(name) else {
                throw GitError(.operationFailed, "refusing to export unsafe path \(display.debugDescription)")
            }
            let path = directory + "/" + name
            guard let entryID = git_tree_entry_id(entry) else { continue }
            var id = entryID.pointee
            switch git_tree_entry_filemode(entry) {
            case GIT_FILEMODE_TREE:
                var subtree: OpaquePointer?
                try GitRuntime.check(git_tree_lookup(&subtree, repository.pointer, &id), "read tree \(display)")
                guard let subtree else { continue }
                defer { git_tree_free(subtree) }
                guard mkdir(path, 0o755) == 0 else {
                    throw GitError(.operationFailed, "export \(display): \(FileSystemError("mkdir", path: path))")
                }
                try write(tree: subtree, to: path, relative: display)
            case GIT_FILEMODE_BLOB, GIT_FILEMODE_BLOB_EXECUTABLE:
                let mode: mode_t = git_tree_entry_filemode(entry) == GIT_FILEMODE_BLOB_EXECUTABLE ? 0o755 : 0o644
                try withBlob(id, display) { bytes in
                    do {
                        let file = try POSIXFile(path: path, flags: O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode: mode)
                        try file.write(bytes)
                    } catch {
                        throw GitError(.operationFailed, "export \(display): \(error)")
                    }
                }
            case GIT_FILEMODE_LINK:
                guard symbolicLinks == .create else { continue }
                try withBlob(id, display) { bytes in
                    let target = String(decoding: bytes, as: UTF8.self)
                    guard symlink(target, path) == 0 else {
                        throw GitError(.operationFailed, "export \(display): \(FileSystemError("symlink", path: path))")
                    }
                }
            default:
                continue  // submodule (GIT_FILEMODE_COMMIT) or unknown
            }
        }
    }

    private func withBlob(_ oid: git_oid, _ display: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        var id = oid
        var blob: OpaquePointer?
        try GitRuntime.check(git_blob_lookup(&blob, repository.pointer, &id), "read blob \(display)")
        guard let blob else { return }
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        try body(UnsafeRawBufferPointer(start: git_blob_rawcontent(blob), count: size))
    }

    /// A tree entry name that stays inside its directory and cannot smuggle in repository metadata.
    static func isSafeName(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && name.lowercased() != ".git" && !name.contains("/")
            && !name.utf8.contains(0)
    }
}
