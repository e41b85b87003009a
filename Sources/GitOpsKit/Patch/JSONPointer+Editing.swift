extension JSONPointer {
    /// `document` without the value at this location (an array element is removed, shifting the rest); unchanged
    /// when the location does not exist, as Flux's ignore rules tolerate (`AllowMissingPathOnRemove`).
    public func removingValue(from document: JSONValue) -> JSONValue {
        guard !tokens.isEmpty else { return document }
        var copy = document
        Self.remove(tokens[...], from: &copy)
        return copy
    }

    /// `document` with `value` at this location, replacing what is there or adding an object member; nil when the
    /// parent does not exist or an array index is out of range.
    public func settingValue(_ value: JSONValue, in document: JSONValue) -> JSONValue? {
        guard !tokens.isEmpty else { return value }
        var copy = document
        // (not a `? copy : nil` ternary: `nil` would become `JSONValue.null` there)
        guard Self.set(value, tokens[...], in: &copy) else { return Optional<JSONValue>.none }
        return copy
    }

    private static func remove(_ tokens: ArraySlice<String>, from node: inout JSONValue) {
        guard let token = tokens.first else { return }
        let last = tokens.count == 1
        switch node {
        case .object(var members):
            guard var child = members[token] else { return }
            if last {
                members[token] = nil
            } else {
                remove(tokens.dropFirst(), from: &child)
                members[token] = child
            }
            node = .object(members)
        case .array(var elements):
            guard let index = Int(token), elements.indices.contains(index) else { return }
            if last {
                elements.remove(at: index)
            } else {
                remove(tokens.dropFirst(), from: &elements[index])
            }
            node = .array(elements)
        default:
            return
        }
    }

    private static func set(_ value: JSONValue, _ tokens: ArraySlice<String>, in node: inout JSONValue) -> Bool {
        guard let token = tokens.first else { return false }
        let last = tokens.count == 1
        switch node {
        case .object(var members):
            if last {
                members[token] = value
            } else {
                guard var child = members[token], set(value, tokens.dropFirst(), in: &child) else { return false }
                members[token] = child
            }
            node = .object(members)
            return true
        case .array(var elements):
            guard let index = Int(token), elements.indices.contains(index) else { return false }
            if last {
                elements[index] = value
            } else if !set(value, tokens.dropFirst(), in: &elements[index]) {
                return false
            }
            node = .array(elements)
            return true
        default:
            return false
        }
    }
}
