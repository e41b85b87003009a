import CYAML

/// Emits ``JSONValue``s as block YAML through libyaml's emitter, choosing styles the way go-yaml v2 does under
/// sigs.k8s.io/yaml, so the text equals what `kubectl get -o yaml` and `kubectl kustomize` print: keys in
/// ``YAMLKeyOrder``, 2-space indentation, sequences flush with their key, literal blocks for multi-line
/// strings, double quotes for strings that would read back as another type, lines folded at 80 columns.
struct YAMLEmitter {
    private let emitter: UnsafeMutablePointer<yaml_emitter_t>
    private var failed = false
    /// Whether a string ending in LS or PS was emitted (see ``dropIndentBeforeClosingQuote(_:)``).
    private var endsWithSeparator = false

    private init(emitter: UnsafeMutablePointer<yaml_emitter_t>) {
        self.emitter = emitter
    }

    /// One document, without `---`; `nil` only if libyaml refuses an event (it should not).
    static func emit(_ value: JSONValue) -> String? {
        var output: [UInt8] = []
        output.reserveCapacity(1024)
        var separatorEnding = false
        let pointer = UnsafeMutablePointer<yaml_emitter_t>.allocate(capacity: 1)
        defer { pointer.deallocate() }
        guard yaml_emitter_initialize(pointer) == 1 else { return nil }
        defer { yaml_emitter_delete(pointer) }
        let succeeded = withUnsafeMutablePointer(to: &output) { sink -> Bool in
            yaml_emitter_set_output(pointer, { data, buffer, size in
                guard let data, let buffer else { return 0 }
                data.assumingMemoryBound(to: [UInt8].self).pointee.append(
                    contentsOf: UnsafeBufferPointer(start: buffer, count: size))
                return 1
            }, sink)
            yaml_emitter_set_unicode(pointer, 1)
            yaml_emitter_set_indent(pointer, 2)
            yaml_emitter_set_width(pointer, 80)
            yaml_emitter_set_break(pointer, YAML_LN_BREAK)
            var emitter = YAMLEmitter(emitter: pointer)
            emitter.emitDocument(value)
            separatorEnding = emitter.endsWithSeparator
            return !emitter.failed && yaml_emitter_flush(pointer) == 1
        }
        guard succeeded else { return nil }
        if separatorEnding { dropIndentBeforeClosingQuote(&output) }
        // libyaml ends a document whose last scalar keeps its trailing newlines (`|+`) with a `...` marker;
        // kubectl does not print it. A line that is exactly `...` can only be that marker.
        if output.count >= 5, output.suffix(5).elementsEqual("\n...\n".utf8) {
            output.removeLast(4)
        }
        return String(decoding: output, as: UTF8.self)
    }

    private mutating func emitDocument(_ value: JSONValue) {
        var event = yaml_event_t()
        yaml_stream_start_event_initialize(&event, YAML_UTF8_ENCODING)
        send(&event)
        yaml_document_start_event_initialize(&event, nil, nil, nil, 1)
        send(&event)
        emitNode(value)
        yaml_document_end_event_initialize(&event, 1)
        send(&event)
        yaml_stream_end_event_initialize(&event)
        send(&event)
    }

    private mutating func emitNode(_ value: JSONValue) {
        guard !failed else { return }
        var event = yaml_event_t()
        switch value {
        case .null:
            scalar("null", style: YAML_PLAIN_SCALAR_STYLE)
        case .bool(let b):
            scalar(b ? "true" : "false", style: YAML_PLAIN_SCALAR_STYLE)
        case .int(let i):
            scalar(String(i), style: YAML_PLAIN_SCALAR_STYLE)
        case .double(let d):
            scalar(Self.format(d), style: YAML_PLAIN_SCALAR_STYLE)
        case .string(let s):
            string(s)
        case .array(let elements):
            yaml_sequence_start_event_initialize(&event, nil, nil, 1, YAML_BLOCK_SEQUENCE_STYLE)
            send(&event)
            for element in elements { emitNode(element) }
            yaml_sequence_end_event_initialize(&event)
            send(&event)
        case .object(let members):
            yaml_mapping_start_event_initialize(&event, nil, nil, 1, YAML_BLOCK_MAPPING_STYLE)
            send(&event)
            for key in YAMLKeyOrder.sorted(members.keys) {
                if key == "<<" {
                    // go-yaml prints this key plain, which reads back as a merge key; quoting keeps the data.
                    scalar(key, style: YAML_DOUBLE_QUOTED_SCALAR_STYLE)
                } else {
                    string(key)
                }
                emitNode(members[key] ?? .null)
            }
            yaml_mapping_end_event_initialize(&event)
            send(&event)
        }
    }

    /// go-yaml's `stringv`: literal block when multi-line, double quotes when plain text would read back as
    /// another type, plain otherwise (libyaml falls back to single quotes when plain is not allowed).
    private mutating func string(_ text: String) {
        let style: yaml_scalar_style_t
        if text.utf8.contains(0x0A) {
            style = YAML_LITERAL_SCALAR_STYLE
        } else if YAMLScalarResolver.needsQuotes(text) || Self.hasNELOrBOM(text) {
            style = YAML_DOUBLE_QUOTED_SCALAR_STYLE
        } else {
            style = YAML_PLAIN_SCALAR_STYLE
            if let last = text.unicodeScalars.last, last == "\u{2028}" || last == "\u{2029}" { endsWithSeparator = true }
        }
        scalar(text, style: style)
    }

    /// NEL and BOM characters: go-yaml prints them raw, which does not read back as the same string (a raw NEL is
    /// a line break); in double quotes libyaml escapes them (`\N`, `\uFEFF`). LS and PS are left to libyaml, which
    /// like go-yaml writes them raw in single quotes (`'a<LS>    b'`) — that reads back as the same string.
    private static func hasNELOrBOM(_ text: String) -> Bool {
        guard text.utf8.contains(where: { $0 >= 0x80 }) else { return false }
        return text.unicodeScalars.contains { $0 == "\u{85}" || $0 == "\u{FEFF}" }
    }

    /// libyaml writes a line's indentation after a trailing LS/PS even when only the closing quote follows
    /// (`'end<LS>    '`); go-yaml writes `'end<LS>'`. Both read back the same. In a single-quoted scalar, spaces
    /// after LS/PS are always indentation (a space next to a break makes libyaml choose double quotes), so
    /// spaces between LS/PS and a quote that ends the line are dropped.
    private static func dropIndentBeforeClosingQuote(_ output: inout [UInt8]) {
        var result: [UInt8] = []
        result.reserveCapacity(output.count)
        var index = 0
        while index < output.count {
            result.append(output[index])
            index += 1
            guard index >= 3, output[index - 3] == 0xE2, output[index - 2] == 0x80,
                output[index - 1] == 0xA8 || output[index - 1] == 0xA9
            else { continue }
            var end = index
            while end < output.count, output[end] == UInt8(ascii: " ") { end += 1 }
            if end > index, end < output.count, output[end] == UInt8(ascii: "'"),
                end + 1 == output.count || output[end + 1] == 0x0A
            {
                index = end
            }
        }
        output = result
    }

    private mutating func scalar(_ text: String, style: yaml_scalar_style_t) {
        guard !failed else { return }
        var event = yaml_event_t()
        var text = text
        let initialized = text.withUTF8 { buffer -> Int32 in
            let placeholder: StaticString = ""
            let base = buffer.baseAddress ?? placeholder.utf8Start
            return yaml_scalar_event_initialize(&event, nil, nil, base, Int32(clamping: buffer.count), 1, 1, style)
        }
        guard initialized == 1 else {
            failed = true
            return
        }
        send(&event)
    }

    /// Hands an event to libyaml, which takes ownership of it.
    private mutating func send(_ event: inout yaml_event_t) {
        guard !failed else {
            yaml_event_delete(&event)
            return
        }
        if yaml_emitter_emit(emitter, &event) != 1 { failed = true }
    }

    /// Floats as kubectl prints them after their trip through JSON: an integral value whose JSON text fits `Int64`
    /// as that integer, others as Go's `%g` (`0.5`, `1e+21`), specials as `.inf`/`-.inf`/`.nan`.
    static func format(_ value: Double) -> String {
        if value.isNaN { return ".nan" }
        if value.isInfinite { return value < 0 ? "-.inf" : ".inf" }
        if let text = GoFloatFormatting.jsonIntegerText(value), Int64(text) != nil || UInt64(text) != nil { return text }
        return GoFloatFormatting.formatG(value)
    }
}
