/// Go's `Regexp.Expand` over a Swift `Regex` match: shared by Sprig's `regexReplaceAll` and image policies'
/// `filterTags.extract`, which both follow Go's rules.
public enum GoRegexpExpansion {
    /// `template` with `$name`, `${name}`, `$1` replaced by the match's groups (empty when there is no such
    /// group) and `$$` by `$`; a name is the longest run of letters, digits and `_`, and a `$` not followed by one
    /// stays as text.
    public static func expand(_ template: String, _ match: Regex<AnyRegexOutput>.Match) -> String {
        var out = ""
        let scalars = Array(template.unicodeScalars)
        var index = 0
        func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
            scalar == "_" || scalar.properties.isAlphabetic || scalar.properties.numericType == .decimal
        }
        while index < scalars.count {
            let scalar = scalars[index]
            guard scalar == "$", index + 1 < scalars.count else {
                out.unicodeScalars.append(scalar)
                index += 1
                continue
            }
            if scalars[index + 1] == "$" {
                out += "$"
                index += 2
                continue
            }
            var name = ""
            var next = index + 1
            if scalars[next] == "{" {
                var end = next + 1
                while end < scalars.count, isNameScalar(scalars[end]) { end += 1 }
                if end < scalars.count, scalars[end] == "}", end > next + 1 {
                    name = String(String.UnicodeScalarView(scalars[(next + 1)..<end]))
                    next = end + 1
                }
            } else {
                var end = next
                while end < scalars.count, isNameScalar(scalars[end]) { end += 1 }
                if end > next {
                    name = String(String.UnicodeScalarView(scalars[next..<end]))
                    next = end
                }
            }
            if name.isEmpty {
                out += "$"
                index += 1
                continue
            }
            out += group(name, match)
            index = next
        }
        return out
    }

    private static func group(_ name: String, _ match: Regex<AnyRegexOutput>.Match) -> String {
        if let number = Int(name), name.unicodeScalars.allSatisfy({ $0.properties.numericType == .decimal }) {
            guard number < match.output.count else { return "" }
            return match.output[number].substring.map(String.init) ?? ""
        }
        return match.output[name]?.substring.map(String.init) ?? ""
    }
}
