/// One `.sourceignore`/gitignore line, matched the way Flux's `sourceignore` package matches it.
///
/// - A leading `!` re-includes what earlier lines excluded.
/// - A trailing `/` restricts the pattern to directories (and everything below them).
/// - A pattern without an inner `/` matches a name at any depth; one with a `/` is anchored to its `domain` (the
///   directory holding the ignore file); `**` stands for zero or more directories.
/// - A pattern matching a directory also matches everything below it, so `vendor/` excludes `vendor/a/b.yaml`.
struct IgnorePattern: Sendable, Hashable {
    /// Path components of the directory the pattern came from (empty for the root).
    let domain: [Substring]
    let segments: [Substring]
    let globs: [GlobPattern]
    let isInclusion: Bool
    let isDirectoryOnly: Bool
    let isAnchored: Bool

    enum Result: Sendable, Equatable {
        case noMatch, exclude, include
    }

    /// Parses one line; `nil` for blank lines and `#` comments.
    init?(line: Substring, domain: [Substring] = []) {
        guard !line.hasPrefix("#"), line.contains(where: { !$0.isWhitespace }) else { return nil }
        var text = line
        if text.hasSuffix("\r") { text = text.dropLast() }
        var inclusion = false
        if text.hasPrefix("!") {
            inclusion = true
            text = text.dropFirst()
        }
        if !text.hasSuffix("\\ ") {
            while text.hasSuffix(" ") { text = text.dropLast() }
        }
        var directoryOnly = false
        if text.hasSuffix("/") {
            directoryOnly = true
            text = text.dropLast()
        }
        self.domain = domain
        self.isInclusion = inclusion
        self.isDirectoryOnly = directoryOnly
        self.isAnchored = text.contains("/")
        self.segments = text.split(separator: "/", omittingEmptySubsequences: false)
        self.globs = segments.map { GlobPattern($0) }
    }

    /// Matches a path given as components relative to the archive root.
    func match(_ path: [Substring], isDirectory: Bool) -> Result {
        guard path.count > domain.count, path.starts(with: domain) else { return .noMatch }
        let local = path[domain.count...]
        let matched = isAnchored ? anchoredMatch(local, isDirectory: isDirectory) : nameMatch(local, isDirectory: isDirectory)
        guard matched else { return .noMatch }
        return isInclusion ? .include : .exclude
    }

    /// A pattern without `/`: any component may match; a directory-only pattern must not land on a final file.
    private func nameMatch(_ path: ArraySlice<Substring>, isDirectory: Bool) -> Bool {
        guard let glob = globs.first else { return false }
        for (offset, name) in path.enumerated() where glob.matches(name) {
            if isDirectoryOnly && !isDirectory && offset == path.count - 1 { return false }
            return true
        }
        return false
    }

    /// A pattern with `/`: segments match components from the domain down; `**` skips zero or more components.
    private func anchoredMatch(_ fullPath: ArraySlice<Substring>, isDirectory: Bool) -> Bool {
        var path = fullPath
        var matched = false
        var canTraverse = false
        for (index, segment) in segments.enumerated() {
            if segment.isEmpty {
                canTraverse = false
                continue
            }
            if segment == "**" {
                if index == segments.count - 1 { break }
                canTraverse = true
                continue
            }
            if segment.contains("**") { return false }
            guard !path.isEmpty else { return false }
            if canTraverse {
                canTraverse = false
                while let name = path.popFirst() {
                    if globs[index].matches(name) {
                        matched = true
                        break
                    } else if path.isEmpty {
                        matched = false
                    }
                }
            } else {
                guard let name = path.popFirst(), globs[index].matches(name) else { return false }
                matched = true
            }
        }
        if matched && isDirectoryOnly && !isDirectory && path.isEmpty { return false }
        return matched
    }
}
