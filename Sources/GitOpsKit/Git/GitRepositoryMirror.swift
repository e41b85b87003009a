#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CGit2
import Logging
import NIOPosix

/// A bare mirror per source object, fetched incrementally: each sync asks the remote for its references, resolves
/// `spec.ref` against them, and downloads only what the mirror lacks (nothing at all when the commit is already
/// there). libgit2 1.5 cannot clone shallowly, so this is what keeps a GitRepository's periodic fetch cheap.
///
/// Blocking libgit2 work runs on a dedicated thread; one operation per mirror at a time.
///
/// Usage:
/// ```swift
/// let mirrors = GitRepositoryMirror(root: "/data/git", logger: logger)
/// let commit = try await mirrors.fetch(
///     key: "flux-system/podinfo", url: "https://github.com/stefanprodan/podinfo",
///     reference: GitReference(branch: "master"), credentials: .none)
/// try await mirrors.export(key: "flux-system/podinfo", commit: commit.hash, to: workDir)
/// // commit.revision == "master@sha1:…"
/// ```
public final class GitRepositoryMirror: Sendable {
    /// Directory holding one bare repository per key.
    public let root: String
    private let logger: Logger
    private let locks = KeyedAsyncLock()

    public init(root: String, logger: Logger) {
        self.root = root
        self.logger = logger
    }

    /// The bare repository directory for `key` (`namespace/name`).
    public func path(forKey key: String) throws(GitError) -> String {
        let parts = key.split(separator: "/")
        guard !parts.isEmpty, parts.allSatisfy({ $0 != "." && $0 != ".." && !$0.utf8.contains(0) }) else {
            throw GitError(.operationFailed, "invalid mirror key \(key.debugDescription)")
        }
        return root + "/" + parts.joined(separator: "/") + ".git"
    }

    /// Brings the mirror for `key` up to date with `url` as far as `reference` needs, and returns the commit it
    /// resolves to (with the reference it came through, for the revision string).
    public func fetch(
        key: String, url: String, reference: GitReference, credentials: GitCredentials,
        timeout: Duration = .seconds(60)
    ) async throws -> GitCommit {
        try GitURL.validate(url)
        let path = try path(forKey: key)
        let control = GitOperationControl(timeout: timeout)
        let logger = self.logger
        await locks.lock(key)
        let started = ContinuousClock.now
        let commit = try await GitRuntime.run("fetch \(url)", control: control, onFinish: { [locks] in locks.unlock(key) }) {
            try MirrorFetch(path: path, url: url, credentials: credentials, control: control).run(reference)
        }
        logger.debug(
            "git fetch done",
            metadata: ["url": "\(url)", "revision": "\(commit.revision)", "duration": "\(ContinuousClock.now - started)"])
        return commit
    }

    /// Writes the tree of `commit` into `directory` (created; must not exist or be empty), without `.git`.
    public func export(
        key: String, commit: String, to directory: String, symbolicLinks: GitSymlinkPolicy = .create,
        timeout: Duration = .seconds(60)
    ) async throws {
        let path = try path(forKey: key)
        guard let oid = GitOID.parse(commit) else { throw GitError(.referenceNotFound, "invalid commit hash \(commit)") }
        let control = GitOperationControl(timeout: timeout)
        await locks.lock(key)
        try await GitRuntime.run("export \(commit)", control: control, onFinish: { [locks] in locks.unlock(key) }) {
            let repository = try GitRepositoryHandle.open(path)
            try GitTreeExporter(repository: repository, control: control, symbolicLinks: symbolicLinks).export(commit: oid, to: directory)
        }
    }

    /// Writes the tree of `commit` as a reproducible tar.gz at `destination` (atomically), straight from the mirror:
    /// the same bytes as ``export(key:commit:to:symbolicLinks:timeout:)`` followed by ``ArtifactArchiver`` with
    /// `IgnoreRules.forSource(root:specIgnore:)`, without writing a checkout.
    ///
    /// - Parameter specIgnore: `spec.ignore`, applied after the defaults and the tree's `.sourceignore` files.
    public func archive(
        key: String, commit: String, to destination: String, specIgnore: String?, compressionLevel: Int32 = -1,
        timeout: Duration = .seconds(60)
    ) async throws -> ArchiveSummary {
        let path = try path(forKey: key)
        guard let oid = GitOID.parse(commit) else { throw GitError(.referenceNotFound, "invalid commit hash \(commit)") }
        let control = GitOperationControl(timeout: timeout)
        await locks.lock(key)
        return try await GitRuntime.run("archive \(commit)", control: control, onFinish: { [locks] in locks.unlock(key) }) {
            let repository = try GitRepositoryHandle.open(path)
            return try GitTreeArchiver(repository: repository, control: control)
                .archive(commit: oid, specIgnore: specIgnore, to: destination, compressionLevel: compressionLevel)
        }
    }

    /// Deletes the mirror for `key` (when its object is deleted).
    public func remove(key: String) async throws {
        let path = try path(forKey: key)
        try await locks.withLock(key) {
            // Deleting a large repository blocks on the disk: keep it off the cooperative pool.
            try await NIOThreadPool.singleton.runIfActive {
                do {
                    try FileSystem.removeTree(path)
                } catch {
                    throw GitError(.operationFailed, "remove mirror: \(error)")
                }
            }
        }
    }
}

/// One fetch into a bare mirror, on the libgit2 thread.
struct MirrorFetch {
    let path: String
    let url: String
    let credentials: GitCredentials
    let control: GitOperationControl

    /// Marker file recording which URL the mirror holds, so a changed URL starts from scratch (objects of another
    /// repository must never satisfy a commit pin).
    private var urlMarker: String { path + "/gitopskit-url" }

    func run(_ reference: GitReference) throws -> GitCommit {
        let repository = try openMirror()
        let context = GitCallbackContext(credentials: credentials, control: control, url: url)
        let remote = try repository.anonymousRemote(url: url)
        defer { git_remote_free(remote) }

        var callbacks = git_remote_callbacks()
        git_remote_init_callbacks(&callbacks, UInt32(GIT_REMOTE_CALLBACKS_VERSION))
        context.install(into: &callbacks)
        var proxy = git_proxy_options()
        git_proxy_options_init(&proxy, UInt32(GIT_PROXY_OPTIONS_VERSION))
        proxy.type = GIT_PROXY_AUTO

        // The callbacks reach `context` through an unretained pointer: keep it alive for every libgit2 call.
        return try withExtendedLifetime(context) { try withGitStrArray(credentials.extraHeaders) { headers in
            let connected = git_remote_connect(remote, GIT_DIRECTION_FETCH, &callbacks, &proxy, &headers)
            guard connected == 0 else { throw context.error(for: connected, "connect to \(url)") }
            defer { git_remote_disconnect(remote) }
            let advertised = try Self.advertisedReferences(remote)
            let plan = try resolve(reference, advertised: advertised, repository: repository)
            if !plan.refspecs.isEmpty && !(plan.target.map(repository.contains) ?? false) {
                try download(remote: remote, refspecs: plan.refspecs, callbacks: callbacks, proxy: proxy, headers: headers, context: context)
            }
            return try finish(plan, repository: repository, advertised: advertised)
        } }
    }

    // MARK: Mirror directory

    private func openMirror() throws -> GitRepositoryHandle {
        if (try? FileSystem.status(path))??.type == .directory {
            let recorded = (try? readSmallFile(urlMarker)) ?? ""
            if recorded == url, let repository = try? GitRepositoryHandle.open(path) { return repository }
            // Another URL, or a damaged mirror: start over.
            do {
                try FileSystem.removeTree(path)
            } catch {
                throw GitError(.operationFailed, "reset mirror \(path): \(error)")
            }
        }
        do {
            try FileSystem.createDirectory(FileSystem.parentPath(of: path))
        } catch {
            throw GitError(.operationFailed, "create mirror directory: \(error)")
        }
        let repository = try GitRepositoryHandle.initBare(path)
        do {
            let file = try POSIXFile(path: urlMarker, flags: O_WRONLY | O_CREAT | O_TRUNC)
            try file.write(Array(url.utf8))
        } catch {
            throw GitError(.operationFailed, "record mirror URL: \(error)")
        }
        return repository
    }

    private func readSmallFile(_ path: String) throws -> String {
        let file = try POSIXFile(path: path, flags: O_RDONLY)
        var buffer = [UInt8](repeating: 0, count: 8192)
        let count = try file.read(into: &buffer)
        return String(decoding: buffer[..<count], as: UTF8.self)
    }

    // MARK: Remote references

    /// What the remote advertises: reference name → object id, and for annotated tags the peeled commit id.
    struct Advertised {
        var references: [String: git_oid] = [:]
        var peeled: [String: git_oid] = [:]

        /// The commit a reference ultimately points to.
        func commit(of name: String) -> git_oid? {
            peeled[name] ?? references[name]
        }
    }

    private static func advertisedReferences(_ remote: OpaquePointer) throws(GitError) -> Advertised {
        var heads: UnsafeMutablePointer<UnsafePointer<git_remote_head>?>?
        var count = 0
        try GitRuntime.check(git_remote_ls(&heads, &count, remote), "list remote references")
        var advertised = Advertised()
        guard let heads else { return advertised }
        for index in 0..<count {
            guard let head = heads[index]?.pointee, let cName = head.name else { continue }
            let name = String(cString: cName)
            if name.hasSuffix("^{}") {
                advertised.peeled[String(name.dropLast(3))] = head.oid
            } else {
                advertised.references[name] = head.oid
            }
        }
        return advertised
    }

    // MARK: Resolution

    /// What to download and which commit the reference means.
    struct Plan {
        /// Refspecs to fetch (`+src:dst`); empty when nothing is needed.
        var refspecs: [String]
        /// The object to end up with, when known before downloading (a commit pin is looked up after).
        var target: git_oid?
        /// The full reference name reported in the revision (empty for a bare commit).
        var referenceName: String
        var keepsAbsoluteReference = false
        /// For a commit pin: the commit and the branch tip it must be reachable from.
        var pinnedCommit: git_oid?
        var pinnedBranchTip: git_oid?
        /// For semver: tags with the same highest version, to break the tie by time after downloading.
        var semverCandidates: [String] = []
    }

    private func resolve(_ reference: GitReference, advertised: Advertised, repository: GitRepositoryHandle) throws -> Plan {
        switch reference.resolved {
        case .branch(let branch):
            let name = "refs/heads/" + branch
            guard let oid = advertised.references[name] else {
                throw GitError(.referenceNotFound, "couldn't find remote ref \"\(name)\" in \(url): branch '\(branch)' does not exist")
            }
            return Plan(refspecs: ["+\(name):\(name)"], target: oid, referenceName: name)
        case .tag(let tag):
            let name = "refs/tags/" + tag
            guard let oid = advertised.commit(of: name) else {
                throw GitError(.referenceNotFound, "couldn't find remote ref \"\(name)\" in \(url): tag '\(tag)' does not exist")
            }
            return Plan(refspecs: ["+\(name):\(name)"], target: oid, referenceName: name)
        case .name(let name):
            guard name.hasPrefix("refs/") else {
                throw GitError(.referenceNotFound, "invalid reference name \"\(name)\": it must be a full name such as refs/heads/main")
            }
            guard let oid = advertised.commit(of: name) else {
                throw GitError(.referenceNotFound, "couldn't find remote ref \"\(name)\" in \(url)")
            }
            return Plan(refspecs: ["+\(name):\(name)"], target: oid, referenceName: name, keepsAbsoluteReference: true)
        case .semver(let expression):
            let constraint: SemverConstraint
            do {
                constraint = try SemverConstraint(expression)
            } catch {
                throw GitError(.noSemverMatch, "semver parse error: \(error)")
            }
            var best: SemanticVersion?
            var candidates: [String] = []
            for name in advertised.references.keys where name.hasPrefix("refs/tags/") {
                let tag = String(name.dropFirst("refs/tags/".count))
                guard let version = SemanticVersion(tag), constraint.isSatisfied(by: version) else { continue }
                if let current = best, version < current { continue }
                if let current = best, version == current {
                    candidates.append(tag)
                } else {
                    best = version
                    candidates = [tag]
                }
            }
            guard !candidates.isEmpty else { throw GitError(.noSemverMatch, "no match found for semver: \(expression)") }
            candidates.sort()
            let refspecs = candidates.map { "+refs/tags/\($0):refs/tags/\($0)" }
            let target = candidates.count == 1 ? advertised.commit(of: "refs/tags/" + candidates[0]) : nil
            var plan = Plan(refspecs: refspecs, target: target, referenceName: "refs/tags/" + candidates[0])
            plan.semverCandidates = candidates
            return plan
        case .commit(let hash, let branch):
            guard let commit = GitOID.parse(hash) else {
                throw GitError(.referenceNotFound, "invalid commit \"\(hash)\": a full 40-character SHA-1 is required")
            }
            if let branch {
                let name = "refs/heads/" + branch
                guard let tip = advertised.references[name] else {
                    throw GitError(.referenceNotFound, "couldn't find remote ref \"\(name)\" in \(url): branch '\(branch)' does not exist")
                }
                var plan = Plan(refspecs: ["+\(name):\(name)"], target: tip, referenceName: name)
                plan.pinnedCommit = commit
                plan.pinnedBranchTip = tip
                return plan
            }
            var plan = Plan(
                refspecs: ["+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"], target: commit, referenceName: "")
            plan.pinnedCommit = commit
            return plan
        }
    }

    private func download(
        remote: OpaquePointer, refspecs: [String], callbacks: git_remote_callbacks, proxy: git_proxy_options,
        headers: git_strarray, context: GitCallbackContext
    ) throws {
        var options = git_fetch_options()
        git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION))
        options.callbacks = callbacks
        options.proxy_opts = proxy
        options.custom_headers = headers
        options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE
        options.prune = GIT_FETCH_NO_PRUNE
        options.update_fetchhead = 0
        try withGitStrArray(refspecs) { specs in
            let downloaded = git_remote_download(remote, &specs, &options)
            guard downloaded == 0 else { throw context.error(for: downloaded, "fetch from \(url)") }
            var updateCallbacks = callbacks
            let updated = git_remote_update_tips(remote, &updateCallbacks, 0, GIT_REMOTE_DOWNLOAD_TAGS_NONE, nil)
            guard updated == 0 else { throw context.error(for: updated, "update references from \(url)") }
        }
    }

    private func finish(_ plan: Plan, repository: GitRepositoryHandle, advertised: Advertised) throws -> GitCommit {
        if let pinned = plan.pinnedCommit {
            guard repository.contains(pinned) else {
                throw GitError(.referenceNotFound, "commit \(GitOID.string(pinned)) not found in \(url)")
            }
            if let tip = plan.pinnedBranchTip, !repository.isAncestor(pinned, of: tip) {
                throw GitError(.referenceNotFound, "commit \(GitOID.string(pinned)) is not on branch \(plan.referenceName.dropFirst("refs/heads/".count))")
            }
            return try repository.commit(pinned, reference: plan.referenceName)
        }
        var name = plan.referenceName
        if plan.semverCandidates.count > 1 {
            // Same version under several tags (`v1.0.0`, `1.0.0+build`): the most recently made one wins, as in Flux.
            let dated = plan.semverCandidates.compactMap { tag -> (String, Int64)? in
                guard let oid = advertised.references["refs/tags/" + tag] else { return nil }
                return (tag, repository.timestamp(of: oid))
            }
            if let latest = dated.max(by: { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }) { name = "refs/tags/" + latest.0 }
        }
        guard let oid = advertised.commit(of: name) else {
            throw GitError(.referenceNotFound, "couldn't find remote ref \"\(name)\" in \(url)")
        }
        return try repository.commit(oid, reference: name, keepsAbsoluteReference: plan.keepsAbsoluteReference)
    }
}
