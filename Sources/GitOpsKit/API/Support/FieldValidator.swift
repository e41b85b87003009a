/// Collects `FluxFieldError`s for the rules a CRD schema enforces, with messages that name the field and value.
struct FieldValidator {
    private(set) var errors: [FluxFieldError] = []

    mutating func fail(_ path: String, _ message: String) {
        errors.append(FluxFieldError(path: path, message: message))
    }

    /// Fails with `message` unless `condition` holds (CEL `XValidation` rules).
    mutating func check(_ condition: Bool, _ path: String, _ message: @autoclosure () -> String) {
        if !condition { fail(path, message()) }
    }

    /// A duration field: pattern `^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$` (or without `h`).
    mutating func duration(_ text: String?, _ path: String, allowHours: Bool = true) {
        guard let text else { return }
        if FluxDuration.matchesCRDPattern(text, allowHours: allowHours), (try? FluxDuration(parsing: text)) != nil {
            return
        }
        if allowHours {
            fail(path, "invalid duration \(quoted(text)) (expected a number with a unit ms, s, m or h, e.g. \"1m30s\")")
        } else if FluxDuration.matchesCRDPattern(text, allowHours: true) {
            fail(path, "invalid duration \(quoted(text)): hours are not allowed here, use minutes (e.g. \"90m\")")
        } else {
            fail(path, "invalid duration \(quoted(text)) (expected a number with a unit ms, s or m, e.g. \"1m30s\")")
        }
    }

    /// A string that must be present and non-empty.
    mutating func required(_ text: String?, _ path: String) {
        if text?.isEmpty ?? true { fail(path, "required value") }
    }

    /// An enum field: the value must be one of the CRD's values.
    mutating func allowed<E: FluxEnum>(_ value: E?, _ path: String) {
        guard let value, !value.isAllowed else { return }
        allowed(value.rawValue, in: E.allowedValues.map(\.rawValue), path)
    }

    /// A string enum field.
    mutating func allowed(_ value: String?, in values: [String], _ path: String) {
        guard let value, !values.contains(value) else { return }
        fail(path, "unsupported value \(quoted(value)) (supported: \(values.map(quoted).joined(separator: ", ")))")
    }

    /// `MinLength`/`MaxLength`, counted in characters as the API server does (Unicode scalars).
    mutating func length(_ text: String?, min: Int = 0, max: Int, _ path: String) {
        guard let text else { return }
        let count = text.unicodeScalars.count
        if count < min {
            fail(path, min == 1 ? "must not be empty" : "must be at least \(min) characters, got \(count)")
        } else if count > max {
            fail(path, "must be at most \(max) characters, got \(count)")
        }
    }

    /// A URL field whose pattern is `^(scheme1|scheme2)://.*$`.
    mutating func urlScheme(_ text: String?, _ schemes: [String], _ path: String) {
        guard let text else { return }
        if schemes.contains(where: { text.hasPrefix("\($0)://") }) { return }
        let prefixes = schemes.map { "\($0)://" }
        let list = prefixes.count > 1
            ? prefixes.dropLast().joined(separator: ", ") + " or " + (prefixes.last ?? "") : prefixes.joined()
        fail(path, "invalid URL \(quoted(text)): must start with \(list)")
    }

    /// `MaxItems`.
    mutating func maxItems<T>(_ items: [T]?, _ max: Int, _ path: String) {
        guard let items, items.count > max else { return }
        fail(path, "must have at most \(max) items, got \(items.count)")
    }

    /// A string made only of the characters in `allowed` (for simple character-class patterns).
    mutating func characters(_ text: String?, _ path: String, pattern: String, allowed: (Character) -> Bool) {
        guard let text, !text.allSatisfy(allowed) else { return }
        fail(path, "invalid value \(quoted(text)): must match \(pattern)")
    }
}

extension Character {
    /// `[a-zA-Z0-9]`.
    var isASCIIAlphanumeric: Bool { isASCII && (isLetter || isNumber) }
}
