import GitOpsKit
import GoTemplate

/// A compiled `values.schema.json`, validated the way Helm 3.17 does it with gojsonschema v1.2.0: JSON Schema
/// draft 4/6/7 keywords (draft 7 semantics unless `$schema` names an older draft), local `$ref`s, and
/// gojsonschema's error texts (`image.tag: Invalid type. Expected: string, given: integer`).
///
/// Usage:
/// ```swift
/// let schema = try ValuesSchema(json: schemaBytes)
/// let problems = schema.validate(values)      // ["(root): replicas is required", …]
/// ```
///
/// Where gojsonschema iterates Go maps (properties, pattern properties, the value's keys) the order of its errors
/// varies from run to run; here keys are taken in sorted order.
final class ValuesSchema {
    /// The JSON Schema draft in force (gojsonschema's default "hybrid" accepts every draft's keywords).
    enum Draft: Int, Comparable {
        case draft4 = 4
        case draft6 = 6
        case draft7 = 7
        case hybrid = 1000

        static func < (lhs: Draft, rhs: Draft) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    let root: Node

    /// One (sub)schema. A class because `$ref` makes the graph cyclic.
    final class Node {
        var draft: Draft
        /// A boolean schema.
        var pass: Bool?
        /// The schema `$ref` points at; the node's other keywords are then ignored.
        var reference: Node?
        var types: [String] = []
        var properties: [(name: String, schema: Node)] = []
        var additionalProperties: Additional?
        var patternProperties: [(pattern: String, regex: Regex<AnyRegexOutput>, schema: Node)] = []
        var propertyNames: Node?
        var dependencies: [String: Dependency] = [:]
        var items: [Node] = []
        var itemsIsSingleSchema = false
        var additionalItems: Additional?
        var multipleOf: Double?
        var minimum: Double?
        var maximum: Double?
        var exclusiveMinimum: Double?
        var exclusiveMaximum: Double?
        var minLength: Int?
        var maxLength: Int?
        var pattern: (text: String, regex: Regex<AnyRegexOutput>)?
        var format = ""
        var minProperties: Int?
        var maxProperties: Int?
        var required: [String] = []
        var minItems: Int?
        var maxItems: Int?
        var uniqueItems = false
        var contains: Node?
        /// `const`, as Go's canonical JSON text.
        var constant: String?
        /// `enum` members, as Go's canonical JSON text.
        var enumeration: [String] = []
        var oneOf: [Node] = []
        var anyOf: [Node] = []
        var allOf: [Node] = []
        var not: Node?
        var ifSchema: Node?
        var thenSchema: Node?
        var elseSchema: Node?

        init(draft: Draft) { self.draft = draft }
    }

    /// `additionalProperties` / `additionalItems`: a flag or a schema.
    enum Additional {
        case allowed(Bool)
        case schema(Node)
    }

    /// A `dependencies` entry: required sibling keys or a schema.
    enum Dependency {
        case keys([String])
        case schema(Node)
    }

    init(root: Node) { self.root = root }
}

/// Why a schema document could not be used, with gojsonschema's message.
struct ValuesSchemaError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
