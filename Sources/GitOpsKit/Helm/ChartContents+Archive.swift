extension ChartContents {
    /// Reads a chart archive (`.tgz`) without trusting it. Every entry must be a regular file or directory inside
    /// one top-level chart directory: absolute names, `..` components, links, devices and FIFOs are refused with
    /// an error naming the entry, and the limits bound what is read into memory.
    public init(archive bytes: [UInt8], limits: Limits = .default) throws(HelmChartError) {
        let collector = ChartArchiveCollector(limits: limits)
        do {
            let reader = TarStreamReader(handler: collector)
            let decompressor = try GzipDecompressor { chunk in try reader.feed(chunk) }
            try bytes.withUnsafeBytes { try decompressor.write($0) }
            try decompressor.finish()
            try reader.finish()
        } catch let error as HelmChartError {
            throw error
        } catch let error as ArchiveError {
            throw .corruptArchive(error.description)
        } catch {
            throw .corruptArchive("\(error)")
        }
        guard collector.files[Self.chartFileName] != nil else {
            throw .missingChartFile(path: collector.rootName.map { $0 + "/" } ?? "archive")
        }
        try self.init(files: collector.files, source: collector.rootName ?? "archive")
    }
}

/// Collects the files of a chart archive, stripping the top-level directory and enforcing the safety rules.
final class ChartArchiveCollector: TarEntryHandler {
    private let limits: ChartContents.Limits
    private(set) var files: [String: [UInt8]] = [:]
    private(set) var rootName: String?
    private var currentPath: String?
    private var current: [UInt8] = []
    private var total: Int64 = 0

    init(limits: ChartContents.Limits) {
        self.limits = limits
    }

    func beginEntry(_ entry: TarEntry) throws -> Bool {
        currentPath = nil
        let name = entry.name
        guard !name.utf8.contains(0) else { throw HelmChartError.corruptArchive("entry name contains NUL") }
        let normalized = name.replacingBackslashes
        if normalized.hasPrefix("/") || Self.hasDrivePrefix(normalized) { throw HelmChartError.absolutePath(name) }
        var components: [Substring] = []
        for component in normalized.split(separator: "/", omittingEmptySubsequences: true) where component != "." {
            if component == ".." { throw HelmChartError.pathTraversal(name) }
            components.append(component)
        }
        switch entry.type {
        case .directory?:
            return false
        case .regular?, .contiguous?:
            break
        case .symbolicLink?:
            throw HelmChartError.unsupportedEntry(path: name, kind: "symbolic link")
        case .hardLink?:
            throw HelmChartError.unsupportedEntry(path: name, kind: "hard link")
        default:
            throw HelmChartError.unsupportedEntry(path: name, kind: "special file (type \(entry.rawType))")
        }
        guard components.count >= 2 else { throw HelmChartError.fileOutsideChartDirectory(name) }
        if rootName == nil { rootName = String(components[0]) }
        let relative = components.dropFirst().joined(separator: "/")
        guard entry.size <= limits.maxFileSize else { throw HelmChartError.tooLarge(path: name, limit: limits.maxFileSize) }
        total += entry.size
        guard total <= limits.maxTotalSize else { throw HelmChartError.tooLarge(path: name, limit: limits.maxTotalSize) }
        guard files.count < limits.maxFiles else {
            throw HelmChartError.corruptArchive("more than \(limits.maxFiles) files")
        }
        currentPath = relative
        current = []
        current.reserveCapacity(Int(entry.size))
        files[relative] = []
        return true
    }

    func entryData(_ bytes: UnsafeRawBufferPointer) throws {
        current.append(contentsOf: bytes)
    }

    func endEntry() throws {
        if let currentPath { files[currentPath] = current }
        currentPath = nil
        current = []
    }

    /// `c:/x`-style names, which Helm also refuses.
    private static func hasDrivePrefix(_ name: String) -> Bool {
        let bytes = Array(name.utf8.prefix(3))
        guard bytes.count >= 2, bytes[1] == UInt8(ascii: ":") else { return false }
        let letter = bytes[0] | 0x20
        return letter >= UInt8(ascii: "a") && letter <= UInt8(ascii: "z") && (bytes.count == 2 || bytes[2] == UInt8(ascii: "/"))
    }
}

extension String {
    /// Windows separators as `/`, as Helm normalises archive names before checking them.
    fileprivate var replacingBackslashes: String {
        contains("\\") ? String(map { $0 == "\\" ? "/" : $0 }) : self
    }
}
