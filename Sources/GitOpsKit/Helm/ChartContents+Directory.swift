#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ChartContents {
    /// Loads the chart in `directory` (a chart inside an extracted Git artifact), as `helm package` reads it:
    /// regular files only (links, devices and sockets are left out), paths matched by the chart's `.helmignore`
    /// left out, within the limits.
    public init(directory: String, limits: Limits = .default) throws(HelmChartError) {
        var files: [String: [UInt8]] = [:]
        var total: Int64 = 0
        do {
            guard try FileSystem.status(directory)?.type == .directory else {
                throw HelmChartError.fileSystem("'\(directory)' is not a directory")
            }
            var ignore = IgnoreRules()
            if let bytes = try Self.readFile(directory + "/.helmignore", limit: limits.maxFileSize) {
                ignore.append(patterns: String(decoding: bytes, as: UTF8.self))
            }
            try Self.walk(root: directory, relative: "", ignore: ignore) { relative, size in
                guard size <= limits.maxFileSize else {
                    throw HelmChartError.tooLarge(path: relative, limit: limits.maxFileSize)
                }
                total += size
                guard total <= limits.maxTotalSize, files.count < limits.maxFiles else {
                    throw HelmChartError.tooLarge(path: relative, limit: limits.maxTotalSize)
                }
                files[relative] = try Self.readFile(directory + "/" + relative, limit: limits.maxFileSize) ?? []
            }
        } catch let error as HelmChartError {
            throw error
        } catch {
            throw .fileSystem("\(error)")
        }
        try self.init(files: files, source: directory)
    }

    private static func walk(
        root: String, relative: String, ignore: IgnoreRules, visit: (String, Int64) throws -> Void
    ) throws {
        let directory = relative.isEmpty ? root : root + "/" + relative
        let names = try FileSystem.contents(of: directory).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for name in names {
            let child = relative.isEmpty ? name : relative + "/" + name
            guard let status = try FileSystem.status(root + "/" + child) else { continue }
            switch status.type {
            case .directory:
                if ignore.isExcluded(child, isDirectory: true) { continue }
                try walk(root: root, relative: child, ignore: ignore, visit: visit)
            case .regular:
                if ignore.isExcluded(child, isDirectory: false) { continue }
                // Helm leaves dot files in templates/ out by default.
                if child.hasPrefix("templates/") && name.hasPrefix(".") { continue }
                try visit(child, status.size)
            default:
                continue
            }
        }
    }

    /// The file's bytes, nil when it does not exist; refuses to read more than `limit` bytes.
    static func readFile(_ path: String, limit: Int64) throws -> [UInt8]? {
        guard let status = try FileSystem.status(path), status.type == .regular else { return nil }
        guard status.size <= limit else { throw HelmChartError.tooLarge(path: path, limit: limit) }
        let file = try POSIXFile(path: path, flags: O_RDONLY | O_NOFOLLOW)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(status.size))
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = try file.read(into: &buffer)
            if count == 0 { break }
            bytes.append(contentsOf: buffer[..<count])
            guard Int64(bytes.count) <= limit else { throw HelmChartError.tooLarge(path: path, limit: limit) }
        }
        return bytes
    }
}

extension ChartValues {
    /// Merges values files read from `root` (the source artifact's root, as Flux resolves `spec.valuesFiles` for
    /// charts from Git) in order; paths cannot leave `root`. Returns the merged values and the paths used.
    public static func mergeFiles(_ paths: [String], root: String, ignoreMissing: Bool = false,
                                  limit: Int64 = 5 << 20) throws(HelmChartError) -> (values: JSONValue, used: [String])
    {
        var merged: JSONValue = .object([:])
        var used: [String] = []
        for path in paths {
            let relative = ChartContents.cleanPath(path).split(separator: "/").drop { $0 == ".." }.joined(separator: "/")
            let bytes: [UInt8]?
            do {
                bytes = relative.isEmpty ? nil : try ChartContents.readFile(root + "/" + relative, limit: limit)
            } catch let error as HelmChartError {
                throw error
            } catch {
                throw .fileSystem("\(error)")
            }
            guard let bytes else {
                if ignoreMissing { continue }
                throw .missingValuesFile(path)
            }
            merged = merge(merged, try parse(bytes, path: path))
            used.append(path)
        }
        return (merged, used)
    }
}
