#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FoundationEssentials
import GitOpsKit
import Logging
import NIOPosix

/// One automation run against a fresh clone: check out, move to the push branch, apply the setters, commit,
/// push — and when the push is rejected because the branch moved, start again from the remote's new head once.
struct ImageUpdateSession {
    let automation: ImageUpdateAutomation
    let source: ImageUpdateSource
    let setters: SetterValues
    /// Where the clone goes (must not exist).
    let directory: String
    let logger: Logger

    /// What the run did.
    struct Result {
        /// Flux's `observedSourceRevision`: the pushed commit (`<branch>@sha1:<hash>`), or the checked-out commit
        /// when nothing was pushed or the push branch is another branch.
        var observedRevision: String
        var push: ImageUpdateAutomationReconciler.PushRecord?
    }

    func run() async throws(ImageUpdateFailure) -> Result {
        let cloned = try await git("failed to checkout source") {
            try await GitWorkingCopy.clone(url: source.url, reference: source.checkout, into: directory,
                                           credentials: source.credentials, timeout: source.timeout)
        }
        let copy = cloned.copy
        let checkedOut = cloned.commit
        // Work on the push branch: the remote's when it exists, else a new one from the checkout.
        if source.switchesBranch || checkedOut.reference != "refs/heads/" + source.pushBranch {
            _ = try await git("failed to checkout source") {
                try await copy.switchBranch(source.pushBranch, timeout: source.timeout)
            }
        }
        var attempt = 0
        while true {
            attempt += 1
            let changed = try await applySetters(in: copy)
            if changed.isEmpty {
                return Result(observedRevision: checkedOut.revision, push: nil)
            }
            let rendered = Swift.Result { () throws(ImageUpdateCommitMessage.Failure) -> String in
                try ImageUpdateCommitMessage.render(
                    template: automation.spec.git?.commit.messageTemplate, automation: automation.key, changed: changed,
                    values: automation.spec.git?.commit.messageTemplateValues)
            }
            let message: String
            switch rendered {
            case .success(let text):
                message = text
            case .failure(let failure):
                if case .removedField = failure { throw .stall(.removedTemplateField, failure.description) }
                throw .retry(.gitOperationFailed, "failed to update source: \(failure)")
            }
            let author = automation.spec.git?.commit.author
            let email = author?.email ?? ""
            let name = author?.name.flatMap { $0.isEmpty ? nil : $0 } ?? email
            let signature = GitCommit.Signature(name: name, email: email)
            let committed = try await git("failed to update source") {
                try await copy.commitAll(message: message, author: signature, timeout: source.timeout)
            }
            guard let commit = committed else {
                logger.info("no changes made in the source; no commit")
                return Result(observedRevision: checkedOut.revision, push: nil)
            }
            var pushError: GitError?
            do {
                try await copy.push(branch: source.pushBranch, credentials: source.credentials, timeout: source.timeout)
            } catch let error as GitError {
                pushError = error
            } catch {
                throw .retry(.gitOperationFailed, "failed to update source: \(error)")
            }
            if let error = pushError {
                guard error.code == .pushRejected else {
                    throw .retry(.gitOperationFailed, "failed to update source: \(error.message)")
                }
                guard attempt == 1 else {
                    throw .retry(.gitOperationFailed,
                                 "failed to update source: push to branch '\(source.pushBranch)' rejected again after fetching and reapplying the update: \(error.message)")
                }
                // The branch moved since the clone: redo the edit on its new head, once.
                logger.info("push rejected; retrying on the new head", metadata: ["error": "\(error.message)"])
                _ = try await git("failed to update source") {
                    try await copy.resetToRemote(branch: source.pushBranch, credentials: source.credentials,
                                                 timeout: source.timeout)
                }
                continue
            }
            var refspecs: [String] = []
            if let refspec = automation.spec.git?.push?.refspec, !refspec.isEmpty {
                refspecs.append(refspec)
                _ = try await git("failed to update source") {
                    try await copy.push(refspecs: [refspec], credentials: source.credentials, timeout: source.timeout)
                }
            }
            let pushedCommit = GitCommit(
                hash: commit.hash, reference: "refs/heads/" + source.pushBranch, message: message,
                author: commit.author, committer: commit.committer)
            var summary = "pushed commit '\(commit.hash.prefix(7))' to branch '\(source.pushBranch)'"
            if !refspecs.isEmpty { summary += " and refspecs '\(refspecs.joined(separator: "', '"))'" }
            if !message.isEmpty { summary += "\n" + message }
            let record = ImageUpdateAutomationReconciler.PushRecord(
                commit: pushedCommit, time: KubeTime.now().truncatedToSeconds, summary: summary)
            return Result(observedRevision: source.switchesBranch ? checkedOut.revision : pushedCommit.revision, push: record)
        }
    }

    /// Rewrites the markers under `spec.update.path` in the work tree (file I/O: on NIO's thread pool, not the
    /// cooperative one).
    private func applySetters(in copy: GitWorkingCopy) async throws(ImageUpdateFailure) -> SetterUpdateResult {
        let path = try Self.updateDirectory(root: copy.directory, path: automation.updatePath)
        let (updater, setters) = (SetterUpdater(logger: logger), self.setters)
        do {
            return try await NIOThreadPool.singleton.runIfActive { try updater.update(directory: path, setters: setters) }
        } catch {
            throw .retry(.updateFailed, "failed to apply policies: \(error)")
        }
    }

    /// `root` joined with `path`, which may not leave the repository (`..` or a symbolic link pointing out).
    static func updateDirectory(root: String, path: String) throws(ImageUpdateFailure) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") where part != "." && !part.isEmpty {
            if part == ".." {
                guard !parts.isEmpty else {
                    throw .stall(.invalidPath, "spec.update.path \(path.debugDescription) points outside the repository")
                }
                parts.removeLast()
            } else {
                parts.append(part)
            }
        }
        let joined = parts.isEmpty ? root : root + "/" + parts.joined(separator: "/")
        guard let real = Self.realPath(joined), let realRoot = Self.realPath(root) else {
            throw .retry(.updateFailed, "failed to apply policies: update path \(path.debugDescription) does not exist in the repository")
        }
        guard real == realRoot || real.hasPrefix(realRoot + "/") else {
            throw .stall(.invalidPath, "spec.update.path \(path.debugDescription) points outside the repository")
        }
        return real
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Runs a Git step; its failure is `GitOperationFailed` prefixed with `what` (retried).
    private func git<T>(_ what: String, _ body: () async throws -> T) async throws(ImageUpdateFailure) -> T {
        do {
            return try await body()
        } catch {
            throw .retry(.gitOperationFailed, "\(what): \(Self.describe(error))")
        }
    }

    private static func describe(_ error: any Error) -> String {
        (error as? GitError)?.message ?? "\(error)"
    }
}
