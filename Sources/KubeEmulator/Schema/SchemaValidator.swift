import Foundation
import GitOpsKit

/// OpenAPI v3 validation of a value against a `SchemaProps` tree, reporting errors the way kube-apiserver turns
/// kube-openapi results into `field.Error`s (apiextensions `kubeOpenAPIResultToFieldErrors`).
enum SchemaValidator {
    static func validate(_ value: JSONValue, _ schema: SchemaProps, path: String, into errors: inout [KubeError.Cause]) {
        if value == .null {
            if schema.nullable { return }
            if schema.type != nil || schema.intOrString {
                errors.append(FieldError.typeInvalid(path, "null", expected: expectedType(schema)))
            }
            return
        }
        guard typeMatches(value, schema) else {
            errors.append(FieldError.typeInvalid(path, jsonType(value), expected: expectedType(schema)))
            return
        }
        validateComposition(value, schema, path: path, into: &errors)
        switch value {
        case .string(let s):
            validateString(s, value, schema, path: path, into: &errors)
        case .int, .double:
            validateNumber(value, schema, path: path, into: &errors)
        case .array(let items):
            validateArray(items, value, schema, path: path, into: &errors)
        default:
            break
        }
        if let allowed = schema.enumValues, !allowed.contains(where: { $0.isJSONEqual(to: value) }) {
            errors.append(FieldError.notSupported(path, value, allowed))
        }
        if case .object(let members) = value {
            validateObject(members, value, schema, path: path, into: &errors)
        }
    }

    static func child(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    static func jsonType(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "boolean"
        case .int: "integer"
        case .double(let d): d == d.rounded() ? "integer" : "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    static func expectedType(_ schema: SchemaProps) -> String {
        schema.intOrString ? "integer,string" : schema.type ?? "object"
    }

    static func typeMatches(_ value: JSONValue, _ schema: SchemaProps) -> Bool {
        if schema.intOrString {
            switch value {
            case .string, .int: return true
            case .double(let d): return d == d.rounded()
            default: return false
            }
        }
        guard let type = schema.type else { return true }
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("integer", .int),
             ("number", .int), ("number", .double):
            return true
        case ("integer", .double(let d)):
            return d == d.rounded()
        default:
            return false
        }
    }

    private static func validateString(_ s: String, _ value: JSONValue, _ schema: SchemaProps, path: String,
                                       into errors: inout [KubeError.Cause]) {
        let length = s.unicodeScalars.count
        if let maxLength = schema.maxLength, length > maxLength {
            errors.append(FieldError.tooLong(path, maxLength))
        }
        if let minLength = schema.minLength, length < minLength {
            errors.append(FieldError.invalid(path, value, "\(path) in body should be at least \(minLength) chars long"))
        }
        if let pattern = schema.pattern, let regex = try? NSRegularExpression(pattern: pattern),
           regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) == nil
        {
            errors.append(FieldError.invalid(path, value, "\(path) in body should match '\(pattern)'"))
        }
        if let format = schema.format, !Formats.isValid(s, format: format) {
            errors.append(FieldError.invalid(path, value, "\(path) in body must be of type \(format): \(FieldError.quote(s))"))
        }
    }

    private static func validateNumber(_ value: JSONValue, _ schema: SchemaProps, path: String, into errors: inout [KubeError.Cause]) {
        guard let n = value.doubleValue else { return }
        if let multipleOf = schema.multipleOf, multipleOf > 0, (n / multipleOf).rounded() != n / multipleOf {
            errors.append(FieldError.invalid(path, value, "\(path) in body should be a multiple of \(FieldError.number(multipleOf))"))
        }
        if let maximum = schema.maximum {
            if schema.exclusiveMaximum ? n >= maximum : n > maximum {
                let relation = schema.exclusiveMaximum ? "less than" : "less than or equal to"
                errors.append(FieldError.invalid(path, value, "\(path) in body should be \(relation) \(FieldError.number(maximum))"))
            }
        }
        if let minimum = schema.minimum {
            if schema.exclusiveMinimum ? n <= minimum : n < minimum {
                let relation = schema.exclusiveMinimum ? "greater than" : "greater than or equal to"
                errors.append(FieldError.invalid(path, value, "\(path) in body should be \(relation) \(FieldError.number(minimum))"))
            }
        }
    }

    private static func validateArray(_ items: [JSONValue], _ value: JSONValue, _ schema: SchemaProps, path: String,
                                      into errors: inout [KubeError.Cause]) {
        if let maxItems = schema.maxItems, items.count > maxItems {
            errors.append(FieldError.tooMany(path, items.count, maxItems))
        }
        if let minItems = schema.minItems, items.count < minItems {
            errors.append(FieldError.invalid(path, value, "\(path) in body should have at least \(minItems) items"))
        }
        if schema.uniqueItems || schema.listType == "set" {
            for (i, item) in items.enumerated() where items[..<i].contains(where: { $0.isJSONEqual(to: item) }) {
                errors.append(FieldError.duplicate(path + "[\(i)]", item))
            }
        }
        if schema.listType == "map" {
            var seen: [[JSONValue?]] = []
            for (i, item) in items.enumerated() {
                let key = schema.listMapKeys.map { item[$0] }
                if seen.contains(key) { errors.append(FieldError.duplicate(path + "[\(i)]", item)) } else { seen.append(key) }
            }
        }
        guard let itemSchema = schema.items else { return }
        for (i, item) in items.enumerated() {
            validate(item, itemSchema, path: path + "[\(i)]", into: &errors)
        }
    }

    private static func validateObject(_ members: [String: JSONValue], _ value: JSONValue, _ schema: SchemaProps, path: String,
                                       into errors: inout [KubeError.Cause]) {
        if let maxProperties = schema.maxProperties, members.count > maxProperties {
            errors.append(FieldError.tooMany(path, members.count, maxProperties))
        }
        if let minProperties = schema.minProperties, members.count < minProperties {
            errors.append(FieldError.invalid(path, value, "\(path) in body should have at least \(minProperties) properties"))
        }
        for name in schema.required where members[name] == nil {
            errors.append(FieldError.required(child(path, name)))
        }
        for key in members.keys.sorted() {
            guard let childValue = members[key], let childSchema = schema.child(key) else { continue }
            validate(childValue, childSchema, path: child(path, key), into: &errors)
        }
    }

    /// `anyOf`/`oneOf`/`allOf`/`not`: kube-openapi's composite messages, reported by kube-apiserver at field `<nil>`.
    private static func validateComposition(_ value: JSONValue, _ schema: SchemaProps, path: String,
                                            into errors: inout [KubeError.Cause]) {
        let name = path.isEmpty ? "." : path
        func run(_ s: SchemaProps) -> [KubeError.Cause] {
            var found: [KubeError.Cause] = []
            validate(value, s, path: path, into: &found)
            return found
        }
        if !schema.anyOf.isEmpty {
            let results = schema.anyOf.map(run)
            if !results.contains(where: \.isEmpty) {
                errors.append(FieldError.composite("\(FieldError.quote(name)) must validate at least one schema (anyOf)"))
                errors.append(contentsOf: results.min { $0.count < $1.count } ?? [])
            }
        }
        if !schema.oneOf.isEmpty {
            let results = schema.oneOf.map(run)
            let valid = results.filter(\.isEmpty).count
            if valid != 1 {
                let detail = valid == 0 ? "Found none valid" : "Found \(valid) valid alternatives"
                errors.append(FieldError.composite("\(FieldError.quote(name)) must validate one and only one schema (oneOf). \(detail)"))
                if valid == 0 { errors.append(contentsOf: results.min { $0.count < $1.count } ?? []) }
            }
        }
        if !schema.allOf.isEmpty {
            let results = schema.allOf.map(run)
            let valid = results.filter(\.isEmpty).count
            errors.append(contentsOf: results.flatMap { $0 })
            if valid != results.count {
                errors.append(FieldError.composite("\(FieldError.quote(name)) must validate all the schemas (allOf)\(valid == 0 ? ". None validated" : "")"))
            }
        }
        if let not = schema.not, run(not).isEmpty {
            errors.append(FieldError.composite("\(FieldError.quote(name)) must not validate the schema (not)"))
        }
    }
}

/// kube-apiserver's `field.Error` wording (`ErrorBody`) as status causes.
enum FieldError {
    static func required(_ path: String) -> KubeError.Cause {
        KubeError.Cause(field: path, reason: "FieldValueRequired", message: "Required value")
    }

    static func invalid(_ path: String, _ value: JSONValue, _ detail: String) -> KubeError.Cause {
        KubeError.Cause(field: path, reason: "FieldValueInvalid", message: "Invalid value: \(goValue(value)): \(detail)")
    }

    static func typeInvalid(_ path: String, _ actualType: String, expected: String) -> KubeError.Cause {
        KubeError.Cause(field: path, reason: "FieldValueTypeInvalid",
                        message: "Invalid value: \(quote(actualType)): \(path) in body must be of type \(expected): \(quote(actualType))")
    }

    static func notSupported(_ path: String, _ value: JSONValue, _ allowed: [JSONValue]) -> KubeError.Cause {
        let values = allowed.map { quote($0.stringValue ?? $0.jsonString()) }.joined(separator: ", ")
        return KubeError.Cause(field: path, reason: "FieldValueNotSupported",
                               message: "Unsupported value: \(goValue(value)): supported values: \(values)")
    }

    static func tooLong(_ path: String, _ maxLength: Int) -> KubeError.Cause {
        KubeError.Cause(field: path, reason: "FieldValueTooLong", message: "Too long: may not be more than \(maxLength) bytes")
    }

    static func tooMany(_ path: String, _ actual: Int, _ maximum: Int) -> KubeError.Cause {
        KubeError.Cause(field: path, reason: "FieldValueTooMany", message: "Too many: \(actual): must have at most \(maximum) items")
    }

    static func duplicate(_ path: String, _ value: JSONValue) -> KubeError.Cause {
        KubeError.Cause(field: path, reason: "FieldValueDuplicate", message: "Duplicate value: \(goValue(value))")
    }

    /// Composite (`anyOf`…) failures carry no path in kube-openapi, so kube-apiserver reports them at `<nil>`.
    static func composite(_ detail: String) -> KubeError.Cause {
        KubeError.Cause(field: "<nil>", reason: "FieldValueInvalid", message: "Invalid value: \"\": \(detail)")
    }

    /// Go's `%q`.
    static func quote(_ s: String) -> String { JSONValue.string(s).jsonString() }

    /// Go's `%v` of a float64 bound (`1`, `0.5`).
    static func number(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e21 ? String(Int64(d)) : "\(d)"
    }

    /// How `ErrorBody` prints a bad value: strings quoted, scalars plain, the rest as Go's `%#v`.
    static func goValue(_ value: JSONValue) -> String {
        switch value {
        case .null: "\"null\""
        case .string(let s): quote(s)
        case .int(let i): String(i)
        case .double(let d): number(d)
        case .bool(let b): b ? "true" : "false"
        case .array, .object: goSyntax(value)
        }
    }

    private static func goSyntax(_ value: JSONValue) -> String {
        switch value {
        case .null: "interface {}(nil)"
        case .string(let s): quote(s)
        case .int(let i): "\(i)"
        case .double(let d): number(d)
        case .bool(let b): b ? "true" : "false"
        case .array(let items): "[]interface {}{" + items.map(goSyntax).joined(separator: ", ") + "}"
        case .object(let members):
            "map[string]interface {}{" + members.keys.sorted().map { "\(quote($0)):\(goSyntax(members[$0] ?? .null))" }
                .joined(separator: ", ") + "}"
        }
    }
}
