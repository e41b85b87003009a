import GitOpsKit

/// The name suffix kustomize appends to generated ConfigMaps and Secrets, so a content change rolls the pods that
/// reference them.
public enum KustomizeHash {
    /// The 10-character suffix kustomize computes for `object`: SHA-256 of Go's JSON encoding of `kind`, `data`
    /// (plus `binaryData` for ConfigMaps; `type` and `stringData` for Secrets), its first ten hex digits with
    /// 0, 1, 3, a, e spelled g, h, k, m, t. kustomize looks the name up under the literal key `metadata/name`,
    /// which objects never have, so the name contributes "" — the suffix depends on content only.
    public static func suffix(for object: JSONValue) throws -> String {
        let encoded: GoJSON
        switch object["kind"] {
        case "ConfigMap"?:
            var fields: [String: GoJSON] = [
                "kind": .string("ConfigMap"),
                "name": field(object, "metadata/name"),
                "data": field(object, "data"),
            ]
            if isCollection(object["binaryData"]) { fields["binaryData"] = field(object, "binaryData") }
            encoded = .object(fields)
        case "Secret"?:
            var fields: [String: GoJSON] = [
                "kind": .string("Secret"),
                "type": field(object, "type"),
                "name": field(object, "metadata/name"),
                "data": field(object, "data"),
            ]
            if isCollection(object["stringData"]) { fields["stringData"] = field(object, "stringData") }
            encoded = .object(fields)
        default:
            throw KustomizeHashError(kind: object["kind"]?.stringValue ?? "")
        }
        let digest = Digest.sha256Hex(encoded.encoded())
        return String(
            digest.prefix(10).map { digit -> Character in
                switch digit {
                case "0": "g"
                case "1": "h"
                case "3": "k"
                case "a": "m"
                case "e": "t"
                default: digit
                }
            })
    }

    /// kustomize adds `binaryData`/`stringData` only when they are a map (or a list, which encodes as null).
    private static func isCollection(_ value: JSONValue?) -> Bool {
        switch value {
        case .object?, .array?: true
        default: false
        }
    }

    /// A top-level field as kustomize's hasher reads it: "" when missing, a map as a map, a scalar as its text.
    private static func field(_ object: JSONValue, _ key: String) -> GoJSON {
        switch object[key] {
        case nil, .null?: return .string("")
        case .object(let fields)?: return GoJSON(fields)
        case .array?: return .null  // a list does not decode into the hasher's map: it encodes as null
        case .string(let text)?: return .string(text)
        case .bool(let flag)?: return .string(flag ? "true" : "false")
        case .int(let number)?: return .string(String(number))
        case .double(let number)?: return .string(String(number))
        }
    }
}
