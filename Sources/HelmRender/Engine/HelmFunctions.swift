import GitOpsKit
import GoTemplate

/// The functions Helm adds to (or overrides in) Sprig's map: `include`, `tpl`, `required`, `fail`, `lookup`,
/// `getHostByName` and the data-format functions.
///
/// They need no per-render state: `include` and `tpl` reach the executing set through `TemplateSet.current`,
/// and `include`'s recursion count travels in a task-local, so the map is built once.
enum HelmFunctions {
    /// Helm's limit on nested `include`s of one template name.
    static let recursionLimit = 1000

    /// Sprig's functions overridden by Helm's.
    static let all: [String: TemplateFunction] = base.merging(helm) { _, helm in helm }

    /// The functions Helm starts from (Sprig without `env`/`expandenv`).
    static var base: [String: TemplateFunction] { Sprig.functions }

    /// How many times each template name is being included right now, innermost call last.
    @TaskLocal static var includeCounts: [String: Int] = [:]

    static let helm: [String: TemplateFunction] = {
        var functions: [String: TemplateFunction] = [:]
        for function in [include, tpl, required, fail, lookup, getHostByName] { functions[function.name] = function }
        for function in serialization { functions[function.name] = function }
        return functions
    }()

    /// `include NAME DATA`: a named template's output as a string, so it can be piped.
    static let include = TemplateFunction("include", signature: .init([.string, .any])) { args in
        guard let set = TemplateSet.current else { throw HelmFunctionError("include: no template is executing") }
        let name = string(args, 0)
        let count = includeCounts[name] ?? 0
        if count > recursionLimit {
            throw HelmFunctionError("rendering template has a nested reference name: \(name): unable to execute template")
        }
        var counts = includeCounts
        counts[name] = count + 1
        return try $includeCounts.withValue(counts) {
            .string(try set.execute(name, data: args.count > 1 ? args[1] : .null))
        }
    }

    /// `tpl TEXT DATA`: `TEXT` parsed as a template in a copy of the executing set (so it sees every `define`
    /// and may add its own) and executed with `DATA`.
    static let tpl = TemplateFunction("tpl", signature: .init([.string, .any])) { args in
        guard var set = TemplateSet.current else { throw HelmFunctionError("tpl: no template is executing") }
        let text = string(args, 0)
        let name = set.name
        do {
            // Go parses into a new template object, so an empty text replaces an earlier tpl body of the same
            // name; TemplateSet keeps a non-empty body against an empty one, hence the non-empty placeholder.
            if set.has(name) { try set.parse(name: name, text: #"{{""}}"#) }
            try set.parse(name: name, text: text)
        } catch {
            throw HelmFunctionError("cannot parse template \(GoFormat.sprintf("%q", [.string(text)])): \(error)")
        }
        do {
            let output = try set.execute(name, data: args.count > 1 ? args[1] : .null)
            return .string(output.replacing("<no value>", with: ""))
        } catch {
            throw HelmFunctionError(
                "error during tpl function execution for \(GoFormat.sprintf("%q", [.string(text)])): \(error)")
        }
    }

    /// `required MESSAGE VALUE`: VALUE, or an error carrying MESSAGE when it is nil or an empty string.
    static let required = TemplateFunction("required", signature: .init([.string, .any])) { args in
        let value = args.count > 1 ? args[1] : .null
        switch value {
        case .null, .string(""): throw HelmFunctionError(HelmEngine.wrapUserError(string(args, 0)))
        default: return value
        }
    }

    /// `fail MESSAGE`: stops rendering with MESSAGE (Helm reports it as `execution error at (…)`).
    static let fail = TemplateFunction("fail", signature: .init([.string])) { args in
        throw HelmFunctionError(HelmEngine.wrapUserError(string(args, 0)))
    }

    /// `lookup`: without a cluster (`helm template`) every lookup finds nothing: an empty map.
    static let lookup = TemplateFunction("lookup", signature: .init([.string, .string, .string, .string])) { _ in
        .map([:])
    }

    /// `getHostByName`: DNS lookups are off unless `--enable-dns`, so it gives an empty string.
    static let getHostByName = TemplateFunction("getHostByName", signature: .init([.string])) { _ in .string("") }

    static let serialization: [TemplateFunction] = [
        TemplateFunction("toYaml", signature: .init([.any])) { args in
            guard let json = HelmSerialization.json(of: args.first ?? .null) else { return .string("") }
            return .string(HelmSerialization.toYAML(json))
        },
        TemplateFunction("toYamlPretty", signature: .init([.any])) { args in
            guard let json = HelmSerialization.json(of: args.first ?? .null) else { return .string("") }
            return .string(PrettyYAML.encode(json))
        },
        TemplateFunction("toJson", signature: .init([.any])) { args in
            guard let json = HelmSerialization.json(of: args.first ?? .null) else { return .string("") }
            return .string(HelmSerialization.toJSON(json))
        },
        TemplateFunction("fromYaml", signature: .init([.string])) { args in HelmSerialization.fromYAML(string(args, 0)) },
        TemplateFunction("fromYamlArray", signature: .init([.string])) { args in
            HelmSerialization.fromYAMLArray(string(args, 0))
        },
        TemplateFunction("fromJson", signature: .init([.string])) { args in HelmSerialization.fromJSON(string(args, 0)) },
        TemplateFunction("fromJsonArray", signature: .init([.string])) { args in
            HelmSerialization.fromJSONArray(string(args, 0))
        },
        TemplateFunction("toToml", signature: .init([.any])) { args in .string(TOMLEncoder.encode(args.first ?? .null)) },
    ]

    static func string(_ args: [TemplateValue], _ index: Int) -> String {
        guard index < args.count, case .string(let string) = args[index] else { return "" }
        return string
    }
}

/// An error returned by one of Helm's template functions; the executor prints it after `error calling NAME: `.
struct HelmFunctionError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
