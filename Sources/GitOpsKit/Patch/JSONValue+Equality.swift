extension JSONValue {
    /// JSON equality as RFC 6902 `test` defines it: numbers compare by value (`1` equals `1.0`), objects by members
    /// regardless of order, arrays element by element.
    public func isJSONEqual(to other: JSONValue) -> Bool {
        switch (self, other) {
        case (.int(let a), .double(let b)), (.double(let b), .int(let a)):
            return Double(a) == b
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.isJSONEqual(to: $1) }
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            for (key, value) in a {
                guard let otherValue = b[key], value.isJSONEqual(to: otherValue) else { return false }
            }
            return true
        default:
            return self == other
        }
    }
}
