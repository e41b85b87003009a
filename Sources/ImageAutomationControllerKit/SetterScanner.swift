import CYAML
import GitOpsKit

/// A scalar carrying a setter marker, located in the file's bytes.
public struct MarkedScalar: Sendable, Hashable {
    /// How the scalar is written; the replacement keeps it.
    public enum Style: Sendable, Hashable {
        case plain, singleQuoted, doubleQuoted
    }

    /// The setter named by the line comment.
    public var marker: SetterMarker
    /// The scalar's current value (after unquoting and unescaping).
    public var value: String
    public var style: Style
    /// Byte range of the scalar's text in the file (quotes included, anchor and tag excluded).
    public var range: Range<Int>
    /// Inside a `[...]` or `{...}` collection, where a plain scalar must not contain `,[]{}`.
    public var inFlow: Bool
    /// Which document of the file (0-based).
    public var document: Int
    /// 1-based line of the scalar, for logs.
    public var line: Int
}

/// What a scan of one YAML file found.
public struct SetterScan: Sendable, Hashable {
    public var scalars: [MarkedScalar] = []
    /// The identity of each document, by index.
    public var documents: [ResourceIdentifier] = []
}

/// A YAML file's bytes could not be parsed.
public struct SetterScanError: Error, Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var message: String

    public var description: String { "line \(line), column \(column): \(message)" }
}

/// Finds the scalars with a setter marker in a YAML stream by walking libyaml's events: their marks give each
/// scalar's exact position, so a rewrite can replace just those bytes and keep every other byte of the file
/// (comments, indentation, quoting, flow style, CRLF line ends, a BOM) — kyaml instead re-serialises the file.
///
/// Only mapping values, sequence items and document-level scalars are considered (kyaml visits those); a marker
/// after a key, or on a line of its own, marks nothing.
public enum SetterScanner {
    /// Scans `bytes` (UTF-8, optionally with a BOM).
    public static func scan(_ bytes: [UInt8]) throws(SetterScanError) -> SetterScan {
        let offsets = CharacterOffsets(bytes)
        var walker = Walker(bytes: bytes, offsets: offsets)
        try walker.run()
        return walker.result
    }

    /// libyaml marks count characters (a CR LF pair as two) from after a leading BOM; this maps them to bytes.
    struct CharacterOffsets {
        private var starts: [Int] = []
        private let end: Int

        init(_ bytes: [UInt8]) {
            var index = 0
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
            starts.reserveCapacity(bytes.count - index)
            while index < bytes.count {
                starts.append(index)
                let byte = bytes[index]
                let width = byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
                index += width
            }
            end = bytes.count
        }

        func byte(at mark: yaml_mark_t) -> Int {
            let index = Int(mark.index)
            return index < starts.count ? starts[index] : end
        }
    }

    /// An open mapping or sequence while walking.
    private struct Frame {
        var isMapping: Bool
        var isFlow: Bool
        /// For mappings: whether the next node is a key.
        var expectsKey = true
        /// The last key read (plain text), for the document identity.
        var key: String?
    }

    private struct Walker {
        let bytes: [UInt8]
        let offsets: CharacterOffsets
        var result = SetterScan()
        var stack: [Frame] = []
        var document = -1
        var identity = ResourceIdentifier()

        init(bytes: [UInt8], offsets: CharacterOffsets) {
            self.bytes = bytes
            self.offsets = offsets
        }

        mutating func run() throws(SetterScanError) {
            let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
            defer { parser.deallocate() }
            guard yaml_parser_initialize(parser) == 1 else {
                throw SetterScanError(line: 0, column: 0, message: "cannot initialize the YAML parser")
            }
            defer { yaml_parser_delete(parser) }
            let input = bytes.isEmpty ? [0] : bytes
            let failure: SetterScanError? = input.withUnsafeBufferPointer { buffer in
                yaml_parser_set_input_string(parser, buffer.baseAddress, bytes.count)
                var event = yaml_event_t()
                while true {
                    guard yaml_parser_parse(parser, &event) == 1 else {
                        let problem = parser.pointee.problem.map { String(cString: $0) } ?? "invalid YAML"
                        let mark = parser.pointee.problem_mark
                        return SetterScanError(line: Int(mark.line) + 1, column: Int(mark.column) + 1, message: problem)
                    }
                    defer { yaml_event_delete(&event) }
                    if event.type == YAML_STREAM_END_EVENT { return nil }
                    handle(event)
                }
            }
            if let failure { throw failure }
        }

        private mutating func handle(_ event: yaml_event_t) {
            switch event.type {
            case YAML_DOCUMENT_START_EVENT:
                document += 1
                identity = ResourceIdentifier()
                stack.removeAll()
            case YAML_DOCUMENT_END_EVENT:
                result.documents.append(identity)
            case YAML_MAPPING_START_EVENT:
                open(isMapping: true, isFlow: event.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE)
            case YAML_SEQUENCE_START_EVENT:
                open(isMapping: false, isFlow: event.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE)
            case YAML_MAPPING_END_EVENT, YAML_SEQUENCE_END_EVENT:
                stack.removeLast()
                completeNode()
            case YAML_ALIAS_EVENT:
                if stack.last?.isMapping == true, stack.last?.expectsKey == true { stack[stack.count - 1].key = nil }
                completeNode()
            case YAML_SCALAR_EVENT:
                scalar(event)
            default:
                break
            }
        }

        private mutating func open(isMapping: Bool, isFlow: Bool) {
            // A collection as a key (`? [a, b]`) has no text to remember.
            if stack.last?.isMapping == true, stack.last?.expectsKey == true { stack[stack.count - 1].key = nil }
            stack.append(Frame(isMapping: isMapping, isFlow: isFlow || stack.last?.isFlow == true))
        }

        /// A node of the innermost mapping is complete: after a key comes its value, after a value the next key.
        private mutating func completeNode() {
            guard let top = stack.indices.last, stack[top].isMapping else { return }
            stack[top].expectsKey.toggle()
        }

        private mutating func scalar(_ event: yaml_event_t) {
            let data = event.data.scalar
            let text = data.value.map { String(decoding: UnsafeBufferPointer(start: $0, count: data.length), as: UTF8.self) } ?? ""
            defer { completeNode() }
            if let top = stack.indices.last, stack[top].isMapping, stack[top].expectsKey {
                stack[top].key = text
                return
            }
            recordIdentity(text)
            // A block scalar's comment sits on its header line, before the text: kyaml never matches it there.
            guard data.style != YAML_LITERAL_SCALAR_STYLE, data.style != YAML_FOLDED_SCALAR_STYLE else { return }
            let end = offsets.byte(at: event.end_mark)
            var start = offsets.byte(at: event.start_mark)
            if data.anchor != nil || data.tag != nil { start = skipProperties(from: start, to: end) }
            let inFlow = stack.last?.isFlow == true
            guard let comment = lineComment(after: end, inFlow: inFlow), let marker = SetterMarker(comment: comment) else {
                return
            }
            let style: MarkedScalar.Style
            switch data.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
            default: style = .plain
            }
            result.scalars.append(MarkedScalar(
                marker: marker, value: text, style: style, range: start..<end, inFlow: inFlow, document: document,
                line: Int(event.start_mark.line) + 1))
        }

        /// `apiVersion`, `kind`, `metadata.name` and `metadata.namespace` of the document's top-level mapping.
        private mutating func recordIdentity(_ text: String) {
            switch stack.count {
            case 1 where stack[0].isMapping:
                if stack[0].key == "apiVersion" { identity.apiVersion = text }
                if stack[0].key == "kind" { identity.kind = text }
            case 2 where stack[0].isMapping && stack[0].key == "metadata" && stack[1].isMapping:
                if stack[1].key == "name" { identity.name = text }
                if stack[1].key == "namespace" { identity.namespace = text }
            default:
                break
            }
        }

        /// The scalar's own text starts after its anchor (`&a`) and tag (`!!str`), which the event's start mark
        /// includes.
        private func skipProperties(from start: Int, to end: Int) -> Int {
            var index = start
            while index < end, bytes[index] == UInt8(ascii: "&") || bytes[index] == UInt8(ascii: "!") {
                while index < end, !Self.isWhitespace(bytes[index]) { index += 1 }
                while index < end, Self.isWhitespace(bytes[index]) { index += 1 }
            }
            return index
        }

        /// The comment on the scalar's line right after it (spaces, and in a flow collection one `,`, may come
        /// between), without the line end; nil when something else follows.
        private func lineComment(after end: Int, inFlow: Bool) -> String? {
            var index = end
            var sawSpace = false
            var sawComma = false
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                    sawSpace = true
                    index += 1
                } else if inFlow, !sawComma, byte == UInt8(ascii: ",") {
                    sawComma = true
                    sawSpace = false
                    index += 1
                } else {
                    break
                }
            }
            guard index < bytes.count, bytes[index] == UInt8(ascii: "#"), sawSpace else { return nil }
            var stop = index
            while stop < bytes.count, bytes[stop] != UInt8(ascii: "\n") { stop += 1 }
            if stop > index, bytes[stop - 1] == UInt8(ascii: "\r") { stop -= 1 }
            return String(decoding: bytes[index..<stop], as: UTF8.self)
        }

        private static func isWhitespace(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
        }
    }
}
