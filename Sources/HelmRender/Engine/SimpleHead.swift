import GitOpsKit

/// Helm's `releaseutil.SimpleHead`: the apiVersion, kind, name and annotations of a document, read the way
/// sigs.k8s.io/yaml unmarshals into that struct (so a document of the wrong shape fails with Go's message).
struct SimpleHead {
    var apiVersion = ""
    var kind = ""
    var name = ""
    var annotations: [String: String] = [:]

    init(_ document: String, path: String) throws(HelmRenderError) {
        func failure(_ message: String) -> HelmRenderError {
            HelmRenderError("YAML parse error on \(path): \(message)")
        }
        func mismatch(_ value: JSONValue, field: String, type: String) -> HelmRenderError {
            failure("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal \(Self.jsonKind(value)) "
                + "into Go struct field \(field) of type \(type)")
        }
        /// sigs.k8s.io/yaml turns scalars into strings when the Go field is a string.
        func text(_ value: JSONValue, field: String) throws(HelmRenderError) -> String {
            switch value {
            case .string(let string): return string
            case .null: return ""
            case .int(let int): return String(int)
            case .double(let double): return GoFloatFormatting.formatG(double, bitSize: 32)
            case .bool(let bool): return bool ? "true" : "false"
            case .array, .object: throw mismatch(value, field: field, type: "string")
            }
        }
        let value: JSONValue
        do {
            value = try YAML.decodeAll(document).first ?? .null
        } catch {
            throw failure("error converting YAML to JSON: " + HelmSerialization.goYAMLMessage(error))
        }
        switch value {
        case .null: return
        case .object(let members):
            if let version = members["apiVersion"] { apiVersion = try text(version, field: "SimpleHead.apiVersion") }
            if let kind = members["kind"] { self.kind = try text(kind, field: "SimpleHead.kind") }
            guard let metadata = members["metadata"] else { return }
            switch metadata {
            case .null: return
            case .object(let fields):
                if let name = fields["name"] { self.name = try text(name, field: ".metadata.name") }
                switch fields["annotations"] {
                case nil, .null?: break
                case .object(let entries)?:
                    for (key, entry) in entries {
                        annotations[key] = try text(entry, field: ".metadata.annotations")
                    }
                case let other?: throw mismatch(other, field: ".metadata.annotations", type: "map[string]string")
                }
            default:
                throw mismatch(metadata, field: "SimpleHead.metadata", type: "struct { Name string \"json:\\\"name\\\"\"; Annotations map[string]string \"json:\\\"annotations\\\"\" }")
            }
        default:
            throw failure("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal \(Self.jsonKind(value)) "
                + "into Go value of type releaseutil.SimpleHead")
        }
    }

    static func jsonKind(_ value: JSONValue) -> String {
        switch value {
        case .array: return "array"
        case .object: return "object"
        case .string: return "string"
        case .bool: return "bool"
        case .int, .double: return "number"
        case .null: return "null"
        }
    }
}
