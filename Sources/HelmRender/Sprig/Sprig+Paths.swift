import GoTemplate

/// Go's `path` package (`base`, `dir`, `clean`, `ext`, `isAbs`); the `os*` forms are `path/filepath`, which on
/// Linux behaves the same.
extension Sprig {
    static var pathFunctions: [TemplateFunction] {
        let pairs: [(String, @Sendable (String) -> TemplateValue)] = [
            ("base", { .string(GoPath.base($0)) }),
            ("dir", { .string(GoPath.dir($0)) }),
            ("clean", { .string(GoPath.clean($0)) }),
            ("ext", { .string(GoPath.ext($0)) }),
            ("isAbs", { .bool($0.hasPrefix("/")) }),
        ]
        var functions: [TemplateFunction] = []
        for (name, body) in pairs {
            functions.append(function(name, [.string]) { body(text($0[0])) })
            functions.append(function("os" + name.prefix(1).uppercased() + name.dropFirst(), [.string]) { body(text($0[0])) })
        }
        return functions
    }
}

/// Go's `path` functions over slash-separated paths.
enum GoPath {
    /// `path.Clean`: the shortest equivalent path (no `.`, `..` resolved lexically, no doubled slashes).
    static func clean(_ path: String) -> String {
        if path.isEmpty { return "." }
        let rooted = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                if let last = parts.last, last != ".." {
                    parts.removeLast()
                } else if !rooted {
                    parts.append(part)
                }
            default: parts.append(part)
            }
        }
        let joined = parts.joined(separator: "/")
        if rooted { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    static func base(_ path: String) -> String {
        if path.isEmpty { return "." }
        var trimmed = Substring(path)
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        if trimmed.isEmpty { return "/" }
        if let slash = trimmed.lastIndex(of: "/") { return String(trimmed[trimmed.index(after: slash)...]) }
        return String(trimmed)
    }

    static func dir(_ path: String) -> String {
        let directory: Substring
        if let slash = path.lastIndex(of: "/") { directory = path[...slash] } else { directory = "" }
        return clean(String(directory))
    }

    static func ext(_ path: String) -> String {
        var index = path.endIndex
        while index > path.startIndex {
            index = path.index(before: index)
            if path[index] == "/" { break }
            if path[index] == "." { return String(path[index...]) }
        }
        return ""
    }
}
