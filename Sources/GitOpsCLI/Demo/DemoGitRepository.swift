import Foundation

/// The demo's Git repository, made with the real `git`: a work tree whose commits are pushed to a bare repository
/// that source-controller fetches over `file://` (no server to run).
struct DemoGitRepository {
    /// The work tree the demo edits and commits in.
    let work: String
    /// The bare repository playing the Git server.
    let bare: String
    /// Where each git command's output goes (read back for `rev-parse` and for errors).
    private let scratch: String

    var url: String { "file://" + bare }

    /// A fixed identity and no user or system configuration (a global `commit.gpgsign` would stop the demo). The
    /// global configuration is an empty file of the scratch directory rather than `/dev/null`, which is not always
    /// the character device it should be in containers.
    private var environment: [String: String] {
        ["GIT_AUTHOR_NAME": "GitOpsKit Demo", "GIT_AUTHOR_EMAIL": "demo@gitopskit.invalid",
         "GIT_COMMITTER_NAME": "GitOpsKit Demo", "GIT_COMMITTER_EMAIL": "demo@gitopskit.invalid",
         "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": scratch + "/gitconfig", "GIT_TERMINAL_PROMPT": "0"]
    }

    /// Creates `root/app.git` (bare, branch `main`) and the work tree `root/work` pushing to it.
    static func create(in root: String) async throws -> DemoGitRepository {
        let repository = DemoGitRepository(work: root + "/work", bare: root + "/app.git", scratch: root)
        try FileManager.default.createDirectory(atPath: repository.work, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: root + "/gitconfig", contents: Data()) else {
            throw DemoError("cannot create \(root)/gitconfig")
        }
        try await repository.git(["init", "-q", "--bare", "-b", "main", repository.bare])
        try await repository.git(["init", "-q", "-b", "main", repository.work])
        try await repository.git(["-C", repository.work, "remote", "add", "origin", repository.bare])
        return repository
    }

    /// Writes `files` (path → content; nil deletes), commits everything and pushes; returns the commit hash.
    func commit(_ files: [String: String?], message: String) async throws -> String {
        for (path, content) in files {
            let target = work + "/" + path
            if let content {
                try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                        withIntermediateDirectories: true)
                try Data(content.utf8).write(to: URL(fileURLWithPath: target))
            } else {
                try? FileManager.default.removeItem(atPath: target)
            }
        }
        try await git(["-C", work, "add", "-A"])
        try await git(["-C", work, "commit", "-q", "-m", message])
        try await git(["-C", work, "push", "-q", "origin", "HEAD:refs/heads/main"])
        return try await git(["-C", work, "rev-parse", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs `git` and returns its output; a failure is an error carrying that output.
    @discardableResult
    private func git(_ arguments: [String]) async throws -> String {
        let output = scratch + "/git-\(UUID().uuidString.prefix(8)).out"
        defer { try? FileManager.default.removeItem(atPath: output) }
        let process: ChildProcess
        do {
            process = try ChildProcess(name: "git", arguments: ["git"] + arguments, environment: environment,
                                       logPath: output, newProcessGroup: false)
        } catch {
            throw DemoError("\(error.message); the demo needs git (./scripts/setup.sh installs it)")
        }
        let status = try await process.waitForExit()
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        guard status == 0 else {
            throw DemoError("git \(arguments.joined(separator: " ")) failed (exit \(status)): \(text)")
        }
        return text
    }
}
