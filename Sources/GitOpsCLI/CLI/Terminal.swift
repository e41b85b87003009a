import Foundation
import GitOpsKit

/// What the CLI writes: results to stdout, progress (`►`, `◎`, `✔`) and errors (`✗`) to stderr, as the `flux` CLI
/// does, so `gok … -o yaml > file` captures only the objects.
enum Terminal {
    static func output(_ text: String) {
        FileHandle.standardOutput.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    static func action(_ text: String) { progress("► " + text) }
    static func waiting(_ text: String) { progress("◎ " + text) }
    static func success(_ text: String) { progress("✔ " + text) }
    static func failure(_ text: String) { progress("✗ " + text) }

    private static func progress(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Columns padded to their widest cell, three spaces apart (as kubectl and flux print).
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] + 3 - cell.count)
            }.joined()
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }

    /// Objects as YAML documents (each after `---`, like `flux … --export`) or as JSON (one object, or a `List`).
    static func format(_ objects: [JSONValue], as format: OutputFormat) -> String {
        switch format {
        case .json:
            let value: JSONValue = objects.count == 1 ? objects[0] : ["apiVersion": "v1", "kind": "List", "items": .array(objects)]
            return value.jsonString(pretty: true)
        case .yaml, .table:
            return objects.map { "---\n" + YAML.encode($0) }.joined()
        }
    }
}
