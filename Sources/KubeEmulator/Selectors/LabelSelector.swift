import GitOpsKit

/// A parsed label selector in the string form of `?labelSelector=` (`a=b,c!=d,e in (x,y),f notin (z),g,!h`,
/// `n>1`, `n<5`), with apimachinery's matching rules.
struct LabelSelector: Sendable, Hashable {
    enum Operator: Sendable, Hashable {
        case equals, notEquals, `in`, notIn, exists, doesNotExist, greaterThan, lessThan
    }

    struct Requirement: Sendable, Hashable {
        var key: String
        var op: Operator
        var values: [String]

        func matches(_ labels: [String: JSONValue]) -> Bool {
            let value = labels[key]?.stringValue
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

    var requirements: [Requirement]

    /// Everything matches.
    static let everything = LabelSelector(requirements: [])

    var isEverything: Bool { requirements.isEmpty }

    func matches(_ object: JSONValue) -> Bool {
        if requirements.isEmpty { return true }
        let labels = object[path: "metadata", "labels"]?.objectValue ?? [:]
        return requirements.allSatisfy { $0.matches(labels) }
    }

    /// Parses the string form; errors are worded as apimachinery's parser words them.
    init(parsing text: String) throws(APIError) {
        var parser = SelectorParser(text)
        requirements = try parser.parseAll()
    }

    init(requirements: [Requirement]) {
        self.requirements = requirements
    }

    /// The selector of a `metav1.LabelSelector` object (`matchLabels`, `matchExpressions`).
    init?(object: JSONValue) {
        guard case .object = object else { return nil }
        var requirements: [Requirement] = []
        for (key, value) in object["matchLabels"]?.objectValue ?? [:] {
            guard let value = value.stringValue else { return nil }
            requirements.append(Requirement(key: key, op: .equals, values: [value]))
        }
        for expression in object["matchExpressions"]?.arrayValue ?? [] {
            guard let key = expression["key"]?.stringValue, let op = expression["operator"]?.stringValue else { return nil }
            let values = (expression["values"]?.arrayValue ?? []).compactMap(\.stringValue)
            switch op {
            case "In": requirements.append(Requirement(key: key, op: .in, values: values))
            case "NotIn": requirements.append(Requirement(key: key, op: .notIn, values: values))
            case "Exists": requirements.append(Requirement(key: key, op: .exists, values: []))
            case "DoesNotExist": requirements.append(Requirement(key: key, op: .doesNotExist, values: []))
            default: return nil
            }
        }
        self.requirements = requirements.sorted { $0.key < $1.key }
    }
}

/// A small hand-written lexer/parser for label selector strings.
private struct SelectorParser {
    private let chars: [Character]
    private var index = 0
    private let text: String

    init(_ text: String) {
        self.text = text
        chars = Array(text)
    }

    private func error(_ message: String) -> APIError {
        APIError.badRequest("unable to parse requirement: \(message)")
    }

    private mutating func skipSpaces() {
        while index < chars.count, chars[index] == " " || chars[index] == "\t" { index += 1 }
    }

    private static func isIdentifierCharacter(_ c: Character) -> Bool {
        !(c == " " || c == "\t" || c == "," || c == "=" || c == "!" || c == "(" || c == ")" || c == "<" || c == ">")
    }

    private mutating func identifier() -> String {
        skipSpaces()
        let start = index
        while index < chars.count, Self.isIdentifierCharacter(chars[index]) { index += 1 }
        return String(chars[start..<index])
    }

    private mutating func peek(_ s: String) -> Bool {
        let expected = Array(s)
        guard index + expected.count <= chars.count else { return false }
        return Array(chars[index..<index + expected.count]) == expected
    }

    mutating func parseAll() throws(APIError) -> [LabelSelector.Requirement] {
        var out: [LabelSelector.Requirement] = []
        skipSpaces()
        if index >= chars.count { return [] }
        while true {
            out.append(try requirement())
            skipSpaces()
            if index >= chars.count { break }
            guard chars[index] == "," else {
                throw error("found '\(chars[index])', expected: ',' or 'end of string'")
            }
            index += 1
        }
        return out.sorted { $0.key < $1.key }
    }

    private mutating func requirement() throws(APIError) -> LabelSelector.Requirement {
        skipSpaces()
        if index < chars.count, chars[index] == "!" {
            index += 1
            let key = identifier()
            try validateKey(key)
            return LabelSelector.Requirement(key: key, op: .doesNotExist, values: [])
        }
        let key = identifier()
        guard !key.isEmpty else {
            throw error("found '\(index < chars.count ? String(chars[index]) : "")', expected: !, identifier, or 'end of string'")
        }
        try validateKey(key)
        skipSpaces()
        if index >= chars.count || chars[index] == "," {
            return LabelSelector.Requirement(key: key, op: .exists, values: [])
        }
        let op: LabelSelector.Operator
        if peek("==") { op = .equals; index += 2 }
        else if peek("!=") { op = .notEquals; index += 2 }
        else if peek("=") { op = .equals; index += 1 }
        else if peek(">") { op = .greaterThan; index += 1 }
        else if peek("<") { op = .lessThan; index += 1 }
        else {
            let word = identifier()
            switch word {
            case "in": op = .in
            case "notin": op = .notIn
            default: throw error("found '\(word)', expected: in, notin, =, ==, !=, gt, lt")
            }
        }
        switch op {
        case .in, .notIn:
            skipSpaces()
            guard index < chars.count, chars[index] == "(" else { throw error("found '\(index < chars.count ? String(chars[index]) : "")', expected: '('") }
            index += 1
            var values: [String] = []
            while true {
                let value = identifier()
                try validateValue(value)
                values.append(value)
                skipSpaces()
                guard index < chars.count else { throw error("found '', expected: ',', ')'") }
                if chars[index] == "," { index += 1; continue }
                if chars[index] == ")" { index += 1; break }
                throw error("found '\(chars[index])', expected: ',', ')'")
            }
            return LabelSelector.Requirement(key: key, op: op, values: values)
        case .greaterThan, .lessThan:
            let value = identifier()
            guard Int64(value) != nil else {
                throw error("for 'Gt', 'Lt' operators, the value must be an integer")
            }
            return LabelSelector.Requirement(key: key, op: op, values: [value])
        default:
            let value = identifier()
            try validateValue(value)
            return LabelSelector.Requirement(key: key, op: op, values: [value])
        }
    }

    private func validateKey(_ key: String) throws(APIError) {
        if let problem = LabelValidation.keyProblem(key) {
            throw APIError.badRequest("unable to parse requirement: values[0][\(key)]: Invalid value: \"\(key)\": \(problem)")
        }
    }

    private func validateValue(_ value: String) throws(APIError) {
        if let problem = LabelValidation.valueProblem(value) {
            throw APIError.badRequest("unable to parse requirement: values[0]: Invalid value: \"\(value)\": \(problem)")
        }
    }
}
