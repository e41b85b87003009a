#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CGit2

/// What image update automation needs beyond clone-commit-push: checking out any `spec.ref` (branch, tag, semver,
/// name, commit), moving to the push branch, starting again from the remote's newest commit after a rejected push,
/// and pushing arbitrary refspecs.
extension GitWorkingCopy {
    /// Clones `url` into `directory` and checks out `reference`: a branch (and a commit pinned on a branch) leaves
    /// HEAD on that local branch at the commit; a tag, semver range, non-branch reference name or bare commit
    /// leaves HEAD detached. Returns the commit checked out, with the reference it came through.
    public static func clone(
        url: String, reference: GitReference, into directory: String, credentials: GitCredentials,
        timeout: Duration = .seconds(60)
    ) async throws -> (copy: GitWorkingCopy, commit: GitCommit) {
        try GitURL.validate(url)
        let control = GitOperationControl(timeout: timeout)
        let commit = try await GitRuntime.run("clone \(url)", control: control) { () throws -> GitCommit in
            let branch: String? = switch reference.resolved {
            case .branch(let name): name
            case .commit(_, let branch): branch
            case .name(let name) where name.hasPrefix("refs/heads/"): String(name.dropFirst("refs/heads/".count))
            default: nil
            }
            let repository = try cloneRepository(
                url: url, branch: branch, directory: directory, credentials: credentials, control: control)
            return try checkOut(reference, in: repository, url: url, credentials: credentials, control: control)
        }
        return (GitWorkingCopy(directory: directory, url: url), commit)
    }

    /// The commit HEAD points at, with the branch it is on (empty reference when detached).
    public func head(timeout: Duration = .seconds(60)) async throws -> GitCommit {
        let directory = self.directory
        return try await GitRuntime.run("read HEAD in \(directory)", control: GitOperationControl(timeout: timeout)) {
            try Self.headCommit(try GitRepositoryHandle.open(directory))
        }
    }

    /// Puts HEAD on local branch `branch`: at the remote's `branch` when the clone saw one, otherwise a new branch
    /// at the current commit (Flux's `SwitchBranch`). Returns whether the remote branch existed.
    @discardableResult
    public func switchBranch(_ branch: String, timeout: Duration = .seconds(60)) async throws -> Bool {
        let directory = self.directory
        return try await GitRuntime.run("switch to \(branch)", control: GitOperationControl(timeout: timeout)) {
            let repository = try GitRepositoryHandle.open(directory)
            let localName = "refs/heads/" + branch
            if Self.currentBranch(repository) == localName { return Self.lookUp("refs/remotes/origin/" + branch, in: repository) != nil }
            var target = git_oid()
            let remoteTip = Self.lookUp("refs/remotes/origin/" + branch, in: repository)
            if let remoteTip {
                target = remoteTip
            } else {
                try GitRuntime.check(git_reference_name_to_id(&target, repository.pointer, "HEAD"), "read HEAD")
            }
            try Self.moveHead(to: target, branch: localName, in: repository)
            return remoteTip != nil
        }
    }

    /// Fetches `branch` from the remote and resets the current branch, index and work tree to it (`git fetch` +
    /// `git reset --hard origin/<branch>`): the way to redo an edit after the remote moved. Returns the new HEAD.
    public func resetToRemote(branch: String, credentials: GitCredentials, timeout: Duration = .seconds(60)) async throws
        -> GitCommit
    {
        let control = GitOperationControl(timeout: timeout)
        let (directory, url) = (self.directory, self.url)
        return try await GitRuntime.run("fetch \(branch) from \(url)", control: control) { () throws -> GitCommit in
            let repository = try GitRepositoryHandle.open(directory)
            let tracking = "refs/remotes/origin/" + branch
            try Self.fetch(["+refs/heads/\(branch):\(tracking)"], repository: repository, url: url,
                           credentials: credentials, control: control)
            guard var oid = Self.lookUp(tracking, in: repository) else {
                throw GitError(.referenceNotFound, "couldn't find remote ref \"refs/heads/\(branch)\" in \(url)")
            }
            var object: OpaquePointer?
            try GitRuntime.check(git_object_lookup(&object, repository.pointer, &oid, GIT_OBJECT_COMMIT), "look up \(tracking)")
            defer { git_object_free(object) }
            var options = git_checkout_options()
            git_checkout_options_init(&options, UInt32(GIT_CHECKOUT_OPTIONS_VERSION))
            options.checkout_strategy = GIT_CHECKOUT_FORCE.rawValue
            try GitRuntime.check(git_reset(repository.pointer, object, GIT_RESET_HARD, &options), "reset to \(tracking)")
            return try Self.headCommit(repository)
        }
    }

    /// Pushes `refspecs` (`<local>:<remote>`, `+` to force) to the remote; a rejected update is
    /// `GitError(.pushRejected)` naming the remote's reason.
    public func push(refspecs: [String], credentials: GitCredentials, timeout: Duration = .seconds(60)) async throws {
        let control = GitOperationControl(timeout: timeout)
        let (directory, url) = (self.directory, self.url)
        try await GitRuntime.run("push to \(url)", control: control) {
            try Self.push(refspecs: { _ in refspecs }, directory: directory, url: url, credentials: credentials, control: control)
        }
    }

    // MARK: On the libgit2 thread

    /// A new repository in `directory` with every branch of `url` (as `refs/remotes/origin/*`) and every tag,
    /// HEAD on local `branch` when given (otherwise unborn until the reference is checked out).
    ///
    /// Not `git_clone`: that creates a named remote, and libgit2 1.5 leaks the PCRE2 match data of its
    /// `insteadOf` lookup (~35 KiB a clone; an automation clones every interval). An in-memory remote skips it.
    static func cloneRepository(
        url: String, branch: String?, directory: String, credentials: GitCredentials, control: GitOperationControl
    ) throws -> GitRepositoryHandle {
        var pointer: OpaquePointer?
        try GitRuntime.check(git_repository_init(&pointer, directory, 0), "init repository \(directory)")
        guard let pointer else { throw GitError(.operationFailed, "init repository \(directory): no handle") }
        let repository = GitRepositoryHandle.adopt(pointer)
        try fetch(["+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"], repository: repository, url: url,
                  credentials: credentials, control: control)
        if let branch {
            guard let tip = lookUp("refs/remotes/origin/" + branch, in: repository) else {
                throw GitError(.referenceNotFound, "couldn't find remote ref \"refs/heads/\(branch)\" in \(url)")
            }
            try moveHead(to: tip, branch: "refs/heads/" + branch, in: repository)
        }
        return repository
    }

    /// Moves the fresh clone to `reference` and returns the commit.
    private static func checkOut(
        _ reference: GitReference, in repository: GitRepositoryHandle, url: String, credentials: GitCredentials,
        control: GitOperationControl
    ) throws -> GitCommit {
        switch reference.resolved {
        case .branch:
            return try headCommit(repository)
        case .commit(let hash, let branch):
            guard let oid = GitOID.parse(hash) else {
                throw GitError(.referenceNotFound, "invalid commit \"\(hash)\": a full 40-character SHA-1 is required")
            }
            guard repository.contains(oid) else { throw GitError(.referenceNotFound, "commit \(hash) not found in \(url)") }
            if let branch {
                var tip = git_oid()
                try GitRuntime.check(git_reference_name_to_id(&tip, repository.pointer, "HEAD"), "read HEAD")
                guard repository.isAncestor(oid, of: tip) else {
                    throw GitError(.referenceNotFound, "commit \(hash) is not on branch \(branch)")
                }
                try moveHead(to: oid, branch: "refs/heads/" + branch, in: repository)
                return try repository.commit(oid, reference: "refs/heads/" + branch)
            }
            try detachHead(at: oid, in: repository)
            return try repository.commit(oid, reference: "")
        case .tag(let tag):
            let name = "refs/tags/" + tag
            guard let oid = lookUp(name, in: repository) else {
                throw GitError(.referenceNotFound, "couldn't find remote ref \"\(name)\" in \(url): tag '\(tag)' does not exist")
            }
            try detachHead(at: oid, in: repository)
            return try repository.commit(oid, reference: name)
        case .semver(let expression):
            let name = try newestTag(matching: expression, in: repository)
            guard let oid = lookUp(name, in: repository) else { throw GitError(.referenceNotFound, "couldn't find \(name)") }
            try detachHead(at: oid, in: repository)
            return try repository.commit(oid, reference: name)
        case .name(let name):
            guard name.hasPrefix("refs/") else {
                throw GitError(.referenceNotFound, "invalid reference name \"\(name)\": it must be a full name such as refs/heads/main")
            }
            if name.hasPrefix("refs/heads/") { return try headCommit(repository) }
            if lookUp(name, in: repository) == nil {
                try fetch(["+\(name):\(name)"], repository: repository, url: url, credentials: credentials, control: control)
            }
            guard let oid = lookUp(name, in: repository) else {
                throw GitError(.referenceNotFound, "couldn't find remote ref \"\(name)\" in \(url)")
            }
            try detachHead(at: oid, in: repository)
            return try repository.commit(oid, reference: name, keepsAbsoluteReference: true)
        }
    }

    /// The tag with the highest version satisfying `expression`.
    private static func newestTag(matching expression: String, in repository: GitRepositoryHandle) throws -> String {
        let constraint: SemverConstraint
        do {
            constraint = try SemverConstraint(expression)
        } catch {
            throw GitError(.noSemverMatch, "semver parse error: \(error)")
        }
        var names = git_strarray()
        try GitRuntime.check(git_tag_list(&names, repository.pointer), "list tags")
        defer { git_strarray_dispose(&names) }
        var best: (version: SemanticVersion, tag: String)?
        for index in 0..<names.count {
            guard let cName = names.strings[index] else { continue }
            let tag = String(cString: cName)
            guard let version = SemanticVersion(tag), constraint.isSatisfied(by: version) else { continue }
            if let current = best, version < current.version || (version == current.version && tag > current.tag) { continue }
            best = (version, tag)
        }
        guard let best else { throw GitError(.noSemverMatch, "no match found for semver: \(expression)") }
        return "refs/tags/" + best.tag
    }

    /// The commit a reference points to (annotated tags peeled), or nil.
    static func lookUp(_ name: String, in repository: GitRepositoryHandle) -> git_oid? {
        var reference: OpaquePointer?
        guard git_reference_lookup(&reference, repository.pointer, name) == 0, let reference else { return nil }
        defer { git_reference_free(reference) }
        var peeled: OpaquePointer?
        guard git_reference_peel(&peeled, reference, GIT_OBJECT_COMMIT) == 0, let peeled else { return nil }
        defer { git_object_free(peeled) }
        return git_object_id(peeled)?.pointee
    }

    /// The full name of the branch HEAD is on, nil when detached.
    static func currentBranch(_ repository: GitRepositoryHandle) -> String? {
        guard git_repository_head_detached(repository.pointer) == 0 else { return nil }
        var head: OpaquePointer?
        guard git_repository_head(&head, repository.pointer) == 0, let head else { return nil }
        defer { git_reference_free(head) }
        return git_reference_name(head).map { String(cString: $0) }
    }

    static func headCommit(_ repository: GitRepositoryHandle) throws -> GitCommit {
        var oid = git_oid()
        try GitRuntime.check(git_reference_name_to_id(&oid, repository.pointer, "HEAD"), "read HEAD")
        return try repository.commit(oid, reference: currentBranch(repository) ?? "")
    }

    /// Points local `branch` at `oid` (creating or moving it), checks its tree out and puts HEAD on it.
    private static func moveHead(to oid: git_oid, branch: String, in repository: GitRepositoryHandle) throws {
        var id = oid
        var commit: OpaquePointer?
        try GitRuntime.check(git_commit_lookup(&commit, repository.pointer, &id), "look up \(GitOID.string(oid))")
        defer { git_commit_free(commit) }
        try checkOutTree(of: commit, in: repository)
        var reference: OpaquePointer?
        try GitRuntime.check(
            git_reference_create(&reference, repository.pointer, branch, &id, 1, "image automation: switch branch"),
            "create \(branch)")
        git_reference_free(reference)
        try GitRuntime.check(git_repository_set_head(repository.pointer, branch), "check out \(branch)")
    }

    private static func detachHead(at oid: git_oid, in repository: GitRepositoryHandle) throws {
        var id = oid
        var commit: OpaquePointer?
        try GitRuntime.check(git_commit_lookup(&commit, repository.pointer, &id), "look up \(GitOID.string(oid))")
        defer { git_commit_free(commit) }
        try checkOutTree(of: commit, in: repository)
        try GitRuntime.check(git_repository_set_head_detached(repository.pointer, &id), "detach HEAD")
    }

    private static func checkOutTree(of commit: OpaquePointer?, in repository: GitRepositoryHandle) throws {
        var options = git_checkout_options()
        git_checkout_options_init(&options, UInt32(GIT_CHECKOUT_OPTIONS_VERSION))
        options.checkout_strategy = GIT_CHECKOUT_FORCE.rawValue
        try GitRuntime.check(git_checkout_tree(repository.pointer, commit, &options), "check out tree")
    }

    /// Fetches `refspecs` from `url` through an in-memory remote.
    static func fetch(
        _ refspecs: [String], repository: GitRepositoryHandle, url: String, credentials: GitCredentials,
        control: GitOperationControl
    ) throws {
        let remote = try repository.anonymousRemote(url: url)
        defer { git_remote_free(remote) }
        let context = GitCallbackContext(credentials: credentials, control: control, url: url)
        var options = git_fetch_options()
        git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION))
        context.install(into: &options.callbacks)
        options.proxy_opts.type = GIT_PROXY_AUTO
        options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE
        try withExtendedLifetime(context) { try withGitStrArray(credentials.extraHeaders) { headers in
            options.custom_headers = headers
            try withGitStrArray(refspecs) { specs in
                let status = git_remote_fetch(remote, &specs, &options, nil)
                guard status == 0 else { throw context.error(for: status, "fetch from \(url)") }
            }
        } }
    }

    /// Pushes the refspecs `makeRefspecs` computes from the open repository.
    static func push(
        refspecs makeRefspecs: (GitRepositoryHandle) throws -> [String], directory: String, url: String,
        credentials: GitCredentials, control: GitOperationControl
    ) throws {
        let repository = try GitRepositoryHandle.open(directory)
        let refspecs = try makeRefspecs(repository)
        let remote = try repository.anonymousRemote(url: url)
        defer { git_remote_free(remote) }
        let context = GitCallbackContext(credentials: credentials, control: control, url: url)
        var options = git_push_options()
        git_push_options_init(&options, UInt32(GIT_PUSH_OPTIONS_VERSION))
        context.install(into: &options.callbacks)
        options.proxy_opts.type = GIT_PROXY_AUTO
        try withExtendedLifetime(context) { try withGitStrArray(credentials.extraHeaders) { headers in
            options.custom_headers = headers
            try withGitStrArray(refspecs) { specs in
                let status = git_remote_push(remote, &specs, &options)
                guard status == 0 else {
                    let error = context.error(for: status, "push to \(url)")
                    let message = error.message.lowercased()
                    let nonFastForward =
                        status == GIT_ENONFASTFORWARD.rawValue || message.contains("fast-forward")
                        || message.contains("fastforward") || message.contains("not present locally")
                    if error.code == .operationFailed && nonFastForward {
                        throw GitError(.pushRejected, error.message)
                    }
                    throw error
                }
            }
        } }
        if !context.pushRejections.isEmpty {
            throw GitError(.pushRejected, "push to \(url) rejected: \(context.pushRejections.joined(separator: "; "))")
        }
    }
}
