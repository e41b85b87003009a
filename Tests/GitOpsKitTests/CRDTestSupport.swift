import Foundation
import Testing

@testable import GitOpsKit

/// Where the CRD manifests live and how the tests read them.
enum CRDTestSupport {
    /// The package root, from this file's location (`Tests/GitOpsKitTests/CRDTestSupport.swift`).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let crdDirectory = packageRoot.appendingPathComponent("config/crd")
    static let basesDirectory = crdDirectory.appendingPathComponent("bases")

    /// The single CRD in the file named after `type` (`<group>_<plural>.yaml`).
    static func manifest(for type: any FluxObject.Type) throws -> CRDManifest {
        let path = basesDirectory.appendingPathComponent(CRDManifests.fileName(for: type)).path
        let manifests = try CRDManifests.load(file: path)
        try #require(manifests.count == 1, "\(path) holds \(manifests.count) CRDs, expected one")
        return manifests[0]
    }

    /// The `openAPIV3Schema` of the version `type` models.
    static func schema(for type: any FluxObject.Type) throws -> JSONValue {
        let manifest = try manifest(for: type)
        let version = try #require(manifest.version(type.kind.version), "\(manifest.name) has no version \(type.kind.version)")
        return try #require(version.openAPIV3Schema, "\(manifest.name) \(version.name) has no schema")
    }

    /// The category every Flux CRD of `group` carries besides `all` and `fluxcd`.
    static func category(ofGroup group: String) -> String? {
        switch group {
        case "source.toolkit.fluxcd.io": "fluxcd-sources"
        case "kustomize.toolkit.fluxcd.io", "helm.toolkit.fluxcd.io": "fluxcd-appliers"
        case "notification.toolkit.fluxcd.io": "fluxcd-notifications"
        case "image.toolkit.fluxcd.io": "fluxcd-images"
        default: nil
        }
    }
}

/// Builds the "maximal" object of a CRD schema: every declared property present, with a value of its declared
/// type that satisfies its enum, pattern, format and length/size bounds.
enum MaximalObject {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Strings tried, in order, for a field with a `pattern`; a pattern none of them matches fails the test so a
    /// sample can be added.
    static let patternSamples = ["Ready", "1m0s", "values.yaml", "https://example.com/repo", "sha256:0123abcd"]
    /// String fields whose Swift type needs a particular form that the schema does not state as a format.
    static let typedStrings: [String: String] = [
        "lastReconciledDuration": "1m30s",
        "lastAttemptedReleaseActionDuration": "2s",
    ]
    static let timestamp = "2024-05-01T10:00:00Z"

    /// The maximal resource: `apiVersion`, `kind` and a name/namespace, then every property under `spec`/`status`.
    static func resource(_ type: any FluxObject.Type, schema: JSONValue) throws -> JSONValue {
        var object = try value(for: schema, path: "")
        object["apiVersion"] = .string(type.kind.apiVersion)
        object["kind"] = .string(type.kind.kind)
        object["metadata"] = ["name": "maximal", "namespace": "default"]
        return object
    }

    static func value(for schema: JSONValue, path: String) throws -> JSONValue {
        if let allowed = schema["enum"]?.arrayValue {
            guard let first = allowed.first else { throw Failure(description: "\(path): empty enum") }
            return first
        }
        if schema["x-kubernetes-int-or-string"]?.boolValue == true { return "1" }
        switch schema["type"]?.stringValue {
        case "object"?:
            return try object(for: schema, path: path)
        case "array"?:
            guard let items = schema["items"] else { throw Failure(description: "\(path): array without items") }
            let count = max(1, Int(schema["minItems"]?.intValue ?? 1))
            return .array(try (0..<count).map { _ in try value(for: items, path: path + "[]") })
        case "string"?:
            return .string(try string(for: schema, path: path))
        case "integer"?:
            return .int(max(1, schema["minimum"]?.intValue ?? 1))
        case "number"?:
            return .double(max(1.5, schema["minimum"]?.doubleValue ?? 1.5))
        case "boolean"?:
            return .bool(true)
        case nil where schema["x-kubernetes-preserve-unknown-fields"]?.boolValue == true:
            return ["image": ["tag": "6.0.0"], "replicaCount": 2]
        default:
            throw Failure(description: "\(path): schema without a usable type: \(schema.jsonString())")
        }
    }

    private static func object(for schema: JSONValue, path: String) throws -> JSONValue {
        var members: [String: JSONValue] = [:]
        for (key, child) in schema["properties"]?.objectValue ?? [:] {
            members[key] = try value(for: child, path: path.isEmpty ? key : "\(path).\(key)")
        }
        if let additional = schema["additionalProperties"], additional.objectValue != nil {
            members["key"] = try value(for: additional, path: "\(path).key")
        }
        if members.isEmpty, schema["x-kubernetes-preserve-unknown-fields"]?.boolValue == true {
            members = ["anything": "goes"]
        }
        return .object(members)
    }

    private static func string(for schema: JSONValue, path: String) throws -> String {
        var text: String
        let field = path.split(separator: ".").last.map(String.init) ?? path
        if schema["format"]?.stringValue == "date-time" {
            text = timestamp
        } else if let pattern = schema["pattern"]?.stringValue {
            let regex = try NSRegularExpression(pattern: pattern)
            guard let sample = patternSamples.first(where: {
                regex.firstMatch(in: $0, range: NSRange($0.startIndex..., in: $0)) != nil
            }) else {
                throw Failure(description: "\(path): no sample string matches pattern \(pattern); add one to patternSamples")
            }
            text = sample
        } else if let typed = typedStrings[field] {
            text = typed
        } else {
            text = "x"
        }
        let minLength = Int(schema["minLength"]?.intValue ?? 0)
        while text.count < minLength { text += "x" }
        if let maxLength = schema["maxLength"]?.intValue, text.count > maxLength {
            throw Failure(description: "\(path): sample \(text) longer than maxLength \(maxLength)")
        }
        return text
    }
}

/// Every property path a CRD schema declares (`spec.ref.branch`, `spec.include[].toPath`, `spec.values.*` for a
/// free-form field, `status.artifact.metadata.{}` for map values).
enum SchemaPaths {
    static func all(_ schema: JSONValue, path: String = "") -> [String] {
        var paths: [String] = []
        for (key, child) in schema["properties"]?.objectValue ?? [:] {
            let childPath = path.isEmpty ? key : "\(path).\(key)"
            paths.append(childPath)
            paths += all(child, path: childPath)
        }
        if let items = schema["items"] { paths += all(items, path: path + "[]") }
        if let additional = schema["additionalProperties"], additional.objectValue != nil {
            paths += all(additional, path: path + ".{}")
        }
        return paths
    }

    /// Schema nodes (by path) that kube-apiserver would refuse as non-structural: no `type` (outside
    /// `x-kubernetes-preserve-unknown-fields`/`x-kubernetes-int-or-string`), `properties` together with
    /// `additionalProperties`, or a `metadata` restricted beyond `type: object`.
    static func structuralProblems(_ schema: JSONValue, path: String = "") -> [String] {
        var problems: [String] = []
        let untyped = schema["type"] == nil && schema["x-kubernetes-preserve-unknown-fields"]?.boolValue != true
            && schema["x-kubernetes-int-or-string"]?.boolValue != true
        if untyped { problems.append("\(path.isEmpty ? "<root>" : path): no type") }
        if schema["properties"] != nil && schema["additionalProperties"] != nil {
            problems.append("\(path): properties and additionalProperties together")
        }
        if path == "metadata", schema.objectValue?.keys.sorted() != ["type"] {
            problems.append("metadata: only `type: object` is allowed at the resource's metadata")
        }
        for (key, child) in schema["properties"]?.objectValue ?? [:] {
            problems += structuralProblems(child, path: path.isEmpty ? key : "\(path).\(key)")
        }
        if let items = schema["items"] { problems += structuralProblems(items, path: path + "[]") }
        if let additional = schema["additionalProperties"], additional.objectValue != nil {
            problems += structuralProblems(additional, path: path + ".{}")
        }
        return problems
    }

    /// Every schema node with a validation keyword a value can break (`enum`, `pattern`, lengths, item counts), by
    /// path, with its schema.
    static func constrained(_ schema: JSONValue, path: String = "") -> [(path: String, schema: JSONValue)] {
        var found: [(String, JSONValue)] = []
        let keywords = ["enum", "pattern", "minLength", "maxLength", "minItems", "maxItems"]
        if keywords.contains(where: { schema[$0] != nil }) { found.append((path, schema)) }
        for (key, child) in (schema["properties"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            found += constrained(child, path: path.isEmpty ? key : "\(path).\(key)")
        }
        if let items = schema["items"] { found += constrained(items, path: path + "[]") }
        if let additional = schema["additionalProperties"], additional.objectValue != nil {
            found += constrained(additional, path: path + ".key")
        }
        return found
    }

    /// A value that breaks one validation keyword of `schema`, or nil when there is none to break.
    static func violation(of schema: JSONValue, valid: JSONValue) -> JSONValue? {
        if schema["enum"] != nil { return "not-an-allowed-value" }
        if schema["pattern"] != nil { return "%%%" }
        if let maxLength = schema["maxLength"]?.intValue { return .string(String(repeating: "a", count: Int(maxLength) + 1)) }
        if let minLength = schema["minLength"]?.intValue, minLength > 0 { return "" }
        if let maxItems = schema["maxItems"]?.intValue, let item = valid[0] {
            return .array(Array(repeating: item, count: Int(maxItems) + 1))
        }
        if let minItems = schema["minItems"]?.intValue, minItems > 0 { return [] }
        return nil
    }

    /// Sets the value at a `constrained` path (`a.b[].c`: the first element of each array).
    static func setting(_ value: JSONValue, at path: String, in object: JSONValue) -> JSONValue {
        var parts = path.split(separator: ".").map(String.init)
        guard !parts.isEmpty else { return value }
        let first = parts.removeFirst()
        let isArray = first.hasSuffix("[]")
        let key = isArray ? String(first.dropLast(2)) : first
        guard case .object(var members) = object, let child = members[key] else { return object }
        if isArray {
            guard case .array(var items) = child, !items.isEmpty else { return object }
            items[0] = parts.isEmpty ? value : setting(value, at: parts.joined(separator: "."), in: items[0])
            members[key] = .array(items)
        } else {
            members[key] = parts.isEmpty ? value : setting(value, at: parts.joined(separator: "."), in: child)
        }
        return .object(members)
    }

    /// `(path, allowed values)` of every `enum:` in the schema.
    static func enums(_ schema: JSONValue, path: String = "") -> [String: [String]] {
        var found: [String: [String]] = [:]
        if let values = schema["enum"]?.arrayValue { found[path] = values.compactMap(\.stringValue) }
        for (key, child) in schema["properties"]?.objectValue ?? [:] {
            found.merge(enums(child, path: path.isEmpty ? key : "\(path).\(key)")) { first, _ in first }
        }
        if let items = schema["items"] { found.merge(enums(items, path: path + "[]")) { first, _ in first } }
        if let additional = schema["additionalProperties"], additional.objectValue != nil {
            found.merge(enums(additional, path: path + ".key")) { first, _ in first }
        }
        return found
    }

    /// `(path, default value, schema)` of every `default:` in the schema.
    static func defaults(_ schema: JSONValue, path: String = "") -> [(path: String, value: JSONValue, schema: JSONValue)] {
        var found: [(String, JSONValue, JSONValue)] = []
        if let value = schema["default"] { found.append((path, value, schema)) }
        for (key, child) in schema["properties"]?.objectValue ?? [:] {
            found += defaults(child, path: path.isEmpty ? key : "\(path).\(key)")
        }
        if let items = schema["items"] { found += defaults(items, path: path + "[]") }
        if let additional = schema["additionalProperties"], additional.objectValue != nil {
            found += defaults(additional, path: path + ".{}")
        }
        return found
    }
}
