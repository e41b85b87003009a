import GoTemplate

extension ValuesSchema {
    /// The problems gojsonschema reports for `values`, each as `field: description`, in its order.
    func validate(_ values: TemplateValue) -> [String] {
        var result = SchemaValidationResult()
        SchemaValidator.validate(root, values, context: "(root)", into: &result)
        return result.errors
    }
}

/// gojsonschema's `Result`: the errors so far and the score it uses to pick the closest failing branch of an
/// `anyOf`/`oneOf`/`contains` (each check passed adds one, each error takes two).
struct SchemaValidationResult {
    var errors: [String] = []
    var score = 0

    var isValid: Bool { errors.isEmpty }

    mutating func add(_ context: String, _ description: String) {
        errors.append("\(SchemaValidator.field(context)): \(description)")
        score -= 2
    }

    mutating func merge(_ other: SchemaValidationResult) {
        errors += other.errors
        score += other.score
    }

    mutating func increment() { score += 1 }
}

/// gojsonschema's `validateRecursive` and the keyword groups it calls, in its order.
enum SchemaValidator {
    typealias Node = ValuesSchema.Node

    /// The error's field: the context path without the `(root).` prefix.
    static func field(_ context: String) -> String {
        context.hasPrefix("(root).") ? String(context.dropFirst("(root).".count)) : context
    }

    private static func typeList(_ node: Node) -> String {
        node.types.count == 1 ? node.types[0] : "[" + node.types.joined(separator: ",") + "]"
    }

    private static func subValidate(_ node: Node, _ value: TemplateValue, context: String) -> SchemaValidationResult {
        var result = SchemaValidationResult()
        validate(node, value, context: context, into: &result)
        return result
    }

    static func validate(_ node: Node, _ value: TemplateValue, context: String, into result: inout SchemaValidationResult) {
        if let pass = node.pass {
            if !pass { result.add(context, "False always fails validation") }
            return
        }
        if let reference = node.reference {
            validate(reference, value, context: context, into: &result)
            return
        }
        let given: String
        switch value {
        case .null, .nilList, .object, .function: given = "null"
        case .bool: given = "boolean"
        case .int, .int64: given = "integer"
        case .float(let number): given = number.rounded() == number ? "integer" : "number"
        case .string: given = "string"
        case .list: given = "array"
        case .map, .dict: given = "object"
        }
        if !node.types.isEmpty {
            let accepted = node.types.contains(given) || (given == "integer" && node.types.contains("number"))
            if !accepted {
                result.add(context, "Invalid type. Expected: \(typeList(node)), given: \(given)")
                return
            }
        }
        validateSchema(node, value, context: context, into: &result)
        switch value {
        case .int(let number), .int64(let number): validateNumber(node, Double(number), SchemaDecimal(number), context: context, into: &result)
        case .float(let number): validateNumber(node, number, SchemaDecimal(number), context: context, into: &result)
        case .list(let elements): validateArray(node, elements, context: context, into: &result)
        case .map(let members): validateObject(node, members, context: context, into: &result)
        default: break
        }
        validateCommon(node, value, context: context, into: &result)
        switch value {
        case .string(let text):
            validateString(node, text, context: context, into: &result)
        case .map(let members):
            for (name, child) in node.properties {
                guard let inner = members[name] else { continue }
                validate(child, inner, context: context + "." + name, into: &result)
            }
        default:
            break
        }
        result.increment()
    }

    // MARK: Combinators

    private static func validateSchema(
        _ node: Node, _ value: TemplateValue, context: String, into result: inout SchemaValidationResult
    ) {
        if !node.anyOf.isEmpty {
            var best: SchemaValidationResult?
            var matched = false
            for schema in node.anyOf where !matched {
                let attempt = subValidate(schema, value, context: context)
                matched = attempt.isValid
                if !matched, best == nil || attempt.score > (best?.score ?? 0) { best = attempt }
            }
            if !matched {
                result.add(context, "Must validate at least one schema (anyOf)")
                if let best { result.merge(best) }
            }
        }
        if !node.oneOf.isEmpty {
            var validCount = 0
            var best: SchemaValidationResult?
            for schema in node.oneOf {
                let attempt = subValidate(schema, value, context: context)
                if attempt.isValid {
                    validCount += 1
                } else if validCount == 0, best == nil || attempt.score > (best?.score ?? 0) {
                    best = attempt
                }
            }
            if validCount != 1 {
                result.add(context, "Must validate one and only one schema (oneOf)")
                if validCount == 0, let best { result.merge(best) }
            }
        }
        if !node.allOf.isEmpty {
            var validCount = 0
            for schema in node.allOf {
                let attempt = subValidate(schema, value, context: context)
                if attempt.isValid { validCount += 1 }
                result.merge(attempt)
            }
            if validCount != node.allOf.count { result.add(context, "Must validate all the schemas (allOf)") }
        }
        if let not = node.not, subValidate(not, value, context: context).isValid {
            result.add(context, "Must not validate the schema (not)")
        }
        if !node.dependencies.isEmpty, case .map(let members) = value {
            for key in members.keys.sorted() {
                switch node.dependencies[key] {
                case .keys(let required)?:
                    for name in required where members[name] == nil {
                        result.add(context, "Has a dependency on \(name)")
                    }
                case .schema(let schema)?:
                    validate(schema, value, context: context, into: &result)
                case nil:
                    break
                }
            }
        }
        if let condition = node.ifSchema {
            let conditionHolds = subValidate(condition, value, context: context).isValid
            if conditionHolds, let then = node.thenSchema {
                let attempt = subValidate(then, value, context: context)
                if !attempt.isValid {
                    result.add(context, "Must validate \"then\" as \"if\" was valid")
                    result.merge(attempt)
                }
            }
            if !conditionHolds, let otherwise = node.elseSchema {
                let attempt = subValidate(otherwise, value, context: context)
                if !attempt.isValid {
                    result.add(context, "Must validate \"else\" as \"if\" was not valid")
                    result.merge(attempt)
                }
            }
        }
        result.increment()
    }

    // MARK: Common

    private static func validateCommon(
        _ node: Node, _ value: TemplateValue, context: String, into result: inout SchemaValidationResult
    ) {
        if node.constant != nil || !node.enumeration.isEmpty {
            let text = SchemaCanonicalJSON.text(of: value)
            if let constant = node.constant, text != constant {
                result.add(context, "\(field(context)) does not match: \(constant)")
            }
            if !node.enumeration.isEmpty, !node.enumeration.contains(text) {
                result.add(
                    context,
                    "\(field(context)) must be one of the following: \(node.enumeration.joined(separator: ", "))")
            }
        }
        result.increment()
    }

    // MARK: Arrays

    private static func validateArray(
        _ node: Node, _ elements: [TemplateValue], context: String, into result: inout SchemaValidationResult
    ) {
        if node.itemsIsSingleSchema, let schema = node.items.first {
            for (index, element) in elements.enumerated() {
                result.merge(subValidate(schema, element, context: context + ".\(index)"))
            }
        } else if !node.items.isEmpty {
            for index in 0..<min(node.items.count, elements.count) {
                result.merge(subValidate(node.items[index], elements[index], context: context + ".\(index)"))
            }
            if node.items.count < elements.count {
                switch node.additionalItems {
                case .allowed(false)?:
                    result.add(context, "No additional items allowed on array")
                case .schema(let schema)?:
                    for index in node.items.count..<elements.count {
                        result.merge(subValidate(schema, elements[index], context: context + ".\(index)"))
                    }
                default:
                    break
                }
            }
        }
        if let minimum = node.minItems, elements.count < minimum {
            result.add(context, "Array must have at least \(minimum) items")
        }
        if let maximum = node.maxItems, elements.count > maximum {
            result.add(context, "Array must have at most \(maximum) items")
        }
        if node.uniqueItems {
            var seen: [String: Int] = [:]
            for (index, element) in elements.enumerated() {
                let text = SchemaCanonicalJSON.text(of: element)
                if let earlier = seen[text] { result.add(context, "array items[\(earlier),\(index)] must be unique") }
                seen[text] = index
            }
        }
        if let contains = node.contains {
            var matched = false
            var best: SchemaValidationResult?
            for (index, element) in elements.enumerated() {
                let attempt = subValidate(contains, element, context: context + ".\(index)")
                if attempt.isValid {
                    matched = true
                    break
                }
                if best == nil || attempt.score > (best?.score ?? 0) { best = attempt }
            }
            if !matched {
                result.add(context, "At least one of the items must match")
                if let best { result.merge(best) }
            }
        }
        result.increment()
    }

    // MARK: Objects

    private static func validateObject(
        _ node: Node, _ members: [String: TemplateValue], context: String, into result: inout SchemaValidationResult
    ) {
        if let minimum = node.minProperties, members.count < minimum {
            result.add(context, "Must have at least \(minimum) properties")
        }
        if let maximum = node.maxProperties, members.count > maximum {
            result.add(context, "Must have at most \(maximum) properties")
        }
        for name in node.required {
            if members[name] != nil {
                result.increment()
            } else {
                result.add(context, "\(name) is required")
            }
        }
        for key in members.keys.sorted() {
            guard let value = members[key] else { continue }
            let described = node.properties.contains { $0.name == key }
            var matchedPattern = false
            for pattern in node.patternProperties where key.contains(pattern.regex) {
                matchedPattern = true
                result.merge(subValidate(pattern.schema, value, context: context + "." + key))
            }
            if matchedPattern { result.increment() }
            if !described && !matchedPattern {
                switch node.additionalProperties {
                case .allowed(false)?:
                    result.add(context, "Additional property \(key) is not allowed")
                case .schema(let schema)?:
                    result.merge(subValidate(schema, value, context: context + "." + key))
                default:
                    break
                }
            }
        }
        if let names = node.propertyNames {
            for key in members.keys.sorted() {
                let attempt = subValidate(names, .string(key), context: context)
                if !attempt.isValid {
                    result.add(context, "Property name of \"\(key)\" does not match")
                    result.merge(attempt)
                }
            }
        }
        result.increment()
    }

    // MARK: Scalars

    private static func validateString(
        _ node: Node, _ text: String, context: String, into result: inout SchemaValidationResult
    ) {
        let length = text.unicodeScalars.count
        if let minimum = node.minLength, length < minimum {
            result.add(context, "String length must be greater than or equal to \(minimum)")
        }
        if let maximum = node.maxLength, length > maximum {
            result.add(context, "String length must be less than or equal to \(maximum)")
        }
        if let pattern = node.pattern, !text.contains(pattern.regex) {
            result.add(context, "Does not match pattern '\(pattern.text)'")
        }
        if !node.format.isEmpty, !SchemaFormat.accepts(node.format, text) {
            result.add(context, "Does not match format '\(node.format)'")
        }
        result.increment()
    }

    private static func validateNumber(
        _ node: Node, _ number: Double, _ decimal: SchemaDecimal?, context: String,
        into result: inout SchemaValidationResult
    ) {
        func text(_ bound: Double) -> String { GoFormat.format(.float(bound)) }
        if let multiple = node.multipleOf {
            let isMultiple: Bool
            if let decimal, let divisor = SchemaDecimal(multiple) {
                isMultiple = decimal.isMultiple(of: divisor)
            } else {
                isMultiple = false
            }
            if !isMultiple { result.add(context, "Must be a multiple of \(text(multiple))") }
        }
        if let maximum = node.maximum, number > maximum {
            result.add(context, "Must be less than or equal to \(text(maximum))")
        }
        if let maximum = node.exclusiveMaximum, number >= maximum {
            result.add(context, "Must be less than \(text(maximum))")
        }
        if let minimum = node.minimum, number < minimum {
            result.add(context, "Must be greater than or equal to \(text(minimum))")
        }
        if let minimum = node.exclusiveMinimum, number <= minimum {
            result.add(context, "Must be greater than \(text(minimum))")
        }
        result.increment()
    }
}
