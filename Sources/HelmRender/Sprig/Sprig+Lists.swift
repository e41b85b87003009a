import GoTemplate

/// List functions. Like Sprig they accept any slice and fail on other kinds with Sprig's own message (`Cannot find
/// first on type string`), and on nil with the runtime panic Go recovers (`reflect.TypeOf(nil).Kind()`).
extension Sprig {
    static var listFunctions: [TemplateFunction] {
        let list = function("list", [], variadic: .any) { .list($0) }
        let push = function("append", [.any, .any]) { args in .list(try elements(args[0], "Cannot push on type %s") + [args[1]]) }
        let mustPush = alias("mustAppend", of: push)
        var functions = [
            list, alias("tuple", of: list),
            push, alias("push", of: push), mustPush, alias("mustPush", of: push),
            function("prepend", [.any, .any]) { args in .list([args[1]] + (try elements(args[0], "Cannot prepend on type %s"))) },
            function("chunk", [.int, .any]) { args in
                let size = integer(args[0])
                let items = try elements(args[1], "Cannot chunk type %s")
                guard size > 0 else { throw SprigError("runtime error: makeslice: len out of range") }
                return .list(stride(from: 0, to: items.count, by: size).map { start in
                    .list(Array(items[start..<min(start + size, items.count)]))
                })
            },
            function("first", [.any]) { args in try elements(args[0], "Cannot find first on type %s").first ?? .null },
            function("last", [.any]) { args in try elements(args[0], "Cannot find last on type %s").last ?? .null },
            // Of an empty list, Sprig returns a nil slice.
            function("rest", [.any]) { args in
                let items = try elements(args[0], "Cannot find rest on type %s")
                return items.isEmpty ? .nilList : .list(Array(items.dropFirst()))
            },
            function("initial", [.any]) { args in
                let items = try elements(args[0], "Cannot find initial on type %s")
                return items.isEmpty ? .nilList : .list(Array(items.dropLast()))
            },
            function("reverse", [.any]) { args in .list(try elements(args[0], "Cannot find reverse on type %s").reversed()) },
            function("compact", [.any]) { args in
                .list(try elements(args[0], "Cannot compact on type %s").filter { !isEmpty($0) })
            },
            function("uniq", [.any]) { args in
                var unique: [TemplateValue] = []
                for item in try elements(args[0], "Cannot find uniq on type %s") where !unique.contains(where: { $0.deepEquals(item) }) {
                    unique.append(item)
                }
                return .list(unique)
            },
            function("without", [.any], variadic: .any) { args in
                let omit = args.dropFirst()
                return .list(try elements(args[0], "Cannot find without on type %s").filter { item in
                    !omit.contains { $0.deepEquals(item) }
                })
            },
            function("has", [.any, .any]) { args in
                if case .null = args[1] { return .bool(false) }
                return .bool(try elements(args[1], "Cannot find has on type %s").contains { $0.deepEquals(args[0]) })
            },
            function("slice", [.any], variadic: .any) { args in
                let items = try elements(args[0], "list should be type of slice or array but %s")
                if items.isEmpty { return .null }
                let start = args.count > 1 ? int64(args[1]) : 0
                let end = args.count > 2 ? int64(args[2]) : items.count
                guard start >= 0, start <= end, end <= items.count else {
                    throw SprigError("reflect.Value.Slice: slice index out of bounds")
                }
                return .list(Array(items[start..<end]))
            },
            function("concat", [], variadic: .any) { args in
                var result: [TemplateValue] = []
                for list in args {
                    switch list {
                    case .list(let items): result += items
                    case .nilList: break
                    case .null: throw SprigError.nilDereference
                    default: throw SprigError("Cannot concat type \(list.goKind) as list")
                    }
                }
                return .list(result)
            },
            function("sortAlpha", [.any]) { args in
                guard args[0].listElements != nil else { return .list([.string(string(args[0]))]) }
                return .list(stringList(args[0]).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map(TemplateValue.string))
            },
        ]
        // The must* variants return the error their plain versions panic with: the text is the same.
        for name in ["prepend", "chunk", "first", "last", "rest", "initial", "reverse", "compact", "uniq", "without",
                     "has", "slice"] {
            if let plain = functions.first(where: { $0.name == name }) {
                functions.append(alias("must" + name.prefix(1).uppercased() + name.dropFirst(), of: plain))
            }
        }
        return functions
    }

    /// The elements of a slice argument; `message` (with `%s` for the Go kind) for other kinds.
    static func elements(_ value: TemplateValue, _ message: String) throws(SprigError) -> [TemplateValue] {
        switch value {
        case .list(let items): return items
        case .nilList: return []
        case .null: throw SprigError.nilDereference
        default: throw SprigError(GoFormat.sprintf(message, [.string(value.goKind)]))
        }
    }
}
