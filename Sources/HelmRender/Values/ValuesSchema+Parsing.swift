import GitOpsKit
import GoTemplate

extension ValuesSchema {
    /// Parses and compiles a schema document; throws gojsonschema's message for a document it would refuse.
    convenience init(json bytes: [UInt8]) throws(ValuesSchemaError) {
        let document: JSONValue
        do {
            document = try JSONValue(json: bytes)
        } catch {
            throw ValuesSchemaError("\(error)")
        }
        var compiler = ValuesSchemaCompiler(document: document)
        self.init(root: try compiler.compileRoot())
    }
}

/// gojsonschema's `Schema.parse`: keywords read in its order, so the first problem reported is the same.
struct ValuesSchemaCompiler {
    typealias Node = ValuesSchema.Node

    let document: JSONValue
    /// `$ref` targets already compiled, by reference text (gojsonschema's reference pool).
    private var references: [String: Node] = [:]

    init(document: JSONValue) {
        self.document = document
    }

    mutating func compileRoot() throws(ValuesSchemaError) -> Node {
        var draft = ValuesSchema.Draft.hybrid
        switch document {
        case .bool: break
        case .object(let members):
            if let declared = members["$schema"] {
                guard case .string(let url) = declared else {
                    throw ValuesSchemaError("$schema must be of type string")
                }
                draft = Self.draft(forMetaSchema: url) ?? .hybrid
            }
        default:
            throw ValuesSchemaError("schema is invalid")
        }
        let root = Node(draft: draft)
        try parse(document, into: root, isRoot: true)
        return root
    }

    private static func draft(forMetaSchema url: String) -> ValuesSchema.Draft? {
        var normalized = url
        if normalized.hasSuffix("#") { normalized.removeLast() }
        switch normalized {
        case "http://json-schema.org/draft-04/schema": return .draft4
        case "http://json-schema.org/draft-06/schema": return .draft6
        case "http://json-schema.org/draft-07/schema": return .draft7
        default: return nil
        }
    }

    private static func invalidType(expected: String, given: String) -> ValuesSchemaError {
        ValuesSchemaError("Invalid type. Expected: \(expected), given: \(given)")
    }

    private static func isSchemaShaped(_ value: JSONValue) -> Bool {
        switch value {
        case .object, .bool: true
        default: false
        }
    }

    private static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .int(let number)?: Double(number)
        case .double(let number)?: number
        default: nil
        }
    }

    /// gojsonschema's `mustBeInteger`: a JSON number with a whole value.
    private static func integer(_ value: JSONValue?) -> Int? {
        switch value {
        case .int(let number)?: return Int(exactly: number)
        case .double(let number)?:
            guard number.rounded() == number, let whole = Int(exactly: number) else { return nil }
            return whole
        default: return nil
        }
    }

    private mutating func child(_ value: JSONValue, parent: Node) throws(ValuesSchemaError) -> Node {
        let node = Node(draft: parent.draft)
        try parse(value, into: node, isRoot: false)
        return node
    }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    private mutating func parse(_ value: JSONValue, into node: Node, isRoot: Bool) throws(ValuesSchemaError) {
        if node.draft >= .draft6, case .bool(let flag) = value {
            node.pass = flag
            return
        }
        guard case .object(let members) = value else {
            throw ValuesSchemaError("Expected: valid schema, given: Invalid JSON")
        }
        let idKey: String
        switch node.draft {
        case .draft4: idKey = "id"
        case .hybrid: idKey = members["id"] != nil ? "id" : "$id"
        default: idKey = "$id"
        }
        if let id = members[idKey], id.stringValue == nil { throw Self.invalidType(expected: "string", given: idKey) }

        if let definitions = members["definitions"] {
            guard case .object(let entries) = definitions else {
                throw Self.invalidType(expected: "array of schemas", given: "definitions")
            }
            for key in entries.keys.sorted() {
                guard let entry = entries[key], Self.isSchemaShaped(entry) else {
                    throw Self.invalidType(expected: "array of schemas", given: "definitions")
                }
                _ = try child(entry, parent: node)
            }
        }
        for key in ["title", "description"] {
            if let text = members[key], text.stringValue == nil { throw Self.invalidType(expected: "string", given: key) }
        }
        if let reference = members["$ref"] {
            guard case .string(let text) = reference else { throw Self.invalidType(expected: "string", given: "$ref") }
            if let known = references[text] {
                node.reference = known
            } else {
                node.reference = try compileReference(text, draft: node.draft)
                return
            }
        }
        try parseTypes(members["type"], into: node)
        try parseObjectKeywords(members, into: node)
        try parseArrayKeywords(members, into: node)
        try parseNumberKeywords(members, into: node)
        try parseStringKeywords(members, into: node)
        try parseObjectLimits(members, into: node)
        try parseArrayLimits(members, into: node)
        try parseCombinators(members, into: node)
    }

    /// gojsonschema's `parseReference`: the target is registered before it is parsed, so recursive schemas work.
    private mutating func compileReference(_ text: String, draft: ValuesSchema.Draft) throws(ValuesSchemaError) -> Node {
        let target = Node(draft: draft)
        references[text] = target
        guard text.hasPrefix("#") else {
            throw ValuesSchemaError("Reference \(text) must be canonical")
        }
        let resolved = try Self.resolvePointer(String(text.dropFirst()), in: document)
        guard Self.isSchemaShaped(resolved) else { throw ValuesSchemaError("valid schema must be of type object") }
        try parse(resolved, into: target, isRoot: false)
        return target
    }

    /// A JSON pointer (RFC 6901, percent-decoded as a URL fragment) into the document.
    private static func resolvePointer(_ fragment: String, in document: JSONValue) throws(ValuesSchemaError) -> JSONValue {
        let pointer = fragment.removingPercentEncodingIfValid
        if pointer.isEmpty { return document }
        guard pointer.hasPrefix("/") else {
            throw ValuesSchemaError("JSON pointer must be empty or start with a \"/\"")
        }
        var current = document
        for rawToken in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            let token = unescapePointerToken(rawToken)
            switch current {
            case .object(let members):
                guard let next = members[token] else { throw ValuesSchemaError("Object has no key '\(token)'") }
                current = next
            case .array(let elements):
                guard let index = Int(token) else { throw ValuesSchemaError("Invalid array index '\(token)'") }
                guard elements.indices.contains(index) else {
                    throw ValuesSchemaError("Out of bound array[0,\(elements.count)] index '\(index)'")
                }
                current = elements[index]
            default:
                throw ValuesSchemaError("Invalid token reference '\(token)'")
            }
        }
        return current
    }

    /// `~1` is `/` and `~0` is `~` in a JSON pointer token.
    private static func unescapePointerToken(_ token: Substring) -> String {
        var result = ""
        var iterator = token.makeIterator()
        while let character = iterator.next() {
            guard character == "~" else {
                result.append(character)
                continue
            }
            switch iterator.next() {
            case "1": result.append("/")
            case "0": result.append("~")
            case let other?: result.append("~"); result.append(other)
            case nil: result.append("~")
            }
        }
        return result
    }

    private static let jsonTypes = ["array", "boolean", "integer", "number", "null", "object", "string"]

    private func parseTypes(_ value: JSONValue?, into node: Node) throws(ValuesSchemaError) {
        guard let value else { return }
        func add(_ type: String) throws(ValuesSchemaError) {
            guard Self.jsonTypes.contains(type) else {
                throw ValuesSchemaError(
                    "has a primitive type that is NOT VALID -- given: /\(type)/ Expected valid values are:[\(Self.jsonTypes.joined(separator: " "))]")
            }
            if node.types.contains(type) { throw ValuesSchemaError("\(type) type is duplicated") }
            node.types.append(type)
        }
        switch value {
        case .string(let type):
            try add(type)
        case .array(let elements):
            for element in elements {
                guard case .string(let type) = element else {
                    throw Self.invalidType(expected: "string/array of strings", given: "type")
                }
                try add(type)
            }
        default:
            throw Self.invalidType(expected: "string/array of strings", given: "type")
        }
    }

    private mutating func parseObjectKeywords(_ members: [String: JSONValue], into node: Node) throws(ValuesSchemaError) {
        if let properties = members["properties"] {
            guard case .object(let entries) = properties else {
                throw ValuesSchemaError("properties must be of type object")
            }
            for key in entries.keys.sorted() {
                guard let entry = entries[key] else { continue }
                node.properties.append((key, try child(entry, parent: node)))
            }
        }
        if let additional = members["additionalProperties"] {
            switch additional {
            case .bool(let flag): node.additionalProperties = .allowed(flag)
            case .object: node.additionalProperties = .schema(try child(additional, parent: node))
            default: throw Self.invalidType(expected: "boolean/valid schema", given: "additionalProperties")
            }
        }
        if let patterns = members["patternProperties"] {
            guard case .object(let entries) = patterns else {
                throw Self.invalidType(expected: "valid schema", given: "patternProperties")
            }
            for key in entries.keys.sorted() {
                guard let entry = entries[key] else { continue }
                guard let regex = try? Regex(key) else { throw ValuesSchemaError("Invalid regex pattern '\(key)'") }
                node.patternProperties.append((key, regex, try child(entry, parent: node)))
            }
        }
        if let names = members["propertyNames"], node.draft >= .draft6 {
            guard Self.isSchemaShaped(names) else {
                throw Self.invalidType(expected: "valid schema", given: "patternProperties")
            }
            node.propertyNames = try child(names, parent: node)
        }
        if let dependencies = members["dependencies"] {
            guard case .object(let entries) = dependencies else {
                throw ValuesSchemaError("dependencies must be of type object")
            }
            for key in entries.keys.sorted() {
                switch entries[key] {
                case .array(let elements)?:
                    var keys: [String] = []
                    for element in elements {
                        guard case .string(let text) = element else {
                            throw ValuesSchemaError("dependency must be of type schema or array of strings")
                        }
                        keys.append(text)
                    }
                    if !keys.isEmpty { node.dependencies[key] = .keys(keys) }
                case let entry? where Self.isSchemaShaped(entry):
                    node.dependencies[key] = .schema(try child(entry, parent: node))
                default:
                    throw ValuesSchemaError("dependency must be of type schema or array of strings")
                }
            }
        }
    }

    private mutating func parseArrayKeywords(_ members: [String: JSONValue], into node: Node) throws(ValuesSchemaError) {
        if let items = members["items"] {
            switch items {
            case .array(let elements):
                for element in elements {
                    guard Self.isSchemaShaped(element) else {
                        throw Self.invalidType(expected: "valid schema/array of schemas", given: "items")
                    }
                    node.items.append(try child(element, parent: node))
                }
                node.itemsIsSingleSchema = false
            case .object, .bool:
                node.items.append(try child(items, parent: node))
                node.itemsIsSingleSchema = true
            default:
                throw Self.invalidType(expected: "valid schema/array of schemas", given: "items")
            }
        }
        if let additional = members["additionalItems"] {
            switch additional {
            case .bool(let flag): node.additionalItems = .allowed(flag)
            case .object: node.additionalItems = .schema(try child(additional, parent: node))
            default: throw Self.invalidType(expected: "boolean/valid schema", given: "additionalItems")
            }
        }
    }

    private func parseNumberKeywords(_ members: [String: JSONValue], into node: Node) throws(ValuesSchemaError) {
        if let multiple = members["multipleOf"] {
            guard let value = Self.number(multiple) else { throw Self.invalidType(expected: "number", given: "multipleOf") }
            if value <= 0 { throw ValuesSchemaError("multipleOf must be strictly greater than 0") }
            node.multipleOf = value
        }
        for (key, isMinimum) in [("minimum", true), ("maximum", false)] {
            if let bound = members[key] {
                guard let value = Self.number(bound) else { throw ValuesSchemaError("\(key) must be of a number") }
                if isMinimum { node.minimum = value } else { node.maximum = value }
            }
            let exclusiveKey = isMinimum ? "exclusiveMinimum" : "exclusiveMaximum"
            guard let exclusive = members[exclusiveKey] else { continue }
            let inclusive = isMinimum ? node.minimum : node.maximum
            func useInclusiveAsExclusive(_ flag: Bool) throws(ValuesSchemaError) {
                guard inclusive != nil else {
                    throw ValuesSchemaError("\(exclusiveKey) cannot be used without \(key)")
                }
                guard flag else { return }
                if isMinimum {
                    node.exclusiveMinimum = node.minimum
                    node.minimum = nil
                } else {
                    node.exclusiveMaximum = node.maximum
                    node.maximum = nil
                }
            }
            func setExclusive(_ value: Double) {
                if isMinimum { node.exclusiveMinimum = value } else { node.exclusiveMaximum = value }
            }
            switch node.draft {
            case .draft4:
                guard case .bool(let flag) = exclusive else {
                    throw Self.invalidType(expected: "boolean", given: exclusiveKey)
                }
                try useInclusiveAsExclusive(flag)
            case .hybrid:
                if case .bool(let flag) = exclusive {
                    try useInclusiveAsExclusive(flag)
                } else if let value = Self.number(exclusive) {
                    setExclusive(value)
                } else {
                    throw Self.invalidType(expected: "boolean/number", given: exclusiveKey)
                }
            case .draft6, .draft7:
                guard let value = Self.number(exclusive) else { throw Self.invalidType(expected: "number", given: exclusiveKey) }
                setExclusive(value)
            }
        }
    }

    private static func nonNegativeInteger(_ members: [String: JSONValue], _ key: String) throws(ValuesSchemaError) -> Int? {
        guard let value = members[key] else { return nil }
        guard let integer = integer(value) else { throw ValuesSchemaError("\(key) must be of an integer") }
        if integer < 0 { throw ValuesSchemaError("\(key) must be greater than or equal to 0") }
        return integer
    }

    private func parseStringKeywords(_ members: [String: JSONValue], into node: Node) throws(ValuesSchemaError) {
        node.minLength = try Self.nonNegativeInteger(members, "minLength")
        node.maxLength = try Self.nonNegativeInteger(members, "maxLength")
        if let minimum = node.minLength, let maximum = node.maxLength, minimum > maximum {
            throw ValuesSchemaError("minLength cannot be greater than maxLength")
        }
        if let pattern = members["pattern"] {
            guard case .string(let text) = pattern else { throw ValuesSchemaError("pattern must be of a string") }
            guard let regex = try? Regex(text) else { throw ValuesSchemaError("pattern must be a valid regex") }
            node.pattern = (text, regex)
        }
        if let format = members["format"] {
            guard case .string(let text) = format else { throw ValuesSchemaError("format must be of type string") }
            node.format = text
        }
    }

    private func parseObjectLimits(_ members: [String: JSONValue], into node: Node) throws(ValuesSchemaError) {
        node.minProperties = try Self.nonNegativeInteger(members, "minProperties")
        node.maxProperties = try Self.nonNegativeInteger(members, "maxProperties")
        if let minimum = node.minProperties, let maximum = node.maxProperties, minimum > maximum {
            throw ValuesSchemaError("minProperties cannot be greater than maxProperties")
        }
        if let required = members["required"] {
            guard case .array(let elements) = required else { throw ValuesSchemaError("required must be of an array") }
            for element in elements {
                guard case .string(let name) = element else { throw ValuesSchemaError("required items must be string") }
                if node.required.contains(name) { throw ValuesSchemaError("required items must be unique") }
                node.required.append(name)
            }
        }
    }

    private mutating func parseArrayLimits(_ members: [String: JSONValue], into node: Node) throws(ValuesSchemaError) {
        node.minItems = try Self.nonNegativeInteger(members, "minItems")
        node.maxItems = try Self.nonNegativeInteger(members, "maxItems")
        if let unique = members["uniqueItems"] {
            guard case .bool(let flag) = unique else { throw ValuesSchemaError("uniqueItems must be of a boolean") }
            node.uniqueItems = flag
        }
        if let contains = members["contains"], node.draft >= .draft6 {
            node.contains = try child(contains, parent: node)
        }
        if let constant = members["const"], node.draft >= .draft6 {
            node.constant = SchemaCanonicalJSON.text(of: TemplateValue(helmValues: constant))
        }
        if let enumeration = members["enum"] {
            guard case .array(let elements) = enumeration else { throw ValuesSchemaError("enum must be of an array") }
            for element in elements {
                let text = SchemaCanonicalJSON.text(of: TemplateValue(helmValues: element))
                if node.enumeration.contains(text) { throw ValuesSchemaError("enum items must be unique") }
                node.enumeration.append(text)
            }
        }
    }

    private mutating func parseCombinators(_ members: [String: JSONValue], into node: Node) throws(ValuesSchemaError) {
        for key in ["oneOf", "anyOf", "allOf"] {
            guard let list = members[key] else { continue }
            guard case .array(let elements) = list else { throw ValuesSchemaError("\(key) must be of an array") }
            var children: [Node] = []
            for element in elements { children.append(try child(element, parent: node)) }
            switch key {
            case "oneOf": node.oneOf = children
            case "anyOf": node.anyOf = children
            default: node.allOf = children
            }
        }
        if let not = members["not"] {
            guard Self.isSchemaShaped(not) else { throw ValuesSchemaError("not must be of an object") }
            node.not = try child(not, parent: node)
        }
        guard node.draft >= .draft7 else { return }
        for key in ["if", "then", "else"] {
            guard let schema = members[key] else { continue }
            guard Self.isSchemaShaped(schema) else { throw ValuesSchemaError("\(key) must be of an object") }
            let compiled = try child(schema, parent: node)
            switch key {
            case "if": node.ifSchema = compiled
            case "then": node.thenSchema = compiled
            default: node.elseSchema = compiled
            }
        }
    }
}

extension String {
    /// Percent-decoding as Go's URL parser applies it to a fragment; invalid escapes are kept as written.
    fileprivate var removingPercentEncodingIfValid: String {
        guard contains("%") else { return self }
        var bytes: [UInt8] = []
        let utf8 = Array(self.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "%"), index + 2 < utf8.count,
                let high = Self.hexValue(utf8[index + 1]), let low = Self.hexValue(utf8[index + 2])
            {
                bytes.append(high << 4 | low)
                index += 3
            } else {
                bytes.append(utf8[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
