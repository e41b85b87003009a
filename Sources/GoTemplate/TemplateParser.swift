/// Go's `text/template/parse` parser: turns one text into its top-level template and every `define`/`block` in it.
struct TemplateParser {
    /// A parse failure; `line` is the line of the furthest token read, as Go reports it.
    private struct Failure: Error {
        var message: String
        var line: Int
    }

    private let tokens: [Token]
    private let lexed: LexedText
    private var index = 0
    private var furthest = 0
    private let parseName: String
    private let source: SourceText
    private let functions: [String: TemplateFunction]
    private var variables: [String] = ["$"]
    private var rangeDepth = 0
    private var actionLine = 0
    private var nesting = 0
    private var definitions: [ParsedTemplate] = []

    /// Deeper nesting (parentheses, blocks) than this is a parse error rather than a risk to the stack.
    static let maxNesting = 10000

    static func parse(name: String, text: String, functions: [String: TemplateFunction]) throws(TemplateError)
        -> [ParsedTemplate]
    {
        let bytes = Array(text.utf8)
        let hasBreak = functions["break"] != nil
        let hasContinue = functions["continue"] != nil
        let lexed = TemplateLexer.tokenize(bytes, breakOK: !hasBreak, continueOK: !hasContinue)
        var parser = TemplateParser(lexed: lexed, parseName: name, source: SourceText(bytes), functions: functions)
        do throws(Failure) {
            let root = try parser.parseTop()
            var trees: [ParsedTemplate] = []
            var seen: [String: Int] = [:]
            // Go's Tree.add: within one text, a second non-empty definition of a name is an error.
            for tree in [ParsedTemplate(name: name, parseName: name, source: parser.source, root: root)] + parser.definitions {
                if let earlier = seen[tree.name] {
                    if trees[earlier].root.isEmptyTree {
                        trees[earlier] = tree
                    } else if !tree.root.isEmptyTree {
                        throw Failure(message: "template: multiple definition of template \(GoStrconv.quote(tree.name))",
                                      line: parser.furthestLine)
                    }
                } else {
                    seen[tree.name] = trees.count
                    trees.append(tree)
                }
            }
            return trees
        } catch {
            throw TemplateError(kind: .parse, templateName: name, line: error.line, message: error.message)
        }
    }

    private init(lexed: LexedText, parseName: String, source: SourceText, functions: [String: TemplateFunction]) {
        self.lexed = lexed
        self.tokens = lexed.tokens
        self.parseName = parseName
        self.source = source
        self.functions = functions
    }

    // MARK: Tokens

    private var furthestLine: Int { tokens.isEmpty ? 1 : line(of: tokens[min(furthest, tokens.count - 1)]) }

    private static let eofToken = Token(kind: .eof, position: 0, end: 0)

    private func line(of token: Token) -> Int { lexed.line(at: token.position) }

    /// The item's text (for an error item, the lexer's message).
    private func value(of token: Token) -> String {
        if token.kind == .error { return lexed.errorMessage }
        return String(decoding: source.text[token.position..<token.end], as: UTF8.self)
    }

    /// Whether the item's text is exactly `text` (without building a string).
    private func token(_ token: Token, is text: StaticString) -> Bool {
        let count = token.end - token.position
        guard count == text.utf8CodeUnitCount else { return false }
        let bytes = text.utf8Start
        for index in 0..<count where source.text[token.position + index] != bytes[index] { return false }
        return true
    }

    /// Go's `item.String()`, as parse errors quote items.
    private func describe(_ token: Token) -> String {
        switch token.kind {
        case .eof: return "EOF"
        case .error: return lexed.errorMessage
        default:
            let text = value(of: token)
            if token.kind.isKeyword { return "<\(text)>" }
            if text.unicodeScalars.count > 10 {
                return GoStrconv.quote(String(String.UnicodeScalarView(text.unicodeScalars.prefix(10)))) + "..."
            }
            return GoStrconv.quote(text)
        }
    }

    private func token(at position: Int) -> Token {
        if position < tokens.count { return tokens[position] }
        // Past the end (only after an error token, which stops parsing): behave like EOF.
        var eof = tokens.last ?? Self.eofToken
        eof.kind = .eof
        return eof
    }

    private mutating func next() -> Token {
        let token = token(at: index)
        furthest = max(furthest, index)
        index += 1
        return token
    }

    private mutating func backup(_ count: Int = 1) { index -= count }

    private mutating func peek() -> Token {
        furthest = max(furthest, index)
        return token(at: index)
    }

    private mutating func nextNonSpace() -> Token {
        var token = next()
        while token.kind == .space { token = next() }
        return token
    }

    private mutating func peekNonSpace() -> Token {
        let token = nextNonSpace()
        backup()
        return token
    }

    private func fail(_ message: String) -> Failure { Failure(message: message, line: furthestLine) }

    private func unexpected(_ token: Token, _ context: String) -> Failure {
        if token.kind == .error {
            var extra = ""
            let message = lexed.errorMessage
            if actionLine != 0 && actionLine != line(of: token) {
                extra = " in action started at \(parseName):\(actionLine)"
                if message.hasSuffix(" action") { extra = String(extra.dropFirst(" in action".count)) }
            }
            return fail(message + extra)
        }
        return fail("unexpected \(describe(token)) in \(context)")
    }

    private mutating func expect(_ kind: Token.Kind, _ context: String) throws(Failure) -> Token {
        let token = nextNonSpace()
        if token.kind != kind { throw unexpected(token, context) }
        return token
    }

    private func hasFunction(_ name: String) -> Bool { functions[name] != nil || Builtins.names.contains(name) }

    // MARK: Structure

    /// Items a list may end with besides EOF.
    private enum Terminator {
        case end(position: Int)
        case `else`(position: Int)

        var description: String {
            switch self {
            case .end: return "{{end}}"
            case .else: return "{{else}}"
            }
        }
    }

    private enum Item {
        case node(Node)
        case terminator(Terminator)
    }

    private mutating func parseTop() throws(Failure) -> ListNode {
        let start = peek().position
        var nodes: [Node] = []
        while peek().kind != .eof {
            if peek().kind == .leftDelim {
                let delimIndex = index
                _ = next()
                if nextNonSpace().kind == .define {
                    try parseDefinition()
                    continue
                }
                index = delimIndex
            }
            switch try textOrAction() {
            case .terminator(let terminator): throw fail("unexpected \(terminator.description)")
            case .node(let node): nodes.append(node)
            }
        }
        return ListNode(position: start, nodes: nodes)
    }

    private mutating func parseDefinition() throws(Failure) {
        let context = "define clause"
        let nameToken = nextNonSpace()
        guard nameToken.kind == .string || nameToken.kind == .rawString else { throw unexpected(nameToken, context) }
        let name = try unquote(nameToken)
        _ = try expect(.rightDelim, context)
        let savedVariables = variables
        variables = ["$"]
        let (list, end) = try itemList()
        variables = savedVariables
        guard case .end = end else { throw fail("unexpected \(end.description) in \(context)") }
        definitions.append(ParsedTemplate(name: name, parseName: parseName, source: source, root: list))
    }

    private mutating func itemList() throws(Failure) -> (ListNode, Terminator) {
        nesting += 1
        defer { nesting -= 1 }
        if nesting > Self.maxNesting || !StackGuard.hasRoom(depth: nesting) { throw fail("max nesting depth exceeded") }
        let start = peekNonSpace().position
        var nodes: [Node] = []
        while peekNonSpace().kind != .eof {
            switch try textOrAction() {
            case .terminator(let terminator): return (ListNode(position: start, nodes: nodes), terminator)
            case .node(let node): nodes.append(node)
            }
        }
        throw fail("unexpected EOF")
    }

    private mutating func textOrAction() throws(Failure) -> Item {
        let token = nextNonSpace()
        switch token.kind {
        case .text:
            return .node(.text(TextNode(position: token.position, text: Array(source.text[token.position..<token.end]))))
        case .leftDelim:
            actionLine = line(of: token)
            defer { actionLine = 0 }
            return try action()
        default:
            throw unexpected(token, "input")
        }
    }

    private mutating func action() throws(Failure) -> Item {
        let token = nextNonSpace()
        switch token.kind {
        case .block: return .node(try blockControl())
        case .break:
            let next = nextNonSpace()
            if next.kind != .rightDelim { throw unexpected(next, "{{break}}") }
            if rangeDepth == 0 { throw fail("{{break}} outside {{range}}") }
            return .node(.break(position: token.position))
        case .continue:
            let next = nextNonSpace()
            if next.kind != .rightDelim { throw unexpected(next, "{{continue}}") }
            if rangeDepth == 0 { throw fail("{{continue}} outside {{range}}") }
            return .node(.continue(position: token.position))
        case .else:
            let peeked = peekNonSpace()
            if peeked.kind == .if || peeked.kind == .with { return .terminator(.else(position: peeked.position)) }
            let close = try expect(.rightDelim, "else")
            return .terminator(.else(position: close.position))
        case .end:
            let close = try expect(.rightDelim, "end")
            return .terminator(.end(position: close.position))
        case .if: return .node(.branch(try parseControl(.if)))
        case .range: return .node(.branch(try parseControl(.range)))
        case .with: return .node(.branch(try parseControl(.with)))
        case .template: return .node(try templateControl())
        default:
            backup()
            let first = peek()
            let pipe = try pipeline("command", end: .rightDelim)
            return .node(.action(ActionNode(position: first.position, pipe: pipe)))
        }
    }

    private mutating func parseControl(_ kind: BranchNode.Kind) throws(Failure) -> BranchNode {
        let context: String
        switch kind {
        case .if: context = "if"
        case .range: context = "range"
        case .with: context = "with"
        }
        let savedVariables = variables.count
        defer { variables.removeSubrange(savedVariables...) }
        let pipe = try pipeline(context, end: .rightDelim)
        if kind == .range { rangeDepth += 1 }
        let (list, next) = try itemList()
        if kind == .range { rangeDepth -= 1 }
        var elseList: ListNode?
        if case .else(let position) = next {
            if kind == .if && peek().kind == .if {
                _ = self.next()
                elseList = ListNode(position: position, nodes: [.branch(try parseControl(.if))])
            } else if kind == .with && peek().kind == .with {
                _ = self.next()
                elseList = ListNode(position: position, nodes: [.branch(try parseControl(.with))])
            } else {
                let (list, end) = try itemList()
                guard case .end = end else { throw fail("expected end; found \(end.description)") }
                elseList = list
            }
        }
        return BranchNode(kind: kind, position: pipe.position, pipe: pipe, list: list, elseList: elseList)
    }

    private mutating func blockControl() throws(Failure) -> Node {
        let context = "block clause"
        let token = nextNonSpace()
        let name = try templateName(token, context)
        let pipe = try pipeline(context, end: .rightDelim)
        let savedVariables = variables
        let savedRangeDepth = rangeDepth
        variables = ["$"]
        rangeDepth = 0
        let (list, end) = try itemList()
        variables = savedVariables
        rangeDepth = savedRangeDepth
        guard case .end = end else { throw fail("unexpected \(end.description) in \(context)") }
        definitions.append(ParsedTemplate(name: name, parseName: parseName, source: source, root: list))
        return .template(TemplateCallNode(position: token.position, name: name, pipe: pipe))
    }

    private mutating func templateControl() throws(Failure) -> Node {
        let context = "template clause"
        let token = nextNonSpace()
        let name = try templateName(token, context)
        var pipe: PipeNode?
        if nextNonSpace().kind != .rightDelim {
            backup()
            pipe = try pipeline(context, end: .rightDelim)
        }
        return .template(TemplateCallNode(position: token.position, name: name, pipe: pipe))
    }

    private mutating func templateName(_ token: Token, _ context: String) throws(Failure) -> String {
        guard token.kind == .string || token.kind == .rawString else { throw unexpected(token, context) }
        return try unquote(token)
    }

    // MARK: Pipelines

    private mutating func pipeline(_ context: String, end: Token.Kind) throws(Failure) -> PipeNode {
        nesting += 1
        defer { nesting -= 1 }
        if nesting > Self.maxNesting || !StackGuard.hasRoom(depth: nesting) { throw fail("max nesting depth exceeded") }
        let start = peekNonSpace()
        var declarations: [String] = []
        var isAssign = false
        declarations: while true {
            let variable = peekNonSpace()
            guard variable.kind == .variable else { break }
            _ = next()
            let afterIndex = index
            let tokenAfterVariable = peek()
            let following = peekNonSpace()
            if following.kind == .assign || following.kind == .declare {
                isAssign = following.kind == .assign
                _ = nextNonSpace()
                declarations.append(value(of: variable))
                variables.append(value(of: variable))
            } else if following.kind == .char && token(following, is: ",") {
                _ = nextNonSpace()
                declarations.append(value(of: variable))
                variables.append(value(of: variable))
                if context == "range" && declarations.count < 2 {
                    switch peekNonSpace().kind {
                    case .variable, .rightDelim, .rightParen: continue declarations
                    default: throw fail("range can only initialize variables")
                    }
                }
                throw fail("too many declarations in \(context)")
            } else {
                // Not a declaration: the variable is the pipeline's first operand (Go's backup2/backup3).
                _ = tokenAfterVariable
                index = afterIndex - 1
            }
            break
        }
        var commands: [CommandNode] = []
        while true {
            let token = nextNonSpace()
            switch token.kind {
            case end:
                let pipe = PipeNode(position: start.position, isAssign: isAssign, declarations: declarations, commands: commands)
                try checkPipeline(pipe, context)
                return pipe
            case .bool, .charConstant, .complex, .dot, .field, .identifier, .number, .nil, .rawString, .string,
                .variable, .leftParen:
                backup()
                commands.append(try command())
            default:
                throw unexpected(token, context)
            }
        }
    }

    private func checkPipeline(_ pipe: PipeNode, _ context: String) throws(Failure) {
        if pipe.commands.isEmpty { throw fail("missing value for \(context)") }
        for (offset, command) in pipe.commands.dropFirst().enumerated() {
            switch command.args.first {
            case .bool, .dot, .nil, .number, .string:
                throw fail("non executable command in pipeline stage \(offset + 2)")
            default: break
            }
        }
    }

    private mutating func command() throws(Failure) -> CommandNode {
        let start = peekNonSpace().position
        var args: [ArgNode] = []
        loop: while true {
            _ = peekNonSpace()
            if let operand = try operand() { args.append(operand) }
            let token = next()
            switch token.kind {
            case .space: continue loop
            case .rightDelim, .rightParen: backup()
            case .pipe: break
            default: throw unexpected(token, "operand")
            }
            break
        }
        if args.isEmpty { throw fail("empty command") }
        return CommandNode(position: start, args: args)
    }

    private mutating func operand() throws(Failure) -> ArgNode? {
        guard let term = try term() else { return nil }
        guard peek().kind == .field else { return term }
        let chainPosition = peek().position
        var fields: [String] = []
        while peek().kind == .field { fields.append(String(value(of: next()).dropFirst())) }
        switch term {
        case .field(_, let names): return .field(position: chainPosition, names: names + fields)
        case .variable(_, let names): return .variable(position: chainPosition, names: names + fields)
        case .bool, .string, .number, .nil, .dot:
            throw fail("unexpected . after term \(GoStrconv.quote(term.description))")
        default: return .chain(position: chainPosition, node: term, fields: fields)
        }
    }

    private mutating func term() throws(Failure) -> ArgNode? {
        let token = nextNonSpace()
        switch token.kind {
        case .identifier:
            let name = value(of: token)
            if !hasFunction(name) { throw fail("function \(GoStrconv.quote(name)) not defined") }
            return .identifier(position: token.position, name: name)
        case .dot: return .dot(position: token.position)
        case .nil: return .nil(position: token.position)
        case .variable:
            let name = value(of: token)
            if !variables.contains(name) { throw fail("undefined variable \(GoStrconv.quote(name))") }
            return .variable(position: token.position, names: [name])
        case .field: return .field(position: token.position, names: [String(value(of: token).dropFirst())])
        case .bool: return .bool(position: token.position, value: self.token(token, is: "true"))
        case .charConstant, .complex, .number:
            return .number(position: token.position, constant: try number(token))
        case .leftParen:
            return .pipe(try pipeline("parenthesized pipeline", end: .rightParen))
        case .string, .rawString:
            return .string(position: token.position, quoted: value(of: token), text: try unquote(token))
        default:
            backup()
            return nil
        }
    }

    // MARK: Literals

    private func unquote(_ token: Token) throws(Failure) -> String {
        let text = value(of: token)
        if token.kind == .rawString {
            guard text.count >= 2 else { throw fail("invalid syntax") }
            // Go drops carriage returns from raw strings.
            return String(text.dropFirst().dropLast()).replacingCarriageReturns()
        }
        let bytes = text.utf8
        // Fast path: no escapes.
        if bytes.count >= 2, !bytes.dropFirst().dropLast().contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 == 0x0A }) {
            return String(decoding: bytes.dropFirst().dropLast(), as: UTF8.self)
        }
        let scalars = text.unicodeScalars
        guard scalars.count >= 2, scalars.first == "\"", scalars.last == "\"",
            let bytes = GoStrconv.unquote(Substring(text).unicodeScalars.dropFirst().dropLast(), quote: "\"")
        else { throw fail("invalid syntax") }
        return String(decoding: bytes, as: UTF8.self)
    }

    private func number(_ token: Token) throws(Failure) -> NumberConstant {
        let text = value(of: token)
        var constant = NumberConstant(text: text)
        switch token.kind {
        case .charConstant:
            let scalars = Substring(text).unicodeScalars
            guard let body = GoStrconv.unquote(scalars.dropFirst().dropLast(), quote: "'"), scalars.count >= 3 else {
                throw fail("invalid syntax")
            }
            let decoded = String(decoding: body, as: UTF8.self).unicodeScalars
            guard decoded.count == 1, let scalar = decoded.first else { throw fail("malformed character constant: \(text)") }
            let value = body.count == 1 ? Int64(body[0]) : Int64(scalar.value)
            constant.isInt = true
            constant.isUint = true
            constant.isFloat = true
            constant.int = value
            constant.float = Double(value)
            return constant
        case .complex:
            throw fail("complex constants are not supported: \(GoStrconv.quote(text))")
        default:
            break
        }
        let parsed = GoNumberSyntax.parseInteger(text)
        switch parsed {
        case .value(let value):
            constant.isInt = true
            constant.int = value
            constant.isUint = value >= 0
            constant.isFloat = true
            constant.float = Double(value)
        case .unsignedOnly(let value):
            constant.isUint = true
            constant.isFloat = true
            constant.float = Double(value)
        case .invalid:
            guard let float = GoNumberSyntax.parseFloat(text) else { throw fail("illegal number syntax: \(GoStrconv.quote(text))") }
            if !text.contains(where: { ".eEpP".contains($0) }) { throw fail("integer overflow: \(GoStrconv.quote(text))") }
            constant.isFloat = true
            constant.float = float
            if float.rounded(.towardZero) == float, abs(float) < 9.2e18 {
                constant.isInt = true
                constant.int = Int64(float)
                constant.isUint = float >= 0
            }
        }
        return constant
    }
}

extension String {
    fileprivate func replacingCarriageReturns() -> String {
        guard contains("\r") else { return self }
        return String(String.UnicodeScalarView(unicodeScalars.filter { $0 != "\r" }))
    }
}
