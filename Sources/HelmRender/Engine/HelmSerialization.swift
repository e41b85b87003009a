import GitOpsKit
import GoTemplate

/// The data-format functions Helm adds to Sprig (`toYaml`, `fromYaml`, `toJson`, …), with the texts and error
/// strings Go's encoders produce.
///
/// Helm never fails on these: a value that cannot be encoded gives an empty string, and a text that cannot be
/// decoded gives a map whose `Error` key (or a list whose only element) is the decoder's message.
enum HelmSerialization {
    /// `toYaml`: sigs.k8s.io/yaml's `Marshal` (JSON first, then YAML), without the final newline.
    static func toYAML(_ value: JSONValue) -> String {
        var text = YAML.encode(value)
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    /// `toJson`: Go's `json.Marshal`, which escapes `<`, `>`, `&`, U+2028 and U+2029 for embedding in HTML.
    static func toJSON(_ value: JSONValue) -> String {
        let text = value.jsonString()
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "&") || $0 == 0xE2 })
        else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// What a Go `interface{}` value marshals to; objects (`.Chart`, `.Files`) have no JSON form here.
    static func json(of value: TemplateValue) -> JSONValue? {
        value.jsonValue
    }

    /// `fromYaml`: the first document as a map; errors land under `Error`.
    static func fromYAML(_ text: String) -> TemplateValue {
        switch decodeYAML(text) {
        case .failure(let message): return .map(["Error": .string(message)])
        case .success(.null): return .map([:])
        case .success(.object(let members)): return .map(members.mapValues(TemplateValue.init(helmValues:)))
        case .success(let other):
            return .map(["Error": .string(unmarshalMismatch(other, into: "map[string]interface {}", yaml: true))])
        }
    }

    /// `fromYamlArray`: the first document as a list; an error becomes the only element.
    static func fromYAMLArray(_ text: String) -> TemplateValue {
        switch decodeYAML(text) {
        case .failure(let message): return .list([.string(message)])
        case .success(.null): return .list([])
        case .success(.array(let elements)): return .list(elements.map(TemplateValue.init(helmValues:)))
        case .success(let other): return .list([.string(unmarshalMismatch(other, into: "[]interface {}", yaml: true))])
        }
    }

    /// `fromJson`: a JSON object as a map; errors land under `Error`.
    static func fromJSON(_ text: String) -> TemplateValue {
        switch decodeJSON(text) {
        case .failure(let message): return .map(["Error": .string(message)])
        case .success(.null): return .map([:])
        case .success(.object(let members)): return .map(members.mapValues(TemplateValue.init(helmValues:)))
        case .success(let other):
            return .map(["Error": .string(unmarshalMismatch(other, into: "map[string]interface {}", yaml: false))])
        }
    }

    /// `fromJsonArray`: a JSON array as a list; an error becomes the only element.
    static func fromJSONArray(_ text: String) -> TemplateValue {
        switch decodeJSON(text) {
        case .failure(let message): return .list([.string(message)])
        case .success(.null): return .list([])
        case .success(.array(let elements)): return .list(elements.map(TemplateValue.init(helmValues:)))
        case .success(let other): return .list([.string(unmarshalMismatch(other, into: "[]interface {}", yaml: false))])
        }
    }

    enum Decoded {
        case success(JSONValue)
        case failure(String)
    }

    /// sigs.k8s.io/yaml's `Unmarshal` of the first document, with its error prefix.
    static func decodeYAML(_ text: String) -> Decoded {
        do {
            return .success(try YAML.decodeAll(Array(text.utf8), rules: .goYAMLv2Float64).first ?? .null)
        } catch {
            return .failure("error converting YAML to JSON: " + goYAMLMessage(error))
        }
    }

    /// go-yaml v2's `yaml: line N: problem`. go-yaml prints no line for problems on the first line, the 1-based
    /// line for scanner problems and the 0-based one for parser problems ("while parsing …").
    static func goYAMLMessage(_ error: YAMLError) -> String {
        if error.message.hasSuffix("cannot be represented in JSON") {
            // sigs.k8s.io/yaml converts to JSON with encoding/json, which refuses infinities and NaN.
            let value = error.message.contains("nan") ? "NaN" : error.message.contains("-.inf") ? "-Inf" : "+Inf"
            return "json: unsupported value: " + value
        }
        guard error.line > 1 else { return "yaml: \(error.message)" }
        var line = error.line
        if let context = error.context, context.hasPrefix("while parsing") { line -= 1 }
        return line > 0 ? "yaml: line \(line): \(error.message)" : "yaml: \(error.message)"
    }

    private static func decodeJSON(_ text: String) -> Decoded {
        do {
            return .success(try JSONValue(json: text))
        } catch {
            return .failure(GoJSONSyntax.error(in: text) ?? "unexpected end of JSON input")
        }
    }

    /// encoding/json's message for a document of the wrong shape (sigs.k8s.io/yaml adds its own prefixes).
    private static func unmarshalMismatch(_ value: JSONValue, into type: String, yaml: Bool) -> String {
        let kind: String
        switch value {
        case .array: kind = "array"
        case .object: kind = "object"
        case .string: kind = "string"
        case .bool: kind = "bool"
        case .int, .double: kind = "number"
        case .null: kind = "null"
        }
        let message = "json: cannot unmarshal \(kind) into Go value of type \(type)"
        return yaml ? "error unmarshaling JSON: while decoding JSON: " + message : message
    }
}
