#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CGit2

/// Owns one `git_repository*` for the duration of a blocking operation on the libgit2 thread; not `Sendable`.
final class GitRepositoryHandle {
    let pointer: OpaquePointer

    private init(_ pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit { git_repository_free(pointer) }

    /// Opens the repository at `path` (bare or with a work tree).
    static func open(_ path: String) throws(GitError) -> GitRepositoryHandle {
        var repository: OpaquePointer?
        try GitRuntime.check(git_repository_open(&repository, path), "open repository \(path)")
        guard let repository else { throw GitError(.operationFailed, "open repository \(path): no handle") }
        return GitRepositoryHandle(repository)
    }

    /// Creates an empty bare repository at `path`.
    static func initBare(_ path: String) throws(GitError) -> GitRepositoryHandle {
        var repository: OpaquePointer?
        try GitRuntime.check(git_repository_init(&repository, path, 1), "init repository \(path)")
        guard let repository else { throw GitError(.operationFailed, "init repository \(path): no handle") }
        return GitRepositoryHandle(repository)
    }

    /// Takes ownership of a handle libgit2 returned (from `git_clone`).
    static func adopt(_ pointer: OpaquePointer) -> GitRepositoryHandle {
        GitRepositoryHandle(pointer)
    }

    /// Whether the object database has `oid`.
    func contains(_ oid: git_oid) -> Bool {
        var odb: OpaquePointer?
        guard git_repository_odb(&odb, pointer) == 0, let odb else { return false }
        defer { git_odb_free(odb) }
        var id = oid
        return git_odb_exists(odb, &id) == 1
    }

    /// The commit `oid` names (peeling annotated tags) with its metadata.
    func commit(_ oid: git_oid, reference: String, keepsAbsoluteReference: Bool = false) throws(GitError) -> GitCommit {
        var id = oid
        var object: OpaquePointer?
        try GitRuntime.check(git_object_lookup(&object, pointer, &id, GIT_OBJECT_ANY), "look up object \(GitOID.string(oid))")
        defer { git_object_free(object) }
        var peeled: OpaquePointer?
        try GitRuntime.check(git_object_peel(&peeled, object, GIT_OBJECT_COMMIT), "\(GitOID.string(oid)) is not a commit")
        guard let commit = peeled else { throw GitError(.operationFailed, "\(GitOID.string(oid)) is not a commit") }
        defer { git_object_free(commit) }
        let hash = git_commit_id(commit).map { GitOID.string($0.pointee) } ?? GitOID.string(oid)
        let message = git_commit_message(commit).map { String(cString: $0) } ?? ""
        return GitCommit(
            hash: hash, reference: reference, message: message,
            author: Self.signature(git_commit_author(commit)), committer: Self.signature(git_commit_committer(commit)),
            keepsAbsoluteReference: keepsAbsoluteReference)
    }

    /// An in-memory remote for `url` (free it with `git_remote_free`).
    ///
    /// `git_remote_create_anonymous` would apply `url.<base>.insteadOf` rewrites, which libgit2 1.5 matches with a
    /// PCRE2 regular expression whose match data it never frees (~35 KiB leaked per call: a controller fetching every
    /// minute grows without bound). The rewrite is skipped: the URL in the spec is the URL fetched.
    func anonymousRemote(url: String) throws(GitError) -> OpaquePointer {
        var options = git_remote_create_options()
        try GitRuntime.check(git_remote_create_options_init(&options, UInt32(GIT_REMOTE_CREATE_OPTIONS_VERSION)),
                             "initialize remote options")
        options.repository = pointer
        options.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF.rawValue | GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC.rawValue
        var remote: OpaquePointer?
        try GitRuntime.check(git_remote_create_with_opts(&remote, url, &options), "create remote for \(url)")
        guard let remote else { throw GitError(.operationFailed, "create remote for \(url)") }
        return remote
    }

    /// When `oid` (a tag object or a commit) was made: the tagger's time for annotated tags, else the committer's.
    func timestamp(of oid: git_oid) -> Int64 {
        var id = oid
        var object: OpaquePointer?
        guard git_object_lookup(&object, pointer, &id, GIT_OBJECT_ANY) == 0, let object else { return 0 }
        defer { git_object_free(object) }
        if git_object_type(object) == GIT_OBJECT_TAG, let tagger = git_tag_tagger(object) {
            return tagger.pointee.when.time
        }
        var peeled: OpaquePointer?
        guard git_object_peel(&peeled, object, GIT_OBJECT_COMMIT) == 0, let peeled else { return 0 }
        defer { git_object_free(peeled) }
        return git_commit_committer(peeled).map { $0.pointee.when.time } ?? 0
    }

    /// Whether `descendant` is `ancestor` or has it in its history.
    func isAncestor(_ ancestor: git_oid, of descendant: git_oid) -> Bool {
        var a = ancestor
        var d = descendant
        if git_oid_equal(&a, &d) != 0 { return true }
        return git_graph_descendant_of(pointer, &d, &a) == 1
    }

    static func signature(_ signature: UnsafePointer<git_signature>?) -> GitCommit.Signature {
        guard let value = signature?.pointee else { return GitCommit.Signature(name: "", email: "") }
        return GitCommit.Signature(
            name: value.name.map { String(cString: $0) } ?? "", email: value.email.map { String(cString: $0) } ?? "",
            time: value.when.time, timeZoneOffset: value.when.offset)
    }
}

/// Conversions between `git_oid` and hex.
enum GitOID {
    static func string(_ oid: git_oid) -> String {
        withUnsafeBytes(of: oid.id) { $0.hexString }
    }

    static func parse(_ hex: String) -> git_oid? {
        guard hex.utf8.count == 40, hex.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) || ($0 >= 65 && $0 <= 70) }) else {
            return nil
        }
        var oid = git_oid()
        guard git_oid_fromstr(&oid, hex) == 0 else { return nil }
        return oid
    }
}

/// Passes a `[String]` to libgit2 as a `git_strarray` for the duration of `body`.
func withGitStrArray<R>(_ strings: [String], _ body: (inout git_strarray) throws -> R) rethrows -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    defer { pointers.forEach { free($0) } }
    return try pointers.withUnsafeMutableBufferPointer { buffer in
        var array = git_strarray(strings: buffer.baseAddress, count: buffer.count)
        return try body(&array)
    }
}
