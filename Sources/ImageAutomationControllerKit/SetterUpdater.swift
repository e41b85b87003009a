#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FoundationEssentials
import GitOpsKit
import Logging

/// The update could not run at all (a single unreadable or unparseable file is only skipped).
public struct SetterUpdateError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Flux's "Setters" update strategy: rewrites every scalar under a path whose `$imagepolicy` marker names a setter
/// of the given policies, in place.
///
/// Files are read when their name ends in `.yaml` or `.yml` (or is `Kustomization`) and they contain the quoted
/// `"$imagepolicy"` token. Symbolic links are never followed (a link's target inside the tree is edited at its
/// own path), the `.git` directory is skipped, and a file that does not parse is logged and skipped. Only the
/// marked scalars' bytes change; a file is written only when one of its values changed.
///
/// Usage:
/// ```swift
/// var setters = SetterValues()
/// setters.add(namespace: "apps", name: "podinfo", ref: ImageRef(name: "ghcr.io/org/podinfo", tag: "6.5.0"))
/// let result = try SetterUpdater(logger: logger).update(directory: checkout + "/clusters/prod", setters: setters)
/// // result.fileChanges["apps/deployment.yaml"]?[…] == [Change(oldValue: "…:6.4.0", newValue: "…:6.5.0", setter: "apps:podinfo")]
/// ```
public struct SetterUpdater: Sendable {
    public var logger: Logger

    public init(logger: Logger) { self.logger = logger }

    /// Updates the files under `path` (a directory, or one file); the result names files relative to `path`
    /// (to its directory when it is a file), as Flux does.
    public func update(directory path: String, setters: SetterValues) throws(SetterUpdateError) -> SetterUpdateResult {
        var result = SetterUpdateResult()
        guard !setters.isEmpty else { return result }
        let fileManager = FileManager.default
        switch Self.entryType(path) {
        case .directory:
            break
        case .regular:
            try updateFile(path, relative: PathString.lastComponent(path), root: PathString.parent(path), setters: setters,
                           into: &result)
            return result
        case .symbolicLink, .other:
            throw SetterUpdateError("update path \(path) does not exist or is not a directory or regular file")
        }
        var pending = [""]
        while let relativeDirectory = pending.popLast() {
            let directory = relativeDirectory.isEmpty ? path : path + "/" + relativeDirectory
            let names: [String]
            do {
                names = try fileManager.contentsOfDirectory(atPath: directory).sorted()
            } catch {
                throw SetterUpdateError("cannot list \(directory): \(error)")
            }
            for name in names {
                let relative = relativeDirectory.isEmpty ? name : relativeDirectory + "/" + name
                let full = path + "/" + relative
                switch Self.entryType(full) {
                case .directory:
                    if name != ".git" { pending.append(relative) }
                case .regular:
                    try updateFile(full, relative: relative, root: path, setters: setters, into: &result)
                case .symbolicLink:
                    if Self.isCandidate(name) { logger.debug("not following symbolic link", metadata: ["path": "\(relative)"]) }
                case .other:
                    break
                }
            }
        }
        return result
    }

    /// Whether Flux's reader considers a file by its name.
    static func isCandidate(_ name: String) -> Bool {
        name.hasSuffix(".yaml") || name.hasSuffix(".yml") || name == "Kustomization"
    }

    private func updateFile(
        _ path: String, relative: String, root: String, setters: SetterValues, into result: inout SetterUpdateResult
    ) throws(SetterUpdateError) {
        guard Self.isCandidate(PathString.lastComponent(path)) else { return }
        let bytes: [UInt8]
        do {
            bytes = try Self.read(path)
        } catch {
            logger.info("skipping unreadable file", metadata: ["path": "\(relative)", "error": "\(error)"])
            return
        }
        guard Self.contains(bytes, Array(SetterMarker.screeningToken.utf8)) else { return }
        let scan: SetterScan
        do {
            scan = try SetterScanner.scan(bytes)
        } catch {
            // Flux records such a file as a problem file and goes on with the others.
            logger.info("skipping file that does not parse as YAML", metadata: ["path": "\(relative)", "error": "\(error)"])
            result.problemFiles.append(relative)
            return
        }
        var replacements: [(range: Range<Int>, text: String)] = []
        for scalar in scan.scalars {
            guard let value = setters[scalar.marker.setter], value != scalar.value else { continue }
            replacements.append((scalar.range, SetterRewriter.text(for: value, style: scalar.style, inFlow: scalar.inFlow)))
            let object = scalar.document < scan.documents.count ? scan.documents[scalar.document] : ResourceIdentifier()
            result.add(file: relative, object: object,
                       change: SetterChange(oldValue: scalar.value, newValue: value, setter: scalar.marker.setter))
            logger.debug("applying setter", metadata: [
                "path": "\(relative)", "line": "\(scalar.line)", "setter": "\(scalar.marker.setter)",
                "old": "\(scalar.value)", "new": "\(value)",
            ])
        }
        guard !replacements.isEmpty else { return }
        do {
            try Self.overwrite(path, with: SetterRewriter.apply(replacements, to: bytes))
        } catch {
            throw SetterUpdateError("cannot write \(relative): \(error)")
        }
    }

    // MARK: Files

    private enum EntryType { case regular, directory, symbolicLink, other }

    private static func entryType(_ path: String) -> EntryType {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .other }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        case S_IFLNK: return .symbolicLink
        default: return .other
        }
    }

    struct POSIXError: Error, CustomStringConvertible {
        var operation: String
        var code: Int32
        var description: String { "\(operation): \(String(cString: strerror(code)))" }
    }

    private static func read(_ path: String) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { throw POSIXError(operation: "open", code: errno) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw POSIXError(operation: "read", code: errno)
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[..<count])
        }
        return bytes
    }

    /// Rewrites the file in place (keeping its inode, mode and owner).
    private static func overwrite(_ path: String, with bytes: [UInt8]) throws {
        let descriptor = open(path, O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { throw POSIXError(operation: "open", code: errno) }
        defer { close(descriptor) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return Glibc.write(descriptor, base + written, buffer.count - written)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw POSIXError(operation: "write", code: errno)
            }
            written += count
        }
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        let first = needle[0]
        var index = 0
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }
}
