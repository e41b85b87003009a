import CGit2

/// Writes the tree of a commit straight from the object database into a reproducible `.tar.gz`, without a checkout:
/// the bytes are exactly those ``ArtifactArchiver`` writes for the exported tree (same entry order, modes, ignore
/// rules — defaults, every `.sourceignore` of the tree, then the caller's), so the digest identifies the content
/// whichever way it was produced. Skipping the checkout saves writing and re-reading every file.
///
/// Symbolic links and submodules are left out (the archiver skips links; submodules are not exported); names that
/// could escape the archive root are refused as in ``GitTreeExporter``.
struct GitTreeArchiver {
    let repository: GitRepositoryHandle
    let control: GitOperationControl

    /// One tree entry, in the order the archive needs (plain byte order of names, as a directory walk sorts them;
    /// Git orders a directory `a` after a file `a.b`, a walk before it).
    private struct Entry {
        var name: String
        var oid: git_oid
        var mode: git_filemode_t
    }

    func archive(commit oid: git_oid, specIgnore: String?, to destination: String, compressionLevel: Int32) throws
        -> ArchiveSummary
    {
        var id = oid
        var commit: OpaquePointer?
        try GitRuntime.check(git_commit_lookup(&commit, repository.pointer, &id), "look up commit \(GitOID.string(oid))")
        defer { git_commit_free(commit) }
        var treePointer: OpaquePointer?
        try GitRuntime.check(git_commit_tree(&treePointer, commit), "read tree of \(GitOID.string(oid))")
        guard let tree = treePointer else { throw GitError(.operationFailed, "commit \(GitOID.string(oid)) has no tree") }
        defer { git_tree_free(tree) }

        var rules = IgnoreRules.fluxDefaults
        try collectSourceIgnore(tree: tree, relative: "", into: &rules)
        if let specIgnore { rules.append(patterns: specIgnore) }
        let prune = !rules.hasInclusions
        return try ArtifactArchiver.writeAtomically(to: destination, compressionLevel: compressionLevel) { writer in
            var count = 0
            try write(tree: tree, relative: "", rules: rules, prune: prune, writer: writer, count: &count)
            return count
        }
    }

    // MARK: Walk

    private func entries(of tree: OpaquePointer, relative: String) throws -> [Entry] {
        var result: [Entry] = []
        let count = git_tree_entrycount(tree)
        result.reserveCapacity(count)
        for index in 0..<count {
            guard let entry = git_tree_entry_byindex(tree, index), let cName = git_tree_entry_name(entry),
                  let entryID = git_tree_entry_id(entry) else { continue }
            let name = String(cString: cName)
            guard GitTreeExporter.isSafeName(name) else {
                let display = relative.isEmpty ? name : relative + "/" + name
                throw GitError(.operationFailed, "refusing to export unsafe path \(display.debugDescription)")
            }
            result.append(Entry(name: name, oid: entryID.pointee, mode: git_tree_entry_filemode(entry)))
        }
        result.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        return result
    }

    private func write(tree: OpaquePointer, relative: String, rules: IgnoreRules, prune: Bool, writer: TarStreamWriter,
                       count: inout Int) throws
    {
        if let stop = control.stopReason { throw stop }
        for entry in try entries(of: tree, relative: relative) {
            let path = relative.isEmpty ? entry.name : relative + "/" + entry.name
            switch entry.mode {
            case GIT_FILEMODE_TREE:
                let excluded = rules.isExcluded(path, isDirectory: true)
                if excluded && prune { continue }
                if !excluded {
                    try writer.append(TarHeader(name: path + "/", mode: ArtifactArchiver.directoryMode, size: 0,
                                                typeFlag: TarHeader.EntryType.directory.rawValue))
                    count += 1
                }
                try withTree(entry.oid, path) { subtree in
                    try write(tree: subtree, relative: path, rules: rules, prune: prune, writer: writer, count: &count)
                }
            case GIT_FILEMODE_BLOB, GIT_FILEMODE_BLOB_EXECUTABLE:
                if rules.isExcluded(path, isDirectory: false) { continue }
                let mode = entry.mode == GIT_FILEMODE_BLOB_EXECUTABLE ? ArtifactArchiver.executableMode : ArtifactArchiver.fileMode
                try withBlob(entry.oid, path) { bytes in
                    try writer.appendFile(contents: bytes, name: path, mode: mode)
                }
                count += 1
            default:
                continue  // symbolic link, submodule
            }
        }
    }

    /// Appends the patterns of every `.sourceignore` blob, each anchored at its directory, in the order
    /// `IgnoreRules.loadSourceIgnoreFiles` reads a checkout (a directory's own file, then its subdirectories by name).
    private func collectSourceIgnore(tree: OpaquePointer, relative: String, into rules: inout IgnoreRules) throws {
        let entries = try entries(of: tree, relative: relative)
        if let file = entries.first(where: { $0.name == IgnoreRules.sourceIgnoreFileName && Self.isBlob($0.mode) }) {
            try withBlob(file.oid, relative) { bytes in
                rules.append(patterns: String(decoding: bytes.prefix(1 << 20), as: UTF8.self), domain: relative)
            }
        }
        for entry in entries where entry.mode == GIT_FILEMODE_TREE {
            let path = relative.isEmpty ? entry.name : relative + "/" + entry.name
            try withTree(entry.oid, path) { subtree in try collectSourceIgnore(tree: subtree, relative: path, into: &rules) }
        }
    }

    private static func isBlob(_ mode: git_filemode_t) -> Bool {
        mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE
    }

    private func withTree(_ oid: git_oid, _ display: String, _ body: (OpaquePointer) throws -> Void) throws {
        var id = oid
        var subtree: OpaquePointer?
        try GitRuntime.check(git_tree_lookup(&subtree, repository.pointer, &id), "read tree \(display)")
        guard let subtree else { return }
        defer { git_tree_free(subtree) }
        try body(subtree)
    }

    private func withBlob(_ oid: git_oid, _ display: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        var id = oid
        var blob: OpaquePointer?
        try GitRuntime.check(git_blob_lookup(&blob, repository.pointer, &id), "read blob \(display)")
        guard let blob else { return }
        defer { git_blob_free(blob) }
        try body(UnsafeRawBufferPointer(start: git_blob_rawcontent(blob), count: Int(git_blob_rawsize(blob))))
    }
}
