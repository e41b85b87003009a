/// The text a template was parsed from (shared by every template `define`d in it), for error positions.
final class SourceText: Sendable {
    let text: [UInt8]
    init(_ text: [UInt8]) { self.text = text }

    /// Go's `ErrorContext` location: 1-based line and the byte offset within it (on the first line, the offset
    /// in the text).
    func location(of position: Int) -> (line: Int, column: Int) {
        let end = min(max(position, 0), text.count)
        var line = 1
        var lastNewline = -1
        for index in 0..<end where text[index] == 0x0A {
            line += 1
            lastNewline = index
        }
        return (line, lastNewline < 0 ? end : end - lastNewline - 1)
    }
}

/// A sequence of nodes: a template body or a branch of `if`/`range`/`with`.
final class ListNode: Sendable {
    let position: Int
    let nodes: [Node]
    init(position: Int, nodes: [Node]) {
        self.position = position
        self.nodes = nodes
    }

    /// Go's `IsEmptyTree`: nothing but space and comments.
    var isEmptyTree: Bool {
        nodes.allSatisfy { node in
            switch node {
            case .comment: return true
            case .text(let text): return text.text.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x0B || $0 == 0x0C }
            default: return false
            }
        }
    }

    var description: String { nodes.map(\.description).joined() }
}

/// A statement-level node.
enum Node: Sendable {
    case text(TextNode)
    case action(ActionNode)
    case comment
    case branch(BranchNode)
    case template(TemplateCallNode)
    case `break`(position: Int)
    case `continue`(position: Int)

    var description: String {
        switch self {
        case .text(let text): return String(decoding: text.text, as: UTF8.self)
        case .action(let action): return "{{" + action.pipe.description + "}}"
        case .comment: return "{{/* */}}"
        case .branch(let branch): return branch.description
        case .template(let call): return call.description
        case .break: return "{{break}}"
        case .continue: return "{{continue}}"
        }
    }
}

final class TextNode: Sendable {
    let position: Int
    let text: [UInt8]
    init(position: Int, text: [UInt8]) {
        self.position = position
        self.text = text
    }
}

final class ActionNode: Sendable {
    let position: Int
    let pipe: PipeNode
    init(position: Int, pipe: PipeNode) {
        self.position = position
        self.pipe = pipe
    }
}

/// `if`, `range` and `with`.
final class BranchNode: Sendable {
    enum Kind: Sendable { case `if`, range, with }
    let kind: Kind
    let position: Int
    let pipe: PipeNode
    let list: ListNode
    let elseList: ListNode?
    init(kind: Kind, position: Int, pipe: PipeNode, list: ListNode, elseList: ListNode?) {
        self.kind = kind
        self.position = position
        self.pipe = pipe
        self.list = list
        self.elseList = elseList
    }

    var description: String {
        let name: String
        switch kind {
        case .if: name = "if"
        case .range: name = "range"
        case .with: name = "with"
        }
        var text = "{{" + name + " " + pipe.description + "}}" + list.description
        if let elseList { text += "{{else}}" + elseList.description }
        return text + "{{end}}"
    }
}

/// `{{template "name" pipeline}}` (also what `block` leaves in place).
final class TemplateCallNode: Sendable {
    let position: Int
    let name: String
    let pipe: PipeNode?
    init(position: Int, name: String, pipe: PipeNode?) {
        self.position = position
        self.name = name
        self.pipe = pipe
    }

    var description: String {
        var text = "{{template " + GoStrconv.quote(name)
        if let pipe { text += " " + pipe.description }
        return text + "}}"
    }
}

/// `$x, $y := cmd | cmd`.
final class PipeNode: Sendable {
    let position: Int
    let isAssign: Bool
    let declarations: [String]
    let commands: [CommandNode]
    init(position: Int, isAssign: Bool, declarations: [String], commands: [CommandNode]) {
        self.position = position
        self.isAssign = isAssign
        self.declarations = declarations
        self.commands = commands
    }

    var description: String {
        var text = ""
        if !declarations.isEmpty { text = declarations.joined(separator: ", ") + " := " }
        return text + commands.map(\.description).joined(separator: " | ")
    }
}

/// One command: an operand followed by arguments.
final class CommandNode: Sendable {
    let position: Int
    let args: [ArgNode]
    init(position: Int, args: [ArgNode]) {
        self.position = position
        self.args = args
    }

    var description: String {
        args.map { arg in
            if case .pipe(let pipe) = arg { return "(" + pipe.description + ")" }
            return arg.description
        }.joined(separator: " ")
    }
}

/// A parsed number constant, stored under every type that can represent it (Go's `NumberNode`).
struct NumberConstant: Sendable {
    var text: String
    var isInt = false
    var isUint = false
    var isFloat = false
    var int: Int64 = 0
    var float: Double = 0
}

/// An operand.
indirect enum ArgNode: Sendable {
    case field(position: Int, names: [String])
    /// `$x.a.b`: names[0] is the variable (with its `$`).
    case variable(position: Int, names: [String])
    /// `(pipeline).a.b` or `fn.a`: a term followed by fields.
    case chain(position: Int, node: ArgNode, fields: [String])
    case identifier(position: Int, name: String)
    case dot(position: Int)
    case `nil`(position: Int)
    case bool(position: Int, value: Bool)
    case number(position: Int, constant: NumberConstant)
    case string(position: Int, quoted: String, text: String)
    case pipe(PipeNode)

    var position: Int {
        switch self {
        case .field(let position, _), .variable(let position, _), .chain(let position, _, _),
            .identifier(let position, _), .dot(let position), .nil(let position), .bool(let position, _),
            .number(let position, _), .string(let position, _, _):
            return position
        case .pipe(let pipe): return pipe.position
        }
    }

    var description: String {
        switch self {
        case .field(_, let names): return names.map { "." + $0 }.joined()
        case .variable(_, let names): return names.joined(separator: ".")
        case .chain(_, let node, let fields):
            let head: String
            if case .pipe(let pipe) = node { head = "(" + pipe.description + ")" } else { head = node.description }
            return head + fields.map { "." + $0 }.joined()
        case .identifier(_, let name): return name
        case .dot: return "."
        case .nil: return "nil"
        case .bool(_, let value): return value ? "true" : "false"
        case .number(_, let constant): return constant.text
        case .string(_, let quoted, _): return quoted
        case .pipe(let pipe): return pipe.description
        }
    }
}
