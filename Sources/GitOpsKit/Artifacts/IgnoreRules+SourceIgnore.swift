#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension IgnoreRules {
    /// The rules `.sourceignore` files under `root` declare: each file applies to its own directory (patterns are
    /// anchored there), deeper files come later and so win. `.git` directories are not searched.
    public static func loadSourceIgnoreFiles(under root: String) throws(FileSystemError) -> IgnoreRules {
        var rules = IgnoreRules()
        try collect(root: root, relative: "", into: &rules)
        return rules
    }

    /// The rules a source (GitRepository, Bucket, OCIRepository) archives with, as Flux builds them: the defaults,
    /// then every `.sourceignore` in the tree, then `spec.ignore` (which may re-include with `!`).
    public static func forSource(root: String, specIgnore: String?) throws(FileSystemError) -> IgnoreRules {
        var rules = fluxDefaults
        rules.append(contentsOf: try loadSourceIgnoreFiles(under: root))
        if let specIgnore { rules.append(patterns: specIgnore) }
        return rules
    }

    private static func collect(root: String, relative: String, into rules: inout IgnoreRules) throws(FileSystemError) {
        let directory = relative.isEmpty ? root : root + "/" + relative
        let file = directory + "/" + sourceIgnoreFileName
        if try FileSystem.status(file)?.type == .regular {
            rules.append(patterns: try readText(file), domain: relative)
        }
        for name in try FileSystem.contents(of: directory).sorted() where name != ".git" {
            let child = relative.isEmpty ? name : relative + "/" + name
            if try FileSystem.status(root + "/" + child)?.type == .directory {
                try collect(root: root, relative: child, into: &rules)
            }
        }
    }

    private static func readText(_ path: String) throws(FileSystemError) -> String {
        let file = try POSIXFile(path: path, flags: O_RDONLY)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = try file.read(into: &chunk)
            if count == 0 { break }
            bytes += chunk[..<count]
            if bytes.count > 1 << 20 { break }  // an ignore file is small; never read a huge one whole
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
