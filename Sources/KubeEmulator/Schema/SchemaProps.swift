import Foundation
import GitOpsKit

/// One node of a CRD `openAPIV3Schema`, parsed once: the parts kube-apiserver uses for pruning, defaulting,
/// validation and field ownership of custom resources.
final class SchemaProps: Sendable {
    let type: String?
    let format: String?
    let properties: [String: SchemaProps]
    let required: [String]
    /// `additionalProperties` with a schema (a map).
    let additionalProperties: SchemaProps?
    /// `additionalProperties: true` (any extra key kept and unchecked).
    let allowsAnyAdditional: Bool
    let items: SchemaProps?
    let enumValues: [JSONValue]?
    let pattern: String?
    let minLength: Int?, maxLength: Int?
    let minItems: Int?, maxItems: Int?
    let minProperties: Int?, maxProperties: Int?
    let minimum: Double?, maximum: Double?
    let exclusiveMinimum: Bool, exclusiveMaximum: Bool
    let multipleOf: Double?
    let uniqueItems: Bool
    let defaultValue: JSONValue?
    let nullable: Bool
    let preserveUnknownFields: Bool
    let intOrString: Bool
    let embeddedResource: Bool
    let listType: String?
    let listMapKeys: [String]
    let mapType: String?
    let anyOf: [SchemaProps], oneOf: [SchemaProps], allOf: [SchemaProps]
    let not: SchemaProps?

    static let validTypes: Set<String> = ["object", "array", "string", "integer", "number", "boolean"]

    init(_ json: JSONValue, path: String) throws(PatchError) {
        guard case .object(let s) = json else { throw PatchError("\(path): schema must be an object", path: path) }
        func int(_ key: String) throws(PatchError) -> Int? {
            guard let value = s[key] else { return nil }
            guard let i = value.intValue, i >= 0 else { throw PatchError("\(path).\(key): must be a non-negative integer", path: path) }
            return Int(i)
        }
        func number(_ key: String) throws(PatchError) -> Double? {
            guard let value = s[key] else { return nil }
            guard let d = value.doubleValue else { throw PatchError("\(path).\(key): must be a number", path: path) }
            return d
        }
        func list(_ key: String) throws(PatchError) -> [SchemaProps] {
            guard let value = s[key] else { return [] }
            guard case .array(let items) = value else { throw PatchError("\(path).\(key): must be a list", path: path) }
            var result: [SchemaProps] = []
            for (i, item) in items.enumerated() { result.append(try SchemaProps(item, path: "\(path).\(key)[\(i)]")) }
            return result
        }

        if let t = s["type"] {
            guard let name = t.stringValue, Self.validTypes.contains(name) else {
                throw PatchError("\(path).type: Unsupported value: \(t.jsonString()): supported values: \"array\", \"boolean\", \"integer\", \"number\", \"object\", \"string\"", path: path)
            }
            type = name
        } else {
            type = nil
        }
        format = s["format"]?.stringValue
        var properties: [String: SchemaProps] = [:]
        if let props = s["properties"] {
            guard case .object(let members) = props else { throw PatchError("\(path).properties: must be an object", path: path) }
            for (name, child) in members { properties[name] = try SchemaProps(child, path: "\(path).properties[\(name)]") }
        }
        self.properties = properties
        required = s["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
        switch s["additionalProperties"] {
        case .bool(let allowed)?:
            additionalProperties = nil
            allowsAnyAdditional = allowed
        case let schema?:
            additionalProperties = try SchemaProps(schema, path: "\(path).additionalProperties")
            allowsAnyAdditional = false
        case nil:
            additionalProperties = nil
            allowsAnyAdditional = false
        }
        items = try s["items"].map { (value) throws(PatchError) in try SchemaProps(value, path: "\(path).items") }
        enumValues = s["enum"]?.arrayValue
        if let p = s["pattern"] {
            guard let text = p.stringValue, (try? NSRegularExpression(pattern: text)) != nil else {
                throw PatchError("\(path).pattern: Invalid value: \(p.jsonString()): must be a valid regular expression", path: path)
            }
            pattern = text
        } else {
            pattern = nil
        }
        minLength = try int("minLength")
        maxLength = try int("maxLength")
        minItems = try int("minItems")
        maxItems = try int("maxItems")
        minProperties = try int("minProperties")
        maxProperties = try int("maxProperties")
        minimum = try number("minimum")
        maximum = try number("maximum")
        exclusiveMinimum = s["exclusiveMinimum"]?.boolValue ?? false
        exclusiveMaximum = s["exclusiveMaximum"]?.boolValue ?? false
        multipleOf = try number("multipleOf")
        uniqueItems = s["uniqueItems"]?.boolValue ?? false
        defaultValue = s["default"]
        nullable = s["nullable"]?.boolValue ?? false
        preserveUnknownFields = s["x-kubernetes-preserve-unknown-fields"]?.boolValue ?? false
        intOrString = s["x-kubernetes-int-or-string"]?.boolValue ?? false
        embeddedResource = s["x-kubernetes-embedded-resource"]?.boolValue ?? false
        listType = s["x-kubernetes-list-type"]?.stringValue
        listMapKeys = s["x-kubernetes-list-map-keys"]?.arrayValue?.compactMap(\.stringValue) ?? []
        mapType = s["x-kubernetes-map-type"]?.stringValue
        anyOf = try list("anyOf")
        oneOf = try list("oneOf")
        allOf = try list("allOf")
        not = try s["not"].map { (value) throws(PatchError) in try SchemaProps(value, path: "\(path).not") }
        if let listType, !["atomic", "set", "map"].contains(listType) {
            throw PatchError("\(path).x-kubernetes-list-type: Unsupported value: \"\(listType)\": supported values: \"atomic\", \"map\", \"set\"", path: path)
        }
        if listType == "map" && listMapKeys.isEmpty {
            throw PatchError("\(path).x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map", path: path)
        }
    }

    /// The schema of member `key` of an object value: its property, else `additionalProperties`.
    func child(_ key: String) -> SchemaProps? { properties[key] ?? additionalProperties }

    /// The field-ownership shape of this node (list types, atomic maps, unknown parts deduced).
    var node: SchemaNode {
        if intOrString { return .scalar }
        switch type {
        case "object":
            if let additionalProperties, properties.isEmpty {
                return .map(values: additionalProperties.node, atomic: mapType == "atomic")
            }
            if properties.isEmpty && (preserveUnknownFields || allowsAnyAdditional) { return mapType == "atomic" ? .untyped.asAtomic : .untyped }
            return .object(fields: properties.mapValues { SchemaField($0.node) }, atomic: mapType == "atomic")
        case "array":
            let itemNode = items?.node ?? .untyped
            switch listType {
            case "set": return .list(items: itemNode, type: .set)
            case "map": return .list(items: itemNode, type: .map(keys: listMapKeys))
            default: return .list(items: itemNode, type: .atomic)
            }
        case nil:
            return .untyped
        default:
            return .scalar
        }
    }
}
