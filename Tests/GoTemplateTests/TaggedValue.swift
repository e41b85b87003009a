import GitOpsKit
import GoTemplate

/// Test tables are JSON (compact, fast to compile): values are tagged so ints, floats and strings stay distinct:
/// `{"i":1}`, `{"f":1.5}` (or `"NaN"`, `"+Inf"`, `"-Inf"`, `"-0"`), `{"s":"x"}`, `{"b":true}`, `null`,
/// `{"l":[…]}`, `{"m":{…}}`.
enum TaggedValue {
    static func decode(_ json: JSONValue) -> TemplateValue {
        guard case .object(let tagged) = json, let (tag, body) = tagged.first else { return .null }
        switch (tag, body) {
        case ("i", .int(let int)): return .int(Int(int))
        case ("f", .int(let int)): return .float(Double(int))
        case ("f", .double(let double)): return .float(double)
        case ("f", .string("NaN")): return .float(.nan)
        case ("f", .string("+Inf")): return .float(.infinity)
        case ("f", .string("-Inf")): return .float(-.infinity)
        case ("f", .string("-0")): return .float(-0.0)
        case ("s", .string(let string)): return .string(string)
        case ("b", .bool(let bool)): return .bool(bool)
        case ("l", .array(let elements)): return .list(elements.map(decode))
        case ("m", .object(let members)): return .map(members.mapValues(decode))
        default: return .null
        }
    }

    /// Rows of a JSON table (an array of arrays).
    static func rows(_ text: String) -> [[JSONValue]] {
        guard case .array(let rows)? = try? JSONValue(json: text) else { return [] }
        return rows.compactMap { row in
            guard case .array(let cells) = row else { return nil }
            return cells
        }
    }
}

extension JSONValue {
    var stringValue: String {
        if case .string(let string) = self { return string }
        return ""
    }
    var arrayValue: [JSONValue] {
        if case .array(let array) = self { return array }
        return []
    }
}
