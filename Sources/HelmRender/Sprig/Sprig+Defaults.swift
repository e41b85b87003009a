import GitOpsKit
import GoTemplate

/// Defaults (`default`, `empty`, `coalesce`, `ternary`, …), reflection (`typeOf`, `kindIs`, `deepEqual`), JSON and
/// `fail`.
extension Sprig {
    static var defaultFunctions: [TemplateFunction] {
        let mustToJson = function("mustToJson", [.any]) { args in .string(try GoJSON.encode(args[0], escapeHTML: true, indent: false)) }
        let mustToPrettyJson = function("mustToPrettyJson", [.any]) { args in
            .string(try GoJSON.encode(args[0], escapeHTML: true, indent: true))
        }
        let mustToRawJson = function("mustToRawJson", [.any]) { args in
            .string(try GoJSON.encode(args[0], escapeHTML: false, indent: false))
        }
        let mustFromJson = function("mustFromJson", [.string]) { args in
            do {
                return TemplateValue(helmValues: try JSONValue(json: text(args[0])))
            } catch {
                throw SprigError(String(describing: error))
            }
        }
        return [
            function("default", [.any], variadic: .any) { args in
                args.count < 2 || isEmpty(args[1]) ? args[0] : args[1]
            },
            function("empty", [.any]) { .bool(isEmpty($0[0])) },
            function("coalesce", [], variadic: .any) { args in args.first { !isEmpty($0) } ?? .null },
            function("all", [], variadic: .any) { args in .bool(args.allSatisfy { !isEmpty($0) }) },
            function("any", [], variadic: .any) { args in .bool(args.contains { !isEmpty($0) }) },
            function("ternary", [.any, .any, .bool]) { args in
                if case .bool(true) = args[2] { return args[0] }
                return args[1]
            },
            function("fromJson", [.string]) { args in (try? mustFromJson.call(args)) ?? .null },
            function("toJson", [.any]) { args in .string((try? GoJSON.encode(args[0], escapeHTML: true, indent: false)) ?? "") },
            function("toPrettyJson", [.any]) { args in .string((try? GoJSON.encode(args[0], escapeHTML: true, indent: true)) ?? "") },
            function("toRawJson", [.any]) { args in try mustToRawJson.call(args) },
            mustFromJson, mustToJson, mustToPrettyJson, mustToRawJson,
            function("typeOf", [.any]) { .string($0[0].goTypeName) },
            function("typeIs", [.string, .any]) { args in .bool(text(args[0]) == args[1].goTypeName) },
            function("typeIsLike", [.string, .any]) { args in
                let type = args[1].goTypeName
                return .bool(text(args[0]) == type || "*" + text(args[0]) == type)
            },
            function("kindOf", [.any]) { .string($0[0].goKind) },
            function("kindIs", [.string, .any]) { args in .bool(text(args[0]) == args[1].goKind) },
            function("deepEqual", [.any, .any]) { args in .bool(args[0].deepEquals(args[1])) },
            function("fail", [.string]) { args in throw SprigError(text(args[0])) },
        ]
    }

    /// Sprig's `empty`: nil, false, zero, and empty strings, lists and maps; structs never are.
    static func isEmpty(_ value: TemplateValue) -> Bool {
        switch value {
        case .null: return true
        case .bool(let bool): return !bool
        case .int(let int), .int64(let int): return int == 0
        case .float(let double): return double == 0
        case .string(let string): return string.isEmpty
        case .list(let items): return items.isEmpty
        case .nilList: return true
        case .map(let members): return members.isEmpty
        case .dict(let map): return map.isEmpty
        case .object, .function: return false
        }
    }
}
