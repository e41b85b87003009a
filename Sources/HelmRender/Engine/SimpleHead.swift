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
        let value: JSONValue
        do {
            value = try YAML.decodeAll(document).first ?? .null
        } catch {
            throw failure("error converting YAML to JSON: " + HelmSerialization.goYAMLMessage(error))
        }
        switch value {
        case .null: return
        case .object(let members):
            if let version = members["apiVersion"] {
                switch version {
                case .string(let string): apiVersion = string
                case .null: break
                default: throw mismatch(version, field: "SimpleHead.apiVersion", type: "string")
                }
            }
            if let kind = members["kind"] {
                switch kind {
                case .string(let string): self.kind = string
                case .null: break
                default: throw mismatch(kind, field: "SimpleHead.kind", type: "string")
                }
            }
            guard let metadata = members["metadata"] else { return }
            switch metadata {
            case .null: return
            case .object(let fields):
                if let name = fields["name"] {
                    switch name {
                    case .string(let string): self.name = string
                    case .null: break
                    default: throw mismatch(name, field: "SimpleHead.metadata.name", type: "string")
                    }
                }
                switch fields["annotations"] {
                case nil, .null?: break
                case .object(let entries)?:
                    for (key, entry) in entries {
                        switch entry {
                        case .string(let string): annotations[key] = string
                        case .null: annotations[key] = ""
                        default: throw mismatch(entry, field: "SimpleHead.metadata.annotations", type: "string")
                        }
                    }
                case let other?: throw mismatch(other, field: "SimpleHead.metadata.annotations", type: "map[string]string")
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
