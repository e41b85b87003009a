import Foundation
import Testing

@testable import GitOpsKit

/// Fixtures shared by the Helm tests: archives built entry by entry (including hostile ones), chart directories,
/// and the real `helm` binary as an oracle.
enum HelmTestSupport {
    /// One entry of a hand-built archive.
    enum Entry {
        case file(String, String)
        case directory(String)
        case symlink(String, target: String)
        case hardLink(String, target: String)
        case fifo(String)
    }

    /// A `.tgz` holding exactly `entries`, in order.
    static func archive(_ entries: [Entry]) throws -> [UInt8] {
        var output: [UInt8] = []
        let writer = try TarStreamWriter(compressionLevel: -1) { output.append(contentsOf: $0) }
        for entry in entries {
            switch entry {
            case .file(let name, let text):
                try Array(text.utf8).withUnsafeBytes { try writer.appendFile(contents: $0, name: name, mode: 0o644) }
            case .directory(let name):
                try writer.append(TarHeader(name: name, mode: 0o755, size: 0, typeFlag: TarHeader.EntryType.directory.rawValue))
            case .symlink(let name, let target):
                try writer.append(TarHeader(name: name, mode: 0o777, size: 0, typeFlag: TarHeader.EntryType.symbolicLink.rawValue,
                                            linkName: target))
            case .hardLink(let name, let target):
                try writer.append(TarHeader(name: name, mode: 0o644, size: 0, typeFlag: TarHeader.EntryType.hardLink.rawValue,
                                            linkName: target))
            case .fifo(let name):
                try writer.append(TarHeader(name: name, mode: 0o644, size: 0, typeFlag: TarHeader.EntryType.fifo.rawValue))
            }
        }
        try writer.finish()
        return output
    }
}
