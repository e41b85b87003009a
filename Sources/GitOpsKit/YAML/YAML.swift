/// YAML as Kubernetes reads and writes it: sigs.k8s.io/yaml (go-yaml v2 → JSON) semantics on top of libyaml.
///
/// Decoding types plain scalars the YAML 1.1 way (`yes`/`on` booleans, `010` octal, `0x1F`, `1e3`, `~`), keeps
/// quoted scalars strings, expands anchors/aliases and `<<` merge keys, lets the last duplicate key win, and
/// turns non-string keys into strings — so a manifest means here what it means to `kubectl apply`. Encoding prints
/// what `kubectl get -o yaml` and `kubectl kustomize` print.
///
/// Usage:
/// ```swift
/// let objects = try YAML.decodeAll(manifestText)
/// let text = YAML.encodeAll(objects)
/// ```
public enum YAML {
    /// Parses a multi-document stream into one JSONValue per non-empty document (as kubectl does).
    ///
    /// Documents that are empty, only comments, or an explicit null are skipped. Unlike kubectl's line splitter,
    /// content on the `---` line (`--- {a: 1}`) is accepted, as YAML and Helm allow.
    /// - Complexity: O(n) in the input size; the input is never copied for a native `String`.
    public static func decodeAll(_ text: String, limits: YAMLLimits = .default) throws(YAMLError) -> [JSONValue] {
        try documents(text, limits: limits).map(\.value).filter { !$0.isNull }
    }

    /// Parses a multi-document stream of UTF-8 (or UTF-16 with a byte-order mark) bytes.
    public static func decodeAll(_ bytes: [UInt8], limits: YAMLLimits = .default) throws(YAMLError) -> [JSONValue] {
        try documents(bytes, limits: limits).map(\.value).filter { !$0.isNull }
    }

    /// Parses a multi-document stream with the given scalar typing rules; `.kyaml` is what kustomize reads with.
    public static func decodeAll(
        _ bytes: [UInt8], limits: YAMLLimits = .default, rules: YAMLScalarRules
    ) throws(YAMLError) -> [JSONValue] {
        try bytes.withUnsafeBufferPointer { (buffer) throws(YAMLError) in
            try YAMLEventDecoder.documents(in: buffer, limits: limits, rules: rules)
        }.map(\.value).filter { !$0.isNull }
    }

    /// Exactly one document (an empty stream gives .null); more than one is an error.
    ///
    /// Empty documents around it (a leading or trailing `---`) are ignored.
    public static func decode(_ text: String, limits: YAMLLimits = .default) throws(YAMLError) -> JSONValue {
        try single(documents(text, limits: limits))
    }

    /// Exactly one document from UTF-8 bytes (an empty stream gives .null); more than one is an error.
    public static func decode(_ bytes: [UInt8], limits: YAMLLimits = .default) throws(YAMLError) -> JSONValue {
        try single(documents(bytes, limits: limits))
    }

    /// Exactly one document from UTF-8 bytes, with the given scalar typing rules.
    public static func decode(
        _ bytes: [UInt8], limits: YAMLLimits = .default, rules: YAMLScalarRules
    ) throws(YAMLError) -> JSONValue {
        try single(bytes.withUnsafeBufferPointer { (buffer) throws(YAMLError) in
            try YAMLEventDecoder.documents(in: buffer, limits: limits, rules: rules)
        })
    }

    /// Block-style YAML exactly as `kubectl get -o yaml` / `kubectl kustomize` print it (sorted keys, 2-space
    /// indent, sequences not indented under their key, `|`/`|-` literal blocks for multi-line strings, quoting
    /// only when needed with the same quote style kubectl uses).
    public static func encode(_ value: JSONValue) -> String {
        // JSON is YAML: should libyaml ever refuse an event, the JSON form still reads back to the same value.
        YAMLEmitter.emit(value) ?? value.jsonString() + "\n"
    }

    /// Documents joined with "---\n" (kubectl kustomize style).
    public static func encodeAll(_ values: [JSONValue]) -> String {
        values.map(encode).joined(separator: "---\n")
    }

    private static func documents(_ text: String, limits: YAMLLimits) throws(YAMLError) -> [YAMLEventDecoder.Document] {
        let result = text.utf8.withContiguousStorageIfAvailable { buffer in
            Result { () throws(YAMLError) in try YAMLEventDecoder.documents(in: buffer, limits: limits) }
        }
        if let result { return try result.get() }
        return try documents(Array(text.utf8), limits: limits)
    }

    private static func documents(_ bytes: [UInt8], limits: YAMLLimits) throws(YAMLError) -> [YAMLEventDecoder.Document] {
        try bytes.withUnsafeBufferPointer { (buffer) throws(YAMLError) in
            try YAMLEventDecoder.documents(in: buffer, limits: limits)
        }
    }

    private static func single(_ documents: [YAMLEventDecoder.Document]) throws(YAMLError) -> JSONValue {
        let nonEmpty = documents.filter { !$0.value.isNull }
        guard nonEmpty.count <= 1 else {
            let second = nonEmpty[1]
            throw YAMLError(
                line: second.line, column: second.column,
                message: "expected a single YAML document but found \(nonEmpty.count)")
        }
        return nonEmpty.first?.value ?? .null
    }
}
