import CYAML

/// Reads libyaml's event stream straight into ``JSONValue``s, applying go-yaml v2 + sigs.k8s.io/yaml semantics:
/// scalar typing, map keys converted to strings, merge keys, anchors and aliases, last duplicate key wins.
///
/// One value is built per document with an explicit stack (no recursion), so deep input cannot overflow the
/// stack, and every limit of ``YAMLLimits`` is checked as events arrive.
struct YAMLEventDecoder {
    /// A parsed document and where it starts.
    struct Document {
        var value: JSONValue
        var line: Int
        var column: Int
    }

    /// A finished node and its size, so aliases can be charged for what they repeat.
    private struct Node {
        var value: JSONValue
        /// Number of nodes in the value, counting each alias expansion in full.
        var nodes: Int
        /// Collection nesting inside the value: 0 for a scalar, 1 for a flat collection.
        var height: Int
    }

    /// An anchored node; scalars keep their Go type so that an alias can also serve as a map key.
    private struct Anchored {
        var node: Node?
        var scalar: YAMLScalar?
    }

    /// The latest definition of an anchor name wins from where it starts (as in go-yaml); while its collection
    /// is still open, an alias to it would contain itself.
    private enum AnchorState {
        case open(id: Int)
        case complete(Anchored)
    }

    private enum Pending {
        case key
        case value(String)
        case merge
    }

    /// An open sequence or mapping.
    private struct Frame {
        var isMapping: Bool
        /// Written `[...]` / `{...}` rather than as a block.
        var isFlow = false
        var elements: [JSONValue] = []
        var members: [String: JSONValue] = [:]
        var pending = Pending.key
        var anchor: (name: String, id: Int)?
        var nodes = 1
        var height = 1

        mutating func absorb(_ node: Node) {
            nodes += node.nodes
            height = max(height, node.height + 1)
        }
    }

    private let limits: YAMLLimits
    private let rules: YAMLScalarRules
    private var documents: [Document] = []
    private var stack: [Frame] = []
    private var root: JSONValue?
    private var documentStart = yaml_mark_t()
    private var anchors: [String: AnchorState] = [:]
    private var anchorCount = 0
    private var aliasExpansions = 0

    private init(limits: YAMLLimits, rules: YAMLScalarRules) {
        self.limits = limits
        self.rules = rules
    }

    /// Parses every document of `input` (including empty ones, as `.null`).
    static func documents(
        in input: UnsafeBufferPointer<UInt8>, limits: YAMLLimits, rules: YAMLScalarRules = .goYAMLv2
    ) throws(YAMLError) -> [Document] {
        guard input.count <= limits.maxBytes else {
            throw YAMLError(
                line: 0, column: 0,
                message: "YAML input of \(input.count) bytes exceeds the limit of \(limits.maxBytes) bytes")
        }
        var decoder = YAMLEventDecoder(limits: limits, rules: rules)
        try decoder.run(input)
        return decoder.documents
    }

    private mutating func run(_ input: UnsafeBufferPointer<UInt8>) throws(YAMLError) {
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else {
            throw YAMLError(line: 0, column: 0, message: "cannot initialize the YAML parser (out of memory)")
        }
        defer { yaml_parser_delete(parser) }
        // libyaml never writes through the input pointer; an empty buffer still needs a valid address.
        let empty: [UInt8] = [0]
        try empty.withUnsafeBufferPointer { (placeholder) throws(YAMLError) in
            let base = input.baseAddress ?? placeholder.baseAddress
            yaml_parser_set_input_string(parser, base, input.count)
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(parser, &event) == 1 else {
                    throw Self.parserError(parser.pointee, input: input)
                }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { return }
                try handle(event)
            }
        }
    }

    private mutating func handle(_ event: yaml_event_t) throws(YAMLError) {
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            anchors.removeAll(keepingCapacity: true)
            root = nil
            documentStart = event.start_mark
        case YAML_DOCUMENT_END_EVENT:
            documents.append(
                Document(value: root ?? .null, line: Int(documentStart.line) + 1, column: Int(documentStart.column) + 1))
            root = nil
        case YAML_SCALAR_EVENT:
            try scalar(event)
        case YAML_SEQUENCE_START_EVENT:
            try open(
                isMapping: false, isFlow: event.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE,
                anchor: Self.string(event.data.sequence_start.anchor), mark: event.start_mark)
        case YAML_MAPPING_START_EVENT:
            try open(
                isMapping: true, isFlow: event.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE,
                anchor: Self.string(event.data.mapping_start.anchor), mark: event.start_mark)
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            try close(mark: event.start_mark)
        case YAML_ALIAS_EVENT:
            try alias(Self.string(event.data.alias.anchor) ?? "", mark: event.start_mark)
        default:
            break
        }
    }

    private var atKey: Bool {
        let top = stack.count - 1
        guard top >= 0, stack[top].isMapping, case .key = stack[top].pending else { return false }
        return true
    }

    private mutating func scalar(_ event: yaml_event_t) throws(YAMLError) {
        let data = event.data.scalar
        let text = data.value.map { String(decoding: UnsafeBufferPointer(start: $0, count: data.length), as: UTF8.self) } ?? ""
        let tag = Self.string(data.tag)
        let plainImplicit = data.plain_implicit != 0
        let anchor = Self.string(data.anchor)
        let mark = event.start_mark
        let isKey = atKey
        if isKey, YAMLScalarResolver.isMergeKey(text, tag: tag, plainImplicit: plainImplicit) {
            if let anchor { anchors[anchor] = .complete(Anchored(node: nil, scalar: .string(text))) }
            stack[stack.count - 1].pending = .merge
            return
        }
        var scalar: YAMLScalar
        do {
            scalar = try YAMLScalarResolver.decode(text, tag: tag, plainImplicit: plainImplicit, rules: rules)
        } catch {
            throw Self.error(error.message, at: mark)
        }
        if rules == .kyaml, !isKey, let printed = try kyamlTimestamp(text, tag: tag, plainImplicit: plainImplicit, mark: mark) {
            scalar = .string(printed)
        }
        if let anchor { anchors[anchor] = .complete(Anchored(node: nil, scalar: scalar)) }
        if isKey {
            try setKey(scalar, mark: mark)
        } else {
            try attach(Node(value: json(scalar, mark: mark), nodes: 1, height: 0), mark: mark)
        }
    }

    /// kyaml (go-yaml v3) decodes a timestamp to a Go `time.Time`, which kustomize prints in RFC 3339 — except in a
    /// document's own `metadata.annotations`, which kustomize reads back as text. As `kubectl kustomize` v5.5
    /// does, plain timestamps with a time of day inside a flow collection (`[...]`, `{...}`) stay text.
    /// Keys stay text (kustomize refuses timestamp keys).
    private func kyamlTimestamp(
        _ text: String, tag: String?, plainImplicit: Bool, mark: yaml_mark_t
    ) throws(YAMLError) -> String? {
        guard !inDocumentAnnotations,
            let stamp = YAMLScalarResolver.timestamp(text, tag: tag, plainImplicit: plainImplicit)
        else { return nil }
        if tag == nil, stamp.hasTime, stack.last?.isFlow == true { return nil }
        guard let printed = stamp.rfc3339Nano else {
            throw Self.error("timestamp \(text): time zone offset hour outside of range [0,23]", at: mark)
        }
        return printed
    }

    /// Whether the next value is one of the document's `metadata.annotations`, or of a List item's
    /// (`items[].metadata.annotations`; kustomize splits a List into its items).
    private var inDocumentAnnotations: Bool {
        let count = stack.count
        guard count == 3 || count == 5, stack[count - 1].isMapping,
            case .value("annotations") = stack[count - 2].pending, case .value("metadata") = stack[count - 3].pending
        else { return false }
        guard count == 5 else { return true }
        guard !stack[1].isMapping, case .value("items") = stack[0].pending else { return false }
        return true
    }

    private mutating func setKey(_ scalar: YAMLScalar, mark: yaml_mark_t) throws(YAMLError) {
        do {
            stack[stack.count - 1].pending = .value(try scalar.mapKey())
        } catch {
            throw Self.error(error.message, at: mark)
        }
    }

    private mutating func open(isMapping: Bool, isFlow: Bool, anchor: String?, mark: yaml_mark_t) throws(YAMLError) {
        if atKey {
            throw Self.error("invalid map key: a \(isMapping ? "mapping" : "sequence") cannot be a JSON object key", at: mark)
        }
        guard stack.count < limits.maxDepth else {
            throw Self.error("nesting is deeper than the limit of \(limits.maxDepth)", at: mark)
        }
        var frame = Frame(isMapping: isMapping, isFlow: isFlow)
        if let anchor {
            anchorCount += 1
            anchors[anchor] = .open(id: anchorCount)
            frame.anchor = (anchor, anchorCount)
        }
        stack.append(frame)
    }

    private mutating func close(mark: yaml_mark_t) throws(YAMLError) {
        guard let frame = stack.popLast() else { return }
        let node = Node(
            value: frame.isMapping ? .object(frame.members) : .array(frame.elements), nodes: frame.nodes,
            height: frame.height)
        if let anchor = frame.anchor, case .open(let id) = anchors[anchor.name], id == anchor.id {
            anchors[anchor.name] = .complete(Anchored(node: node, scalar: nil))
        }
        try attach(node, mark: mark)
    }

    private mutating func alias(_ name: String, mark: yaml_mark_t) throws(YAMLError) {
        let anchored: Anchored
        switch anchors[name] {
        case .complete(let value): anchored = value
        case .open: throw Self.error("anchor '\(name)' value contains itself", at: mark)
        case nil: throw Self.error("unknown anchor '\(name)' referenced", at: mark)
        }
        if atKey {
            guard let scalar = anchored.scalar else {
                throw Self.error("invalid map key: alias '\(name)' refers to a collection, not a scalar", at: mark)
            }
            try setKey(scalar, mark: mark)
            return
        }
        let node: Node
        if let stored = anchored.node {
            node = stored
        } else {
            node = Node(value: try json(anchored.scalar ?? .null, mark: mark), nodes: 1, height: 0)
        }
        aliasExpansions += node.nodes
        guard aliasExpansions <= limits.maxAliasExpansions else {
            throw Self.error(
                "document contains excessive aliasing: more than \(limits.maxAliasExpansions) nodes expanded through aliases",
                at: mark)
        }
        guard stack.count + node.height <= limits.maxDepth else {
            throw Self.error("nesting through alias '\(name)' is deeper than the limit of \(limits.maxDepth)", at: mark)
        }
        try attach(node, mark: mark)
    }

    /// Adds a finished node to the open collection, or makes it the document's root.
    private mutating func attach(_ node: Node, mark: yaml_mark_t) throws(YAMLError) {
        guard !stack.isEmpty else {
            root = node.value
            return
        }
        let top = stack.count - 1
        if !stack[top].isMapping {
            stack[top].elements.append(node.value)
            stack[top].absorb(node)
            return
        }
        switch stack[top].pending {
        case .value(let key):
            stack[top].members[key] = node.value
        case .merge:
            try Self.merge(node.value, into: &stack[top], mark: mark)
        case .key:
            return  // unreachable: keys are handled before attaching
        }
        stack[top].pending = .key
        stack[top].absorb(node)
    }

    /// go-yaml v2's merge: the merged keys are set at the position of `<<` (overriding keys before it, overridden
    /// by keys after it); in a sequence of maps, earlier maps win.
    private static func merge(_ value: JSONValue, into frame: inout Frame, mark: yaml_mark_t) throws(YAMLError) {
        switch value {
        case .object(let members):
            frame.members.merge(members) { _, merged in merged }
        case .array(let elements):
            for element in elements.reversed() {
                guard case .object(let members) = element else {
                    throw Self.error("map merge requires map or sequence of maps as the value", at: mark)
                }
                frame.members.merge(members) { _, merged in merged }
            }
        default:
            throw Self.error("map merge requires map or sequence of maps as the value", at: mark)
        }
    }

    private func json(_ scalar: YAMLScalar, mark: yaml_mark_t) throws(YAMLError) -> JSONValue {
        do {
            return try scalar.jsonValue(keepsNegativeZero: rules == .goYAMLv2Float64)
        } catch {
            throw Self.error(error.message, at: mark)
        }
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    private static func error(_ message: String, at mark: yaml_mark_t) -> YAMLError {
        YAMLError(line: Int(mark.line) + 1, column: Int(mark.column) + 1, message: message)
    }

    /// libyaml's own error, with its 0-based marks made 1-based; reader errors only know a byte offset.
    private static func parserError(_ parser: yaml_parser_t, input: UnsafeBufferPointer<UInt8>) -> YAMLError {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown YAML error"
        switch parser.error {
        case YAML_MEMORY_ERROR:
            return YAMLError(line: 0, column: 0, message: "out of memory while parsing YAML")
        case YAML_READER_ERROR:
            let offset = min(Int(parser.problem_offset), input.count)
            var line = 1
            var lineStart = 0
            for index in 0..<offset where input[index] == 0x0A {
                line += 1
                lineStart = index + 1
            }
            let column = String(decoding: UnsafeBufferPointer(rebasing: input[lineStart..<offset]), as: UTF8.self)
                .unicodeScalars.count + 1
            return YAMLError(line: line, column: column, message: problem)
        default:
            var context: String?
            if let text = parser.context.map({ String(cString: $0) }) {
                context = "\(text) that started at line \(parser.context_mark.line + 1), column \(parser.context_mark.column + 1)"
            }
            return YAMLError(
                line: Int(parser.problem_mark.line) + 1, column: Int(parser.problem_mark.column) + 1, message: problem,
                context: context)
        }
    }
}
