/// A namespace of parsed templates sharing functions and options: Go's `*template.Template` with every template
/// associated with it (`t.New(name).Parse(text)` adds to it; `{{define}}`s anywhere are visible everywhere).
///
/// A value type: `parse` changes only this copy, so Helm's `tpl` can parse into a copy while others execute the
/// original. Executing never mutates, so `execute` is re-entrant and thread-safe.
///
/// Usage:
/// ```swift
/// var set = TemplateSet(missingKey: .zero)
/// try set.parse(name: "t", text: #"{{ range $k, $v := . }}{{ $k }}={{ $v }} {{ end }}"#)
/// let out = try set.execute("t", data: .map(["a": .int(1)]))   // "a=1 "
/// ```
public struct TemplateSet: Sendable {
    /// Functions the templates may call, on top of the builtins (a name here overrides a builtin).
    public private(set) var functions: [String: TemplateFunction]
    public var missingKey: MissingKeyMode
    /// The set's own name (Go's receiver template name), used in `no template "x" associated with template "NAME"`.
    public var name: String = ""
    /// Whether `range` iterates over an integer (Go 1.24's `text/template`); before, that is an error
    /// (`range can't iterate over 3`), as in Helm 3.17, which is built with Go 1.23.
    public var rangesOverIntegers = true
    var templates: [String: ParsedTemplate] = [:]

    public init(functions: [String: TemplateFunction] = [:], missingKey: MissingKeyMode = .invalid) {
        self.functions = functions
        self.missingKey = missingKey
    }

    /// Go's `t.New(name).Parse(text)`: adds `name` and every `{{define}}` in `text`. An unknown function is a parse
    /// error naming it. A later definition replaces an earlier one, except that an empty body never replaces a
    /// non-empty one.
    public mutating func parse(name: String, text: String) throws(TemplateError) {
        let trees = try TemplateParser.parse(name: name, text: text, functions: functions)
        for tree in trees {
            if let old = templates[tree.name], tree.root.isEmptyTree, !old.root.isEmptyTree { continue }
            templates[tree.name] = tree
        }
    }

    /// Whether a template called `name` is defined.
    public func has(_ name: String) -> Bool { templates[name] != nil }

    /// The names of all templates, sorted.
    public var names: [String] { templates.keys.sorted() }

    /// Executes the template called `name` with `data` as dot and returns its output.
    ///
    /// While it runs, `TemplateSet.current` is this set, so functions such as Helm's `include` and `tpl` can call
    /// back into it (and a recursion that never ends fails with Go's depth error instead of overflowing the stack).
    public func execute(_ name: String, data: TemplateValue) throws(TemplateError) -> String {
        guard let template = templates[name] else {
            throw TemplateError(
                kind: .other, templateName: name,
                message: "template: no template \(GoStrconv.quote(name)) associated with template \(GoStrconv.quote(self.name))")
        }
        var executor = TemplateExecutor(set: self, template: template)
        let result: Result<String, TemplateError> = Self.$current.withValue(self) {
            do throws(TemplateError) {
                return .success(try executor.run(data: data))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// The set whose `execute` is running on this task (or thread), innermost first; nil outside an execution.
    ///
    /// Usage (Helm's `include`):
    /// ```swift
    /// TemplateFunction("include", signature: .init([.string, .any])) { args in
    ///     guard let set = TemplateSet.current, case .string(let name) = args[0] else { return .null }
    ///     return .string(try set.execute(name, data: args[1]))
    /// }
    /// ```
    @TaskLocal public static var current: TemplateSet?

    /// Go's `t.Funcs(map)`: adds functions to this set, replacing ones with the same names (Helm's `tpl` re-binds
    /// `include` this way on its copy). Templates parsed earlier keep their checked calls.
    public mutating func addFunctions(_ functions: [String: TemplateFunction]) {
        self.functions.merge(functions) { _, new in new }
    }
}
