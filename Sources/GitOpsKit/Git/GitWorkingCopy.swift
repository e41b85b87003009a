#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CGit2

/// A non-bare checkout for writing back to a repository (image update automation): clone a branch, change files in
/// `directory`, commit everything with an author and message, push to a branch.
///
/// A value holding paths only; each operation opens the repository on the libgit2 thread.
///
/// Usage:
/// ```swift
/// let copy = try await GitWorkingCopy.clone(url: url, branch: "main", into: dir, credentials: creds)
/// // … edit files under copy.directory …
/// if let commit = try await copy.commitAll(message: "Update image", author: .init(name: "bot", email: "bot@x")) {
///     try await copy.push(branch: "main", credentials: creds)
/// }
/// ```
public struct GitWorkingCopy: Sendable, Hashable {
    /// The work tree (it contains `.git`).
    public let directory: String
    /// The remote it was cloned from and pushes to.
    public let url: String

    /// Clones `branch` of `url` into `directory` (which must not exist or be empty).
    public static func clone(
        url: String, branch: String, into directory: String, credentials: GitCredentials,
        timeout: Duration = .seconds(60)
    ) async throws -> GitWorkingCopy {
        try GitURL.validate(url)
        let control = GitOperationControl(timeout: timeout)
        try await GitRuntime.run("clone \(url)", control: control) {
            let context = GitCallbackContext(credentials: credentials, control: control, url: url)
            var options = git_clone_options()
            git_clone_options_init(&options, UInt32(GIT_CLONE_OPTIONS_VERSION))
            context.install(into: &options.fetch_opts.callbacks)
            options.fetch_opts.proxy_opts.type = GIT_PROXY_AUTO
            try withExtendedLifetime(context) { try withGitStrArray(credentials.extraHeaders) { headers in
                options.fetch_opts.custom_headers = headers
                try branch.withCString { branchName in
                    options.checkout_branch = branchName
                    var repository: OpaquePointer?
                    let status = git_clone(&repository, url, directory, &options)
                    guard status == 0, let repository else {
                        let error = context.error(for: status, "clone \(url)")
                        if GitRuntime.lastErrorMessage("").contains("reference 'refs/remotes/origin/\(branch)' not found") {
                            throw GitError(.referenceNotFound, "couldn't find remote ref \"refs/heads/\(branch)\" in \(url)")
                        }
                        throw error
                    }
                    git_repository_free(repository)
                }
            } }
        }
        return GitWorkingCopy(directory: directory, url: url)
    }

    /// Stages every change in the work tree (new, modified and deleted files) and commits it on the current branch.
    /// Returns `nil` without committing when nothing changed.
    public func commitAll(message: String, author: GitCommit.Signature, timeout: Duration = .seconds(60)) async throws
        -> GitCommit?
    {
        let control = GitOperationControl(timeout: timeout)
        let directory = self.directory
        return try await GitRuntime.run("commit in \(directory)", control: control) { () throws -> GitCommit? in
            let repository = try GitRepositoryHandle.open(directory)
            var index: OpaquePointer?
            try GitRuntime.check(git_repository_index(&index, repository.pointer), "open index")
            defer { git_index_free(index) }
            try withGitStrArray(["*"]) { paths in
                try GitRuntime.check(git_index_add_all(index, &paths, 0, nil, nil), "stage changes")
                try GitRuntime.check(git_index_update_all(index, &paths, nil, nil), "stage deletions")
            }
            try GitRuntime.check(git_index_write(index), "write index")
            var treeID = git_oid()
            try GitRuntime.check(git_index_write_tree(&treeID, index), "write tree")

            var headID = git_oid()
            let hasHead = git_reference_name_to_id(&headID, repository.pointer, "HEAD") == 0
            var parent: OpaquePointer?
            if hasHead {
                try GitRuntime.check(git_commit_lookup(&parent, repository.pointer, &headID), "read HEAD")
                if let parentTree = git_commit_tree_id(parent), git_oid_equal(parentTree, &treeID) != 0 {
                    git_commit_free(parent)
                    return nil
                }
            }
            defer { git_commit_free(parent) }
            var tree: OpaquePointer?
            try GitRuntime.check(git_tree_lookup(&tree, repository.pointer, &treeID), "read new tree")
            defer { git_tree_free(tree) }

            var signature: UnsafeMutablePointer<git_signature>?
            let now = time(nil)
            let when = author.time != 0 ? author.time : Int64(now)
            try GitRuntime.check(
                git_signature_new(&signature, author.name, author.email, when, author.timeZoneOffset), "create signature")
            defer { git_signature_free(signature) }

            var commitID = git_oid()
            var parents: [OpaquePointer?] = parent.map { [$0] } ?? []
            let status = parents.withUnsafeMutableBufferPointer { buffer in
                git_commit_create(&commitID, repository.pointer, "HEAD", signature, signature, nil, message, tree, buffer.count, buffer.baseAddress)
            }
            try GitRuntime.check(status, "create commit")
            var reference = ""
            var head: OpaquePointer?
            if git_repository_head(&head, repository.pointer) == 0, let head {
                reference = git_reference_name(head).map { String(cString: $0) } ?? ""
                git_reference_free(head)
            }
            return try repository.commit(commitID, reference: reference)
        }
    }

    /// Pushes the current branch (`HEAD`) to `branch` on the remote; a rejected update (not a fast-forward, a
    /// protected branch) is an error naming the remote's reason.
    public func push(branch: String, credentials: GitCredentials, timeout: Duration = .seconds(60)) async throws {
        let control = GitOperationControl(timeout: timeout)
        let (directory, url) = (self.directory, self.url)
        try await GitRuntime.run("push to \(url)", control: control) {
            try Self.push(refspecs: { repository in
                var head: OpaquePointer?
                try GitRuntime.check(git_repository_head(&head, repository.pointer), "read HEAD")
                defer { git_reference_free(head) }
                let local = git_reference_name(head).map { String(cString: $0) } ?? "HEAD"
                return ["\(local):refs/heads/\(branch)"]
            }, directory: directory, url: url, credentials: credentials, control: control)
        }
    }
}
