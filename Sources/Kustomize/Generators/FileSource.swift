/// A `files` entry: `path` (the key is the path's last element) or `key=path`.
enum FileSource {
    /// The key and path, or the problem kustomize reports.
    static func parse(_ source: String) -> Result<(key: String, path: String), FileSourceProblem> {
        let parts = ByteSplit.atEquals(source)
        switch parts.count {
        case 1:
            return .success((baseName(source), source))
        case 2 where parts[0].isEmpty:
            return .failure(FileSourceProblem("missing key name for file path \"\(parts[1])\""))
        case 2 where parts[1].isEmpty:
            return .failure(FileSourceProblem("missing file path for key name \"\(parts[0])\""))
        case 2:
            return .success((parts[0], parts[1]))
        default:
            return .failure(FileSourceProblem("key name or file path contains '='"))
        }
    }

    /// Go's `path.Base`: the last slash-separated element, ignoring trailing slashes.
    static func baseName(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        if trimmed.isEmpty { return "." }
        if trimmed == "/" { return "/" }
        if let slash = trimmed.lastIndex(of: "/") { return String(trimmed[trimmed.index(after: slash)...]) }
        return String(trimmed)
    }
}

/// Why a `files` entry is malformed.
struct FileSourceProblem: Error {
    var text: String
    init(_ text: String) { self.text = text }
}
