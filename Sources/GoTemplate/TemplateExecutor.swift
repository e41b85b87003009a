/// Executes parsed templates with Go's `text/template` semantics (Go's `state`): walks the tree, evaluates
/// pipelines, fields, variables and function calls, and writes the output.
struct TemplateExecutor {
    /// Non-local exits while walking: an error, or `{{break}}`/`{{continue}}` unwinding to their `range`.
    enum Signal: Error {
        case failure(TemplateError)
        case breakLoop
        case continueLoop
    }

    /// What was being evaluated, for error messages (Go's `state.node`).
    enum Location {
        case none
        case node(Node)
        case arg(ArgNode)
        case pipe(PipeNode)
        case command(CommandNode)

        var position: Int {
            switch self {
            case .none: return 0
            case .node(let node):
                switch node {
                case .text(let text): return text.position
                case .action(let action): return action.position
                case .comment: return 0
                case .branch(let branch): return branch.position
                case .template(let call): return call.position
                case .break(let position), .continue(let position): return position
                }
            case .arg(let arg): return arg.position
            case .pipe(let pipe): return pipe.position
            case .command(let command): return command.position
            }
        }

        var description: String {
            switch self {
            case .none: return ""
            case .node(let node): return node.description
            case .arg(let arg): return arg.description
            case .pipe(let pipe): return pipe.description
            case .command(let command): return command.description
            }
        }
    }

    /// The final value of the previous pipeline command, or none (Go's `missingVal`).
    enum Final {
        case missing
        case value(ExecValue)
    }

    /// Go's limit on nested template invocations.
    static let maxExecDepth = 100_000
    static let depthMessage = "exceeded maximum template depth (\(maxExecDepth))"

    let set: TemplateSet
    private(set) var output: [UInt8] = []
    private var variables: [(name: String, value: ExecValue)] = []
    private var template: ParsedTemplate
    private var location: Location = .none
    private var depth = 0

    init(set: TemplateSet, template: ParsedTemplate) {
        self.set = set
        self.template = template
    }

    /// Runs `template` with `data` as dot and `$`.
    mutating func run(data: TemplateValue) throws(TemplateError) -> String {
        // Maps become references on the way in, so `set` changes what every holder sees.
        let data = data.shared()
        let dot: ExecValue = data.isNull ? .invalid : .concrete(data)
        variables = [("$", dot)]
        do throws(Signal) {
            if !StackGuard.hasRoom(depth: 0) { throw fail(Self.depthMessage) }
            try walk(dot, template.root)
        } catch {
            switch error {
            case .failure(let failure): throw failure
            case .breakLoop, .continueLoop: break  // the parser only allows them inside range
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    // MARK: Errors

    func makeError(_ message: String) -> TemplateError {
        if case .none = location {
            return TemplateError(kind: .other, templateName: template.parseName,
                                 message: "template: \(template.name): \(message)")
        }
        let (line, column) = template.source.location(of: location.position)
        return TemplateError(
            kind: .execution, templateName: template.parseName, line: line, column: column, message: message,
            executing: template.name, context: location.description)
    }

    func fail(_ message: String) -> Signal { .failure(makeError(message)) }

    private mutating func at(_ location: Location) { self.location = location }

    // MARK: Variables

    private mutating func push(_ name: String, _ value: ExecValue) { variables.append((name, value)) }

    private mutating func setVariable(_ name: String, _ value: ExecValue) throws(Signal) {
        for index in variables.indices.reversed() where variables[index].name == name {
            variables[index].value = value
            return
        }
        throw fail("undefined variable: \(name)")
    }

    private func variable(_ name: String) throws(Signal) -> ExecValue {
        for index in variables.indices.reversed() where variables[index].name == name { return variables[index].value }
        throw fail("undefined variable: \(name)")
    }

    // MARK: Walking

    private mutating func walk(_ dot: ExecValue, _ list: ListNode) throws(Signal) {
        for node in list.nodes { try walk(dot, node) }
    }

    private mutating func walk(_ dot: ExecValue, _ node: Node) throws(Signal) {
        at(.node(node))
        switch node {
        case .text(let text):
            output.append(contentsOf: text.text)
        case .action(let action):
            let value = try evalPipeline(dot, action.pipe)
            if action.pipe.declarations.isEmpty { try printValue(node, value) }
        case .comment:
            break
        case .branch(let branch):
            switch branch.kind {
            case .if, .with: try walkIfOrWith(branch, dot)
            case .range: try walkRange(branch, dot)
            }
        case .template(let call):
            try walkTemplate(call, dot)
        case .break:
            throw .breakLoop
        case .continue:
            throw .continueLoop
        }
    }

    private mutating func walkIfOrWith(_ branch: BranchNode, _ dot: ExecValue) throws(Signal) {
        let mark = variables.count
        defer { variables.removeSubrange(mark...) }
        let value = try evalPipeline(dot, branch.pipe)
        if value.isTrue {
            try walk(branch.kind == .with ? value : dot, branch.list)
        } else if let elseList = branch.elseList {
            try walk(dot, elseList)
        }
    }

    private mutating func walkRange(_ branch: BranchNode, _ dot: ExecValue) throws(Signal) {
        at(.node(.branch(branch)))
        let outerMark = variables.count
        defer { variables.removeSubrange(outerMark...) }
        let value = try evalPipeline(dot, branch.pipe)
        let mark = variables.count
        let declarations = branch.pipe.declarations.count

        /// One iteration; returns false after `{{break}}`.
        func iterate(_ executor: inout TemplateExecutor, index: ExecValue, element: ExecValue) throws(Signal) -> Bool {
            if declarations > 0 { executor.variables[executor.variables.count - 1].value = element }
            if declarations > 1 { executor.variables[executor.variables.count - 2].value = index }
            defer { executor.variables.removeSubrange(mark...) }
            do {
                try executor.walk(element, branch.list)
            } catch {
                switch error {
                case .breakLoop: return false
                case .continueLoop: return true
                case .failure: throw error
                }
            }
            return true
        }

        switch value.indirect {
        case .list(let elements) where !elements.isEmpty:
            for (offset, element) in elements.enumerated() {
                if try !iterate(&self, index: .concrete(.int(offset)), element: .boxed(element)) { break }
            }
            return
        case .object(let object) where object.keyedMapEntries != nil:
            let entries = object.keyedMapEntries ?? []
            guard !entries.isEmpty else { break }
            for entry in entries {
                if try !iterate(&self, index: .concrete(entry.key), element: .concrete(entry.value)) { break }
            }
            return
        case .map, .dict, .object:
            // A map's elements are interfaces (boxed) unless its element type is concrete.
            let members: [String: TemplateValue]
            let isInterface: Bool
            if case .object(let object)? = value.indirect {
                guard let entries = object.mapEntries else { throw fail("range can't iterate over \(object.formatted)") }
                members = entries
                isInterface = false
            } else {
                let map = value.indirect?.templateMap
                members = map?.members ?? [:]
                isInterface = map?.element != .string
            }
            guard !members.isEmpty else { break }
            for key in members.keys.sorted() {
                let member = members[key] ?? .null
                let element: ExecValue = isInterface ? .boxed(member) : .concrete(member)
                if try !iterate(&self, index: .concrete(.string(key)), element: element) { break }
            }
            return
        case .int(let count) where set.rangesOverIntegers, .int64(let count) where set.rangesOverIntegers:
            if declarations > 1 {
                throw fail("can't use \(count) to iterate over more than one variable")
            }
            if count > 0 {
                for offset in 0..<count {
                    if try !iterate(&self, index: .concrete(.int(offset)), element: .concrete(.int(offset))) { break }
                }
                return
            }
        case .list, .nilList, nil:
            break
        case .some(let other):
            throw fail("range can't iterate over \(GoFormat.format(other))")
        }
        if let elseList = branch.elseList { try walk(dot, elseList) }
    }

    private mutating func walkTemplate(_ call: TemplateCallNode, _ dot: ExecValue) throws(Signal) {
        at(.node(.template(call)))
        guard let callee = set.templates[call.name] else {
            throw fail("template \(GoStrconv.quote(call.name)) not defined")
        }
        // Go's limit, or the stack running low first (a template calling itself): Go's message either way.
        if depth >= Self.maxExecDepth || !StackGuard.hasRoom(depth: depth) { throw fail(Self.depthMessage) }
        let newDot: ExecValue = if let pipe = call.pipe { try evalPipeline(dot, pipe) } else { .invalid }
        let savedTemplate = template
        let savedVariables = variables
        let savedLocation = location
        template = callee
        variables = [("$", newDot)]
        depth += 1
        defer {
            depth -= 1
            template = savedTemplate
            variables = savedVariables
            location = savedLocation
        }
        try walk(newDot, callee.root)
    }

    // MARK: Printing

    private mutating func printValue(_ node: Node, _ value: ExecValue) throws(Signal) {
        at(.node(node))
        switch value.indirect {
        case nil:
            output.append(contentsOf: "<no value>".utf8)
        case .string(let string):
            output.append(contentsOf: GoByteString.bytes(string))
        case .function:
            throw fail("can't print \(node.description) of type \(value.indirect?.goTypeName ?? "")")
        case .some(let other):
            output.append(contentsOf: GoFormat.format(other).utf8)
        }
    }

    // MARK: Pipelines and commands

    mutating func evalPipeline(_ dot: ExecValue, _ pipe: PipeNode) throws(Signal) -> ExecValue {
        at(.pipe(pipe))
        if !StackGuard.hasRoom(depth: depth) { throw fail(Self.depthMessage) }
        var value: Final = .missing
        for command in pipe.commands {
            value = .value(try evalCommand(dot, command, final: value).pipelineResult)
        }
        guard case .value(let result) = value else { return .invalid }
        for name in pipe.declarations {
            if pipe.isAssign {
                try setVariable(name, result)
            } else {
                push(name, result)
            }
        }
        return result
    }

    private func notAFunction(_ args: [ArgNode], _ final: Final) throws(Signal) {
        if args.count > 1 { throw fail("can't give argument to non-function \(args[0].description)") }
        if case .value = final { throw fail("can't give argument to non-function \(args[0].description)") }
    }

    private mutating func evalCommand(_ dot: ExecValue, _ command: CommandNode, final: Final) throws(Signal) -> ExecValue {
        let first = command.args[0]
        switch first {
        case .field(_, let names):
            at(.arg(first))
            return try evalFieldChain(dot, receiver: dot, node: .arg(first), names: names[...], args: command.args, final: final)
        case .chain:
            return try evalChain(dot, first, args: command.args, final: final)
        case .identifier(_, let name):
            return try evalFunction(dot, name: name, identifier: first, node: .command(command), args: command.args, final: final)
        case .pipe(let pipe):
            try notAFunction(command.args, final)
            return try evalPipeline(dot, pipe)
        case .variable:
            return try evalVariable(dot, first, args: command.args, final: final)
        default:
            break
        }
        at(.arg(first))
        try notAFunction(command.args, final)
        switch first {
        case .bool(_, let value): return .concrete(.bool(value))
        case .dot: return dot
        case .nil: throw fail("nil is not a command")
        case .number(_, let constant): return try idealConstant(first, constant)
        case .string(_, _, let text): return .concrete(.string(text))
        default: throw fail("can't evaluate command \(GoStrconv.quote(first.description))")
        }
    }

    /// A number literal where no type is expected: its syntax decides between `int` and `float64`.
    private mutating func idealConstant(_ node: ArgNode, _ constant: NumberConstant) throws(Signal) -> ExecValue {
        at(.arg(node))
        let text = constant.text
        let isHexInt = text.count > 2 && text.hasPrefix("0") && (text.dropFirst().first == "x" || text.dropFirst().first == "X")
            && !text.contains(where: { $0 == "p" || $0 == "P" })
        let isRune = text.hasPrefix("'")
        if constant.isFloat && !isHexInt && !isRune && text.contains(where: { ".eEpP".contains($0) }) {
            return .concrete(.float(constant.float))
        }
        if constant.isInt { return .concrete(.int(Int(constant.int))) }
        if constant.isUint { throw fail("\(text) overflows int") }
        return .invalid
    }

    private mutating func evalChain(_ dot: ExecValue, _ chain: ArgNode, args: [ArgNode], final: Final) throws(Signal) -> ExecValue {
        guard case .chain(_, let node, let fields) = chain else { return .invalid }
        at(.arg(chain))
        if case .nil = node { throw fail("indirection through explicit nil in \(chain.description)") }
        let receiver = try evalArg(dot, .untyped, node)
        return try evalFieldChain(dot, receiver: receiver, node: .arg(chain), names: fields[...], args: args, final: final)
    }

    private mutating func evalVariable(_ dot: ExecValue, _ node: ArgNode, args: [ArgNode], final: Final) throws(Signal) -> ExecValue {
        guard case .variable(_, let names) = node else { return .invalid }
        at(.arg(node))
        let value = try variable(names[0])
        if names.count == 1 {
            try notAFunction(args, final)
            return value
        }
        return try evalFieldChain(dot, receiver: value, node: .arg(node), names: names.dropFirst(), args: args, final: final)
    }

    private mutating func evalFieldChain(
        _ dot: ExecValue, receiver: ExecValue, node: Location, names: ArraySlice<String>, args: [ArgNode], final: Final
    ) throws(Signal) -> ExecValue {
        var receiver = receiver
        for name in names.dropLast() {
            receiver = try evalField(dot, name, node: node, args: [], final: .missing, receiver: receiver)
        }
        return try evalField(dot, names.last ?? "", node: node, args: args, final: final, receiver: receiver)
    }

    private mutating func evalField(
        _ dot: ExecValue, _ name: String, node: Location, args: [ArgNode], final: Final, receiver: ExecValue
    ) throws(Signal) -> ExecValue {
        let value: TemplateValue
        switch receiver {
        case .invalid:
            if set.missingKey == .error { throw fail("nil data; no entry for key \(GoStrconv.quote(name))") }
            return .invalid
        case .boxed(.null), .concrete(.null):
            throw fail("nil pointer evaluating \(receiver.staticTypeName).\(name)")
        case .boxed(let inner), .concrete(let inner):
            value = inner
        }
        var hasArgs = args.count > 1
        if case .value = final { hasArgs = true }
        switch value {
        case .object(let object):
            if let method = object.method(named: name) {
                return try evalCall(dot, .user(method), name: name, node: node, args: args, final: final)
            }
            if let field = object.field(named: name) {
                if hasArgs { throw fail("\(name) has arguments but cannot be invoked as function") }
                return field.isNull ? .boxed(.null) : .concrete(field.shared())
            }
        case .map, .dict:
            guard let members = value.templateMap else { break }
            if hasArgs { throw fail("\(name) is not a method but has arguments") }
            let isInterface = members.element == .any
            if let member = members[name] { return isInterface ? .boxed(member) : .concrete(member) }
            switch set.missingKey {
            case .invalid: return .invalid
            case .zero: return isInterface ? .boxed(.null) : .concrete(members.zeroValue)
            case .error: throw fail("map has no entry for key \(GoStrconv.quote(name))")
            }
        default:
            break
        }
        throw fail("can't evaluate field \(name) in type \(receiver.staticTypeName)")
    }

    // MARK: Functions

    /// A function being called: a user function (or method), or a builtin.
    enum Callee {
        case user(TemplateFunction)
        case builtin(Builtin)
    }

    private mutating func evalFunction(
        _ dot: ExecValue, name: String, identifier: ArgNode, node: Location, args: [ArgNode], final: Final
    ) throws(Signal) -> ExecValue {
        at(.arg(identifier))
        if let function = set.functions[name] {
            return try evalCall(dot, .user(function), name: name, node: node, args: args, final: final)
        }
        if let builtin = Builtins.table[name] {
            return try evalCall(dot, .builtin(builtin), name: name, node: node, args: args, final: final)
        }
        throw fail("\(GoStrconv.quote(name)) is not a defined function")
    }

    /// Go's `evalCall`: checks the argument count, evaluates the arguments against the parameter types, calls, and
    /// turns a thrown error into `error calling NAME: …`.
    private mutating func evalCall(
        _ dot: ExecValue, _ callee: Callee, name: String, node: Location, args: [ArgNode], final: Final
    ) throws(Signal) -> ExecValue {
        let arguments = args.dropFirst()
        var count = arguments.count
        if case .value = final { count += 1 }
        let fixed: [ArgType]
        let variadic: ArgType?
        switch callee {
        case .user(let function):
            if let signature = function.signature {
                fixed = signature.parameters.map(ArgType.init)
                variadic = signature.variadic.map(ArgType.init)
            } else {
                fixed = []
                variadic = .any
            }
        case .builtin(let builtin):
            fixed = builtin.fixed
            variadic = builtin.variadic
        }
        if variadic != nil {
            if count < fixed.count {
                throw fail("wrong number of args for \(name): want at least \(fixed.count) got \(arguments.count)")
            }
        } else if count != fixed.count {
            throw fail("wrong number of args for \(name): want \(fixed.count) got \(count)")
        }

        // and/or evaluate their arguments lazily and return the deciding one.
        if case .builtin(let builtin) = callee, builtin.kind == .and || builtin.kind == .or {
            let isOr = builtin.kind == .or
            var value: ExecValue = .invalid
            for arg in arguments {
                value = try evalArg(dot, .value, arg)
                if value.isTrue == isOr { return value }
            }
            if case .value(let finalValue) = final { value = try validate(finalValue, .value) }
            return value
        }

        var values: [ExecValue] = []
        values.reserveCapacity(count)
        var index = 0
        for arg in arguments {
            let type = index < fixed.count ? fixed[index] : (variadic ?? .any)
            values.append(try evalArg(dot, type, arg))
            index += 1
        }
        if case .value(let finalValue) = final {
            let type = count - 1 < fixed.count ? fixed[count - 1] : (variadic ?? .any)
            values.append(try validate(finalValue, type))
        }

        switch callee {
        case .user(let function):
            let result: TemplateValue
            do {
                result = try function.call(values.map(\.templateValue))
            } catch {
                at(node)
                throw fail("error calling \(name): \(Self.describe(error))")
            }
            return result.isNull ? .boxed(.null) : .concrete(result.shared())
        case .builtin(let builtin):
            do {
                return try builtin.call(values, set, calleeText: arguments.first?.description ?? "")
            } catch {
                at(node)
                throw fail("error calling \(name): \(error.message)")
            }
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? TemplateError { return error.description }
        return String(describing: error)
    }

    // MARK: Arguments

    /// Go's `evalArg`: a node evaluated for a parameter of `type`.
    private mutating func evalArg(_ dot: ExecValue, _ type: ArgType, _ node: ArgNode) throws(Signal) -> ExecValue {
        at(.arg(node))
        switch node {
        case .dot:
            return try validate(dot, type)
        case .nil:
            switch type {
            case .any, .value: return type == .any ? .boxed(.null) : .invalid
            case .untyped: return .invalid
            case .dictionary: return .concrete(.dict(TemplateMap()))
            default: throw fail("cannot assign nil to \(type.goName)")
            }
        case .field(_, let names):
            let value = try evalFieldChain(dot, receiver: dot, node: .arg(node), names: names[...], args: [node], final: .missing)
            return try validate(value, type)
        case .variable:
            return try validate(try evalVariable(dot, node, args: [], final: .missing), type)
        case .pipe(let pipe):
            return try validate(try evalPipeline(dot, pipe), type)
        case .identifier(_, let name):
            return try validate(try evalFunction(dot, name: name, identifier: node, node: .arg(node), args: [node], final: .missing), type)
        case .chain:
            return try validate(try evalChain(dot, node, args: [], final: .missing), type)
        case .bool(_, let value):
            switch type {
            case .bool, .any, .value, .untyped: return .concrete(.bool(value))
            case .dictionary: throw fail("can't handle \(node.description) for arg of type \(type.goName)")
            default: throw fail("expected \(type.literalName); found \(node.description)")
            }
        case .string(_, _, let text):
            switch type {
            case .string, .any, .value, .untyped: return .concrete(.string(text))
            case .dictionary: throw fail("can't handle \(node.description) for arg of type \(type.goName)")
            default: throw fail("expected \(type.literalName); found \(node.description)")
            }
        case .number(_, let constant):
            switch type {
            case .int:
                guard constant.isInt else { throw fail("expected integer; found \(node.description)") }
                return .concrete(.int(Int(constant.int)))
            case .float64:
                guard constant.isFloat else { throw fail("expected float; found \(node.description)") }
                return .concrete(.float(constant.float))
            case .any, .value, .untyped:
                return try idealConstant(node, constant)
            case .dictionary:
                throw fail("can't handle \(node.description) for arg of type \(type.goName)")
            default:
                throw fail("expected \(type.literalName); found \(node.description)")
            }
        }
    }

    /// Go's `validateType`: a value checked (not converted) against a parameter type.
    private func validate(_ value: ExecValue, _ type: ArgType) throws(Signal) -> ExecValue {
        switch type {
        case .untyped, .value:
            return value
        case .any:
            if case .invalid = value { return .boxed(.null) }
            return value
        case .dictionary:
            let inner: TemplateValue
            switch value {
            // Go passes the zero value, a nil map, when there is no value.
            case .invalid: return .concrete(.dict(TemplateMap()))
            case .boxed(.null), .concrete(.null): throw fail("wrong type for value; expected \(type.goName); got interface {}")
            case .boxed(let boxed), .concrete(let boxed): inner = boxed
            }
            switch inner {
            case .map: return .concrete(inner.shared())
            case .dict(let map) where map.element == .any: return .concrete(inner)
            default: throw fail("wrong type for value; expected \(type.goName); got \(inner.goTypeName)")
            }
        case .string, .int, .float64, .bool:
            let inner: TemplateValue
            switch value {
            case .invalid: throw fail("invalid value; expected \(type.goName)")
            case .boxed(.null): throw fail("wrong type for value; expected \(type.goName); got interface {}")
            case .boxed(let boxed), .concrete(let boxed): inner = boxed
            }
            let matches: Bool
            switch (type, inner) {
            case (.string, .string), (.int, .int), (.float64, .float), (.bool, .bool): matches = true
            default: matches = false
            }
            if !matches { throw fail("wrong type for value; expected \(type.goName); got \(inner.goTypeName)") }
            return .concrete(inner)
        }
    }
}

/// The parameter types the executor distinguishes (Go's reflect types of builtin and user parameters).
enum ArgType: Equatable {
    /// `interface{}`.
    case any
    /// `reflect.Value` (builtins): passes "no value" and interface boxes through.
    case value
    /// No type (a chain's receiver).
    case untyped
    case string, int, float64, bool, dictionary

    init(_ type: TemplateFunction.ParameterType) {
        switch type {
        case .any: self = .any
        case .string: self = .string
        case .int: self = .int
        case .float64: self = .float64
        case .bool: self = .bool
        case .dictionary: self = .dictionary
        }
    }

    var goName: String {
        switch self {
        case .any: return "interface {}"
        case .value: return "reflect.Value"
        case .untyped: return "<nil>"
        case .string: return "string"
        case .int: return "int"
        case .float64: return "float64"
        case .bool: return "bool"
        case .dictionary: return "map[string]interface {}"
        }
    }

    /// The noun Go's literal checks use (`expected integer; found "x"`).
    var literalName: String {
        switch self {
        case .int: return "integer"
        case .float64: return "float"
        default: return goName
        }
    }
}

extension TemplateValue {
    var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}
