import GitOpsKit
import GoTemplate

/// String functions. Go strings are bytes: lengths and offsets (`trunc`, `substr`, `wrap`, `abbrev`) count UTF-8
/// bytes as Go does, and out-of-range slices fail with Go's runtime panic text.
extension Sprig {
    static var stringFunctions: [TemplateFunction] {
        let trimAll = function("trimAll", [.string, .string]) { args in
            .string(GoStrings.trim(text(args[1]), cutset: text(args[0])))
        }
        return [
            function("abbrev", [.int, .string]) { args in
                let width = integer(args[0])
                let string = text(args[1])
                if width < 4 { return .string(string) }
                return .string((try? GoStrings.abbreviate(string, offset: 0, maxWidth: width)) ?? "")
            },
            function("abbrevboth", [.int, .int, .string]) { args in
                let left = integer(args[0])
                let right = integer(args[1])
                let string = text(args[2])
                if right < 4 || (left > 0 && right < 7) { return .string(string) }
                return .string((try? GoStrings.abbreviate(string, offset: left, maxWidth: right)) ?? "")
            },
            function("trunc", [.int, .string]) { args in
                let count = integer(args[0])
                let bytes = Array(text(args[1]).utf8)
                if count < 0 && bytes.count + count > 0 { return .string(GoStrings.string(bytes[(bytes.count + count)...])) }
                if count >= 0 && bytes.count > count { return .string(GoStrings.string(bytes[..<count])) }
                return args[1]
            },
            function("trim", [.string]) { .string(GoStrings.trimSpace(text($0[0]))) },
            function("upper", [.string]) { .string(GoStrings.mapScalars(text($0[0]), GoUnicode.upper)) },
            function("lower", [.string]) { .string(GoStrings.mapScalars(text($0[0]), GoUnicode.lower)) },
            function("title", [.string]) { .string(GoStrings.title(text($0[0]))) },
            function("untitle", [.string]) { .string(GoStrings.uncapitalize(text($0[0]))) },
            function("substr", [.int, .int, .string]) { args in
                let start = integer(args[0])
                let end = integer(args[1])
                let bytes = Array(text(args[2]).utf8)
                if start < 0 { return .string(try GoStrings.slice(bytes, nil, end)) }
                if end < 0 || end > bytes.count { return .string(try GoStrings.slice(bytes, start, nil)) }
                return .string(try GoStrings.slice(bytes, start, end))
            },
            function("repeat", [.int, .string]) { args in
                let count = integer(args[0])
                if count < 0 { throw SprigError("strings: negative Repeat count") }
                return .string(String(repeating: text(args[1]), count: count))
            },
            alias("trimall", of: trimAll),
            trimAll,
            function("trimSuffix", [.string, .string]) { args in
                let suffix = text(args[0])
                let string = text(args[1])
                guard !suffix.isEmpty, string.utf8.count >= suffix.utf8.count,
                      string.utf8.suffix(suffix.utf8.count).elementsEqual(suffix.utf8) else { return .string(string) }
                return .string(GoStrings.string(Array(string.utf8).dropLast(suffix.utf8.count)))
            },
            function("trimPrefix", [.string, .string]) { args in
                let prefix = text(args[0])
                let string = text(args[1])
                guard !prefix.isEmpty, string.utf8.starts(with: prefix.utf8) else { return .string(string) }
                return .string(GoStrings.string(Array(string.utf8).dropFirst(prefix.utf8.count)))
            },
            function("nospace", [.string]) { args in
                .string(GoStrings.latin1Bytes(text(args[0])) { !GoUnicode.isSpace($0) })
            },
            function("initials", [.string]) { args in
                var lastWasGap = true
                return .string(GoStrings.latin1Bytes(text(args[0])) { scalar in
                    if GoUnicode.isSpace(scalar) {
                        lastWasGap = true
                        return false
                    }
                    defer { lastWasGap = false }
                    return lastWasGap
                })
            },
            function("randAlphaNum", [.int]) {
                .string(RandomText.string(count: integer($0[0]), from: RandomText.alphanumeric))
            },
            function("randAlpha", [.int]) { .string(RandomText.string(count: integer($0[0]), from: RandomText.letters)) },
            function("randAscii", [.int]) { .string(RandomText.string(count: integer($0[0]), from: RandomText.ascii)) },
            function("randNumeric", [.int]) { .string(RandomText.string(count: integer($0[0]), from: RandomText.digits)) },
            function("swapcase", [.string]) { .string(GoStrings.swapCase(text($0[0]))) },
            function("shuffle", [.string]) { args in
                var scalars = Array(text(args[0]).unicodeScalars)
                scalars.shuffle()
                var result = ""
                result.unicodeScalars.append(contentsOf: scalars)
                return .string(result)
            },
            function("snakecase", [.string]) { .string(CaseConversion.lowerCased(text($0[0]), connector: "_")) },
            function("kebabcase", [.string]) { .string(CaseConversion.lowerCased(text($0[0]), connector: "-")) },
            function("camelcase", [.string]) { .string(CaseConversion.pascalCased(text($0[0]))) },
            function("wrap", [.int, .string]) { args in
                .string(GoStrings.wrap(text(args[1]), width: integer(args[0]), newline: "", wrapLongWords: false))
            },
            function("wrapWith", [.int, .string, .string]) { args in
                .string(GoStrings.wrap(text(args[2]), width: integer(args[0]), newline: text(args[1]), wrapLongWords: true))
            },
            function("contains", [.string, .string]) { args in
                let needle = text(args[0])
                return .bool(needle.isEmpty || GoStrings.index(of: needle, in: text(args[1])) != nil)
            },
            function("hasPrefix", [.string, .string]) { args in .bool(text(args[1]).utf8.starts(with: text(args[0]).utf8)) },
            function("hasSuffix", [.string, .string]) { args in
                let suffix = Array(text(args[0]).utf8)
                let string = Array(text(args[1]).utf8)
                return .bool(string.count >= suffix.count && string.suffix(suffix.count).elementsEqual(suffix))
            },
            function("quote", [], variadic: .any) { args in
                .string(args.filter { !$0.isNil }.map { GoFormat.sprintf("%q", [.string(string($0))]) }
                    .joined(separator: " "))
            },
            function("squote", [], variadic: .any) { args in
                .string(args.filter { !$0.isNil }.map { GoFormat.sprintf("'%v'", [$0]) }.joined(separator: " "))
            },
            function("cat", [], variadic: .any) { args in
                let values = args.filter { !$0.isNil }
                let format = Array(repeating: "%v", count: values.count).joined(separator: " ")
                return .string(GoFormat.sprintf(format, values))
            },
            function("indent", [.int, .string]) { args in .string(try indent(integer(args[0]), text(args[1]))) },
            function("nindent", [.int, .string]) { args in .string("\n" + (try indent(integer(args[0]), text(args[1])))) },
            function("replace", [.string, .string, .string]) { args in
                .string(GoStrings.replaceAll(text(args[2]), text(args[0]), with: text(args[1])))
            },
            function("plural", [.string, .string, .int]) { args in integer(args[2]) == 1 ? args[0] : args[1] },
            function("split", [.string, .string]) { args in
                numbered(GoStrings.split(text(args[1]), separator: text(args[0]), limit: -1))
            },
            function("splitList", [.string, .string]) { args in
                .list(GoStrings.split(text(args[1]), separator: text(args[0]), limit: -1).map(TemplateValue.string))
            },
            function("splitn", [.string, .int, .string]) { args in
                numbered(GoStrings.split(text(args[2]), separator: text(args[0]), limit: integer(args[1])))
            },
            function("join", [.string, .any]) { args in .string(stringList(args[1]).joined(separator: text(args[0]))) },
            function("hello", []) { _ in .string("Hello!") },
        ]
    }

    static func indent(_ spaces: Int, _ text: String) throws(SprigError) -> String {
        if spaces < 0 { throw SprigError("strings: negative Repeat count") }
        let pad = String(repeating: " ", count: spaces)
        return pad + GoStrings.replaceAll(text, "\n", with: "\n" + pad)
    }

    /// Sprig's `split` result: `{"_0": first, "_1": second, …}`.
    static func numbered(_ parts: [String]) -> TemplateValue {
        var members: [String: TemplateValue] = [:]
        for (index, part) in parts.enumerated() { members["_\(index)"] = .string(part) }
        return .dict(TemplateMap(members, element: .string))
    }
}

extension TemplateValue {
    /// A nil interface (what `quote`, `cat` and `compact` skip).
    var isNil: Bool {
        if case .null = self { return true }
        return false
    }
}
