import GoTemplate

/// Dictionary functions, with mergo's merge rules for `merge`/`mergeOverwrite`.
///
/// Go maps are references: Sprig's `set`, `unset`, `merge` and `mergeOverwrite` change the dictionary they are given
/// (and return it), and templates rely on that (`$_ := set $ctx "k" v`); `TemplateMap` is such a reference.
extension Sprig {
    static var dictFunctions: [TemplateFunction] {
        let merge = function("merge", [.dictionary], variadic: .dictionary) { args in
            let destination = try dictionary(args[0])
            for source in args.dropFirst() { Mergo.merge(into: destination, try dictionary(source), overwrite: false) }
            return .dict(destination)
        }
        let mergeOverwrite = function("mergeOverwrite", [.dictionary], variadic: .dictionary) { args in
            let destination = try dictionary(args[0])
            for source in args.dropFirst() { Mergo.merge(into: destination, try dictionary(source), overwrite: true) }
            return .dict(destination)
        }
        let deepCopy = function("deepCopy", [.any]) { args in
            if args[0].isNil { throw SprigError("reflect: call of reflect.Value.Type on zero Value") }
            return args[0].deepCopy()
        }
        return [
            function("dict", [], variadic: .any) { args in
                var members: [String: TemplateValue] = [:]
                var index = 0
                while index < args.count {
                    let key = string(args[index])
                    members[key] = index + 1 < args.count ? args[index + 1] : .string("")
                    index += 2
                }
                return .map(members)
            },
            function("get", [.dictionary, .string]) { args in try dictionary(args[0])[text(args[1])] ?? .string("") },
            function("set", [.dictionary, .string, .any]) { args in
                let map = try dictionary(args[0])
                map.setValue(args[2], forKey: text(args[1]))
                return .dict(map)
            },
            function("unset", [.dictionary, .string]) { args in
                let map = try dictionary(args[0])
                map.removeValue(forKey: text(args[1]))
                return .dict(map)
            },
            function("hasKey", [.dictionary, .string]) { args in .bool(try dictionary(args[0])[text(args[1])] != nil) },
            function("pluck", [.string], variadic: .dictionary) { args in
                let key = text(args[0])
                return .list(try args.dropFirst().compactMap { try dictionary($0)[key] })
            },
            function("keys", [], variadic: .dictionary) { args in
                var keys: [String] = []
                for members in args { keys += try dictionary(members).keys.sorted() }
                return .list(keys.map(TemplateValue.string))
            },
            function("pick", [.dictionary], variadic: .string) { args in
                let members = try dictionary(args[0])
                var result: [String: TemplateValue] = [:]
                for key in args.dropFirst().map(text) { result[key] = members[key] }
                return .map(result)
            },
            function("omit", [.dictionary], variadic: .string) { args in
                var members = try dictionary(args[0]).members
                for key in args.dropFirst().map(text) { members[key] = nil }
                return .map(members)
            },
            merge, alias("mustMerge", of: merge),
            mergeOverwrite, alias("mustMergeOverwrite", of: mergeOverwrite),
            function("values", [.dictionary]) { args in
                let members = try dictionary(args[0])
                return .list(members.keys.sorted().compactMap { members[$0] })
            },
            deepCopy, alias("mustDeepCopy", of: deepCopy),
            function("dig", [], variadic: .any) { args in
                guard args.count >= 3 else { throw SprigError("dig needs at least three arguments") }
                var current = try assertDictionary(args[args.count - 1])
                let fallback = args[args.count - 2]
                let keys = try args.dropLast(2).map { key throws(SprigError) -> String in
                    guard case .string(let name) = key else { throw interfaceConversion(key, "string") }
                    return name
                }
                for (offset, key) in keys.enumerated() {
                    guard let step = current[key] else { return fallback }
                    if offset == keys.count - 1 { return step }
                    current = try assertDictionary(step)
                }
                return fallback
            },
        ]
    }

    /// A `map[string]interface{}` parameter: a nil interface fails as Go's argument check does.
    static func dictionary(_ value: TemplateValue) throws(SprigError) -> TemplateMap {
        switch value {
        case .dict(let map) where map.element == .any: return map
        case .map(let members): return TemplateMap(members)
        case .null: throw SprigError("wrong type for value; expected map[string]interface {}; got interface {}")
        default: throw SprigError("wrong type for value; expected map[string]interface {}; got \(value.goTypeName)")
        }
    }

    /// Go's `v.(map[string]interface{})` type assertion.
    static func assertDictionary(_ value: TemplateValue) throws(SprigError) -> TemplateMap {
        switch value {
        case .dict(let map) where map.element == .any && map.typeName == nil: return map
        case .map(let members): return TemplateMap(members)
        default: throw interfaceConversion(value, "map[string]interface {}")
        }
    }

    /// The panic of a failed type assertion on an `interface{}`.
    static func interfaceConversion(_ value: TemplateValue, _ type: String) -> SprigError {
        let actual = value.isNil ? "nil" : value.goTypeName
        return SprigError("interface conversion: interface {} is \(actual), not \(type)")
    }
}

/// mergo's `Merge` and `MergeWithOverwrite` of two `map[string]interface{}` (Sprig's `merge`, `mergeOverwrite`).
///
/// The destination changes in place, nested maps too. Per key of the source: nested maps merge recursively; a nil
/// source value only replaces with overwrite; lists
/// and scalars replace the destination's value when it is missing or empty (Go's zero value: `""`, `0`, `false`,
/// nil, empty list or map), or always with overwrite.
enum Mergo {
    static func merge(into destination: TemplateMap, _ source: TemplateMap, overwrite: Bool) {
        if destination.isSame(as: source) { return }
        for (key, sourceValue) in source.members {
            let destinationValue = destination[key]
            if case .null = sourceValue {
                if overwrite { destination.setValue(.null, forKey: key) }
                continue
            }
            if let sourceMembers = sourceValue.templateMap, let destinationMembers = destinationValue?.templateMap {
                merge(into: destinationMembers, sourceMembers, overwrite: overwrite)
                // A `.dict` changed in place; a `.map` (plain data) is replaced by the merged copy.
                if case .map = destinationValue { destination.setValue(.dict(destinationMembers), forKey: key) }
                continue
            }
            if let destinationValue, !Sprig.isEmpty(destinationValue), case .list = sourceValue, !overwrite { continue }
            if overwrite || destinationValue.map(Sprig.isEmpty) ?? true {
                destination.setValue(sourceValue, forKey: key)
            }
        }
    }
}
