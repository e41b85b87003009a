/// A label selector in its string form (`app=web,tier!=db,env in (dev,prod),release notin (x),beta,!legacy`),
/// parsed and matched with apimachinery's `labels.Parse` rules. Used where Flux accepts selector strings for
/// labels or annotations (kustomize targets, `spec.ignore[].target`).
///
/// Usage:
/// ```swift
/// let selector = try LabelSelectorExpression("app=web,env in (dev,prod)")
/// selector.matches(["app": "web", "env": "dev"])   // true
/// ```
public struct LabelSelectorExpression: Sendable, Hashable, CustomStringConvertible {
    public enum Operator: String, Sendable, Hashable {
        case equals = "=", notEquals = "!=", `in` = "in", notIn = "notin", exists = "exists",
             doesNotExist = "!", greaterThan = "gt", lessThan = "lt"
    }

    /// One comma-separated term.
    public struct Requirement: Sendable, Hashable {
        public var key: String
        public var op: Operator
        public var values: [String]

        /// Whether `labels` satisfy this term (a missing key satisfies `!=`, `notin` and `!key`).
        public func matches(_ labels: [String: String]) -> Bool {
            let value = labels[key]
            switch op {
            case .equals, .in: return value.map { values.contains($0) } ?? false
            case .notEquals, .notIn: return value.map { !values.contains($0) } ?? true
            case .exists: return value != nil
            case .doesNotExist: return value == nil
            case .greaterThan, .lessThan:
                guard let value, let actual = Int64(value), let bound = values.first.flatMap({ Int64($0) }) else { return false }
                return op == .greaterThan ? actual > bound : actual < bound
            }
        }
    }

    /// Why a selector string does not parse.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public var selector: String
        public var reason: String
        public var description: String { "unable to parse requirement: \(reason) in selector \"\(selector)\"" }
    }

    public var requirements: [Requirement]
    /// The text it was parsed from.
    public var text: String

    /// Parses `text`; the empty string selects everything.
    public init(_ text: String) throws(ParseError) {
        self.text = text
        var scanner = Scanner(text)
        var requirements: [Requirement] = []
        while true {
            scanner.skipSpaces()
            if scanner.atEnd {
                if !requirements.isEmpty { throw ParseError(selector: text, reason: "found '', expected: identifier after ','") }
                break
            }
            requirements.append(try scanner.requirement(selector: text))
            scanner.skipSpaces()
            if scanner.atEnd { break }
            guard scanner.consume(",") else {
                throw ParseError(selector: text, reason: "found '\(scanner.rest)', expected: ',' or end of string")
            }
        }
        self.requirements = requirements
    }

    /// Whether `labels` satisfy every term.
    public func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { $0.matches(labels) }
    }

    /// Whether an object's `metadata.labels`-style map (string values) satisfies every term.
    public func matches(_ map: JSONValue?) -> Bool {
        if requirements.isEmpty { return true }
        let labels = (map?.objectValue ?? [:]).compactMapValues(\.stringValue)
        return matches(labels)
    }

    public var description: String { text }

    /// A cursor over the selector text.
    private struct Scanner {
        let characters: [Character]
        var index = 0

        init(_ text: String) { characters = Array(text) }

        var atEnd: Bool { index >= characters.count }
        var rest: String { String(characters[index...]) }

        mutating func skipSpaces() {
            while index < characters.count, characters[index] == " " || characters[index] == "\t" { index += 1 }
        }

        mutating func consume(_ literal: String) -> Bool {
            let chars = Array(literal)
            guard index + chars.count <= characters.count, Array(characters[index..<(index + chars.count)]) == chars else {
                return false
            }
            index += chars.count
            return true
        }

        /// A key or value: everything up to a space, `,`, `(`, `)`, `=`, `!`, `<` or `>`.
        mutating func word() -> String {
            let start = index
            while index < characters.count, !" \t,()=!<>".contains(characters[index]) { index += 1 }
            return String(characters[start..<index])
        }

        mutating func requirement(selector: String) throws(ParseError) -> Requirement {
            if consume("!") {
                skipSpaces()
                let key = word()
                guard !key.isEmpty else { throw ParseError(selector: selector, reason: "found '\(rest)', expected: identifier") }
                return Requirement(key: key, op: .doesNotExist, values: [])
            }
            let key = word()
            guard !key.isEmpty else { throw ParseError(selector: selector, reason: "found '\(rest)', expected: identifier") }
            skipSpaces()
            if atEnd || characters[index] == "," { return Requirement(key: key, op: .exists, values: []) }
            let op: Operator
            if consume("==") || consume("=") {
                op = .equals
            } else if consume("!=") {
                op = .notEquals
            } else if consume(">") {
                op = .greaterThan
            } else if consume("<") {
                op = .lessThan
            } else {
                let keyword = word()
                switch keyword {
                case "in": op = .in
                case "notin": op = .notIn
                default: throw ParseError(selector: selector, reason: "found '\(keyword)', expected: in, notin, =, ==, !=, gt, lt")
                }
            }
            skipSpaces()
            if op == .in || op == .notIn {
                guard consume("(") else { throw ParseError(selector: selector, reason: "found '\(rest)', expected: '('") }
                var values: [String] = []
                while true {
                    skipSpaces()
                    values.append(word())
                    skipSpaces()
                    if consume(")") { break }
                    guard consume(",") else { throw ParseError(selector: selector, reason: "found '\(rest)', expected: ',' or ')'") }
                }
                return Requirement(key: key, op: op, values: values)
            }
            let value = word()
            if op == .greaterThan || op == .lessThan, Int64(value) == nil {
                throw ParseError(selector: selector, reason: "for 'gt', 'lt' operators, the value must be an integer")
            }
            return Requirement(key: key, op: op, values: [value])
        }
    }
}
