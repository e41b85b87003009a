/// Flux's `postBuild` variable substitution (`fluxcd/pkg/envsubst`, bash syntax) over one text:
///
/// - `${var}` is replaced by the variable's value; `${var:=default}`, `${var:-default}`, `${var=default}` and
///   `${var-default}` fall back to `default` (the `:` forms also when the value is empty);
/// - `$${var}` is an escape for the literal `${var}`; `$var` without braces is left alone;
/// - in strict mode (Flux's default) an undefined variable without a default is an error naming it; otherwise it
///   becomes the empty string.
public struct VariableSubstitution: Sendable {
    public var variables: [String: String]
    public var strict: Bool

    public init(variables: [String: String], strict: Bool = true) {
        self.variables = variables
        self.strict = strict
    }

    /// Why a text could not be substituted.
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        public var message: String
        public init(message: String) { self.message = message }
        public var description: String { message }
    }

    /// The regular expression variable names must match (`^[_[:alpha:]][_[:alpha:][:digit:]]*$`).
    public static let namePattern = "^[_[:alpha:]][_[:alpha:][:digit:]]*$"

    /// Whether `name` is a valid variable name.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || isLetter(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || isLetter($0) || ("0"..."9").contains($0) }
    }

    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }

    /// `text` with every `${…}` expression replaced.
    public func substitute(_ text: String) throws(Failure) -> String {
        let scalars = Array(text.unicodeScalars)
        var output = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            guard scalar == "$", index + 1 < scalars.count else {
                output.append(scalar)
                index += 1
                continue
            }
            // `$${…}`: the literal `${…}`.
            if scalars[index + 1] == "$", index + 2 < scalars.count, scalars[index + 2] == "{" {
                output.append("$")
                index += 2
                continue
            }
            guard scalars[index + 1] == "{", let close = Self.closingBrace(scalars, from: index + 2) else {
                output.append(scalar)
                index += 1
                continue
            }
            let expression = String(String.UnicodeScalarView(scalars[(index + 2)..<close]))
            output.append(contentsOf: try evaluate(expression).unicodeScalars)
            index = close + 1
        }
        return String(output)
    }

    /// The index of the `}` closing an expression that starts at `start`, honouring nested `${…}` in defaults.
    private static func closingBrace(_ scalars: [Unicode.Scalar], from start: Int) -> Int? {
        var depth = 0
        var index = start
        while index < scalars.count {
            switch scalars[index] {
            case "{": depth += 1
            case "}":
                if depth == 0 { return index }
                depth -= 1
            case "\n": return nil
            default: break
            }
            index += 1
        }
        return nil
    }

    private func evaluate(_ expression: String) throws(Failure) -> String {
        let nameEnd = expression.firstIndex { !($0 == "_" || $0.isASCII && ($0.isLetter || $0.isNumber)) } ?? expression.endIndex
        let name = String(expression[..<nameEnd])
        let rest = expression[nameEnd...]
        guard Self.isValidName(name) else {
            throw Failure(message: "bad substitution: \"${\(expression)}\"")
        }
        let value = variables[name]
        if rest.isEmpty {
            if let value { return value }
            if strict { throw Failure(message: "variable not set (strict mode): \"\(name)\"") }
            return ""
        }
        for (op, emptyCounts) in [(":=", true), (":-", true), ("=", false), ("-", false)] where rest.hasPrefix(op) {
            let fallback = String(rest.dropFirst(op.count))
            if let value, !(emptyCounts && value.isEmpty) { return value }
            return try substitute(fallback)
        }
        throw Failure(message: "unsupported substitution: \"${\(expression)}\"")
    }
}
