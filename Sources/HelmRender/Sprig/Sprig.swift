import GoTemplate

/// Sprig v3.3.0's `TxtFuncMap` as Helm 3.17 installs it (without `env` and `expandenv`, which Helm removes), with
/// Go's semantics: argument coercion (`cast.ToInt64`, `fmt`'s `%v`), nil handling, errors and panics reported with
/// the text Go's `error calling NAME: …` carries.
///
/// Helm's own functions (`include`, `tpl`, `toYaml`, `required`, …) are not here: the engine adds them on top.
///
/// Usage:
/// ```swift
/// var set = TemplateSet(functions: Sprig.functions, missingKey: .zero)
/// try set.parse(name: "t", text: #"{{ "web" | upper | quote }}"#)
/// try set.execute("t", data: .null)   // "\"WEB\""
/// ```
public enum Sprig {
    /// Every Sprig function by name (aliases such as `push`/`append` included).
    public static let functions: [String: TemplateFunction] = {
        var table: [String: TemplateFunction] = [:]
        let groups: [[TemplateFunction]] = [
            stringFunctions, conversionFunctions, mathFunctions, listFunctions, dictFunctions, defaultFunctions,
            encodingFunctions, regexFunctions, semverFunctions, dateFunctions, cryptoFunctions, urlFunctions,
            pathFunctions,
        ]
        for group in groups {
            for function in group { table[function.name] = function }
        }
        return table
    }()

    /// A function with a Go parameter list the executor checks before calling.
    static func function(
        _ name: String, _ parameters: [TemplateFunction.ParameterType], variadic: TemplateFunction.ParameterType? = nil,
        _ body: @escaping @Sendable ([TemplateValue]) throws -> TemplateValue
    ) -> TemplateFunction {
        TemplateFunction(name, signature: .init(parameters, variadic: variadic), body)
    }

    /// The same function under another name (Sprig's aliases: `push` for `append`, `tuple` for `list`, …).
    static func alias(_ name: String, of function: TemplateFunction) -> TemplateFunction {
        var copy = function
        copy.name = name
        return copy
    }
}

/// An error a Sprig function returns (or a panic Go's template engine recovers); `description` is the text Go
/// prints after `error calling NAME: `.
public struct SprigError: Error, Sendable, CustomStringConvertible, Equatable {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }

    /// Go's panic when Sprig calls `reflect.TypeOf(nil).Kind()` on a nil argument.
    static let nilDereference = SprigError("runtime error: invalid memory address or nil pointer dereference")

    /// A long-tail function this implementation does not provide.
    static func unsupported(_ name: String) -> SprigError {
        SprigError("function \(name) is not supported by GitOpsKit's Sprig")
    }
}
