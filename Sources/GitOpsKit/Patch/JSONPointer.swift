import FoundationEssentials

/// An RFC 6901 JSON pointer: `""` is the whole document, `/a/b/0` walks members and array indices, `~1` is `/`
/// and `~0` is `~` inside a reference token.
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible {
    /// The unescaped reference tokens, outermost first.
    public var tokens: [String]

    public init(tokens: [String]) { self.tokens = tokens }

    /// Parses the string form; it must be empty or start with `/`, and `~` must be followed by `0` or `1`.
    public init(_ text: String) throws(PatchError) {
        if text.isEmpty {
            tokens = []
            return
        }
        guard text.first == "/" else {
            throw PatchError("JSON pointer \"\(text)\" must be empty or start with \"/\"", path: text)
        }
        var result: [String] = []
        for raw in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            var token = ""
            var iterator = raw.makeIterator()
            while let c = iterator.next() {
                guard c == "~" else {
                    token.append(c)
                    continue
                }
                switch iterator.next() {
                case "0": token.append("~")
                case "1": token.append("/")
                default: throw PatchError("JSON pointer \"\(text)\" has a \"~\" not followed by 0 or 1", path: text)
                }
            }
            result.append(token)
        }
        tokens = result
    }

    /// Parses like the JSON patch library Kubernetes uses: a leading `/` is optional, `~0`/`~1` are decoded and
    /// any other `~` is kept literally. Never fails.
    public init(lenient text: String) {
        let body = text.hasPrefix("/") ? text.dropFirst() : text[...]
        tokens = text.isEmpty ? [] : body.split(separator: "/", omittingEmptySubsequences: false).map {
            String($0.replacing("~1", with: "/").replacing("~0", with: "~"))
        }
    }

    /// The escaped string form.
    public var description: String {
        tokens.map { "/" + $0.replacing("~", with: "~0").replacing("/", with: "~1") }
            .joined()
    }

    /// True when `self` is a proper prefix of `other` (a location strictly inside it).
    public func isProperPrefix(of other: JSONPointer) -> Bool {
        tokens.count < other.tokens.count && Array(other.tokens.prefix(tokens.count)) == tokens
    }

    /// The value at this location, or nil when any step is missing.
    public func value(in document: JSONValue) -> JSONValue? {
        var current = document
        for token in tokens {
            switch current {
            case .object(let members):
                guard let next = members[token] else { return nil }
                current = next
            case .array(let elements):
                guard let index = Int(token), index >= -elements.count, index < elements.count else { return nil }
                current = elements[index < 0 ? index + elements.count : index]
            default:
                return nil
            }
        }
        return current
    }
}
