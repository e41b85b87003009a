/// An error a builtin returns; the executor reports it as `error calling NAME: message`.
struct BuiltinError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

/// One of `text/template`'s predefined functions, with its Go parameter list.
struct Builtin: Sendable {
    enum Kind: Sendable { case and, or, not, len, index, slice, print, printf, println, html, js, urlquery, call
        case eq, ne, lt, le, gt, ge
    }

    let kind: Kind
    let fixed: [ArgType]
    let variadic: ArgType?

    /// `calleeText` is the text of the first argument node (`call` names it in errors, as go1.23 does).
    func call(_ args: [ExecValue], _ set: TemplateSet, calleeText: String = "") throws(BuiltinError) -> ExecValue {
        switch kind {
        case .and, .or: return args.last ?? .invalid  // evaluated lazily by the executor
        case .not: return .concrete(.bool(!args[0].isTrue))
        case .len: return .concrete(.int(try Builtins.length(args[0])))
        case .index: return try Builtins.index(args[0], args.dropFirst())
        case .slice: return try Builtins.slice(args[0], args.dropFirst())
        case .print: return .concrete(.string(GoFormat.sprint(args.map(\.templateValue))))
        case .println: return .concrete(.string(GoFormat.sprintln(args.map(\.templateValue))))
        case .printf:
            return .concrete(.string(GoFormat.sprintf(args[0].templateValue.stringValue, args.dropFirst().map(\.templateValue))))
        case .html: return .concrete(.string(Builtins.htmlEscape(Builtins.evalArgs(args))))
        case .js: return .concrete(.string(Builtins.jsEscape(Builtins.evalArgs(args))))
        case .urlquery: return .concrete(.string(Builtins.queryEscape(Builtins.evalArgs(args))))
        case .call: return try Builtins.call(args[0], args.dropFirst(), calleeText: calleeText)
        case .eq: return .concrete(.bool(try Builtins.eq(args[0], args.dropFirst())))
        case .ne: return .concrete(.bool(!(try Builtins.eq(args[0], args[1...]))))
        case .lt: return .concrete(.bool(try Builtins.lt(args[0], args[1])))
        case .le: return .concrete(.bool(try Builtins.le(args[0], args[1])))
        case .gt: return .concrete(.bool(!(try Builtins.le(args[0], args[1]))))
        case .ge: return .concrete(.bool(!(try Builtins.lt(args[0], args[1]))))
        }
    }
}

/// `text/template`'s predefined functions (Go's `funcs.go` semantics, messages included).
enum Builtins {
    static let table: [String: Builtin] = [
        "and": Builtin(kind: .and, fixed: [.value], variadic: .value),
        "or": Builtin(kind: .or, fixed: [.value], variadic: .value),
        "not": Builtin(kind: .not, fixed: [.value], variadic: nil),
        "len": Builtin(kind: .len, fixed: [.value], variadic: nil),
        "index": Builtin(kind: .index, fixed: [.value], variadic: .value),
        "slice": Builtin(kind: .slice, fixed: [.value], variadic: .value),
        "print": Builtin(kind: .print, fixed: [], variadic: .any),
        "printf": Builtin(kind: .printf, fixed: [.string], variadic: .any),
        "println": Builtin(kind: .println, fixed: [], variadic: .any),
        "html": Builtin(kind: .html, fixed: [], variadic: .any),
        "js": Builtin(kind: .js, fixed: [], variadic: .any),
        "urlquery": Builtin(kind: .urlquery, fixed: [], variadic: .any),
        "call": Builtin(kind: .call, fixed: [.value], variadic: .value),
        "eq": Builtin(kind: .eq, fixed: [.value], variadic: .value),
        "ne": Builtin(kind: .ne, fixed: [.value, .value], variadic: nil),
        "lt": Builtin(kind: .lt, fixed: [.value, .value], variadic: nil),
        "le": Builtin(kind: .le, fixed: [.value, .value], variadic: nil),
        "gt": Builtin(kind: .gt, fixed: [.value, .value], variadic: nil),
        "ge": Builtin(kind: .ge, fixed: [.value, .value], variadic: nil),
    ]

    static let names: Set<String> = Set(table.keys)

    // MARK: len, index, slice

    static func length(_ item: ExecValue) throws(BuiltinError) -> Int {
        switch item {
        case .invalid: throw BuiltinError("reflect: call of reflect.Value.Type on zero Value")
        case .boxed(.null), .concrete(.null): throw BuiltinError("len of nil pointer")
        case .boxed(let value), .concrete(let value):
            switch value {
            case .string(let string): return GoByteString.byteCount(string)
            case .list(let elements): return elements.count
            case .nilList: return 0
            case .map(let members): return members.count
            case .dict(let map): return map.count
            case .object(let object) where object.mapEntries != nil: return object.mapEntries?.count ?? 0
            default: throw BuiltinError("len of type \(value.goTypeName)")
            }
        }
    }

    /// Go's `indexArg`: an integer index in 0...cap.
    private static func indexArgument(_ index: ExecValue, cap: Int) throws(BuiltinError) -> Int {
        guard let value = index.indirect else { throw BuiltinError("cannot index slice/array with nil") }
        guard let x = value.integerValue else { throw BuiltinError("cannot index slice/array with type \(value.goTypeName)") }
        if x < 0 || x > cap { throw BuiltinError("index out of range: \(x)") }
        return x
    }

    static func index(_ item: ExecValue, _ indexes: ArraySlice<ExecValue>) throws(BuiltinError) -> ExecValue {
        guard item.indirect != nil else { throw BuiltinError("index of untyped nil") }
        var current = item
        for index in indexes {
            guard let value = current.indirect else { throw BuiltinError("index of nil pointer") }
            switch value {
            case .list, .nilList:
                let elements = value.listElements ?? []
                let x = try indexArgument(index, cap: elements.count)
                guard x < elements.count else { throw BuiltinError("reflect: slice index out of range") }
                current = .boxed(elements[x])
            case .string(let string):
                let bytes = GoByteString.bytes(string)
                let x = try indexArgument(index, cap: bytes.count)
                guard x < bytes.count else { throw BuiltinError("reflect: string index out of range") }
                current = .concrete(.int(Int(bytes[x])))
            case .object(let object) where object.mapEntries != nil:
                guard let key = index.indirect else { throw BuiltinError("value is nil; should be of type string") }
                guard case .string(let name) = key else {
                    throw BuiltinError("value has type \(key.goTypeName); should be string")
                }
                current = .concrete(object.mapEntries?[name] ?? .list([]))
            case .map, .dict:
                guard let members = value.templateMap else { break }
                guard let key = index.indirect else { throw BuiltinError("value is nil; should be of type string") }
                guard case .string(let name) = key else {
                    throw BuiltinError("value has type \(key.goTypeName); should be string")
                }
                let member = members[name] ?? members.zeroValue
                current = members.element == .any ? .boxed(member) : .concrete(member)
            default:
                throw BuiltinError("can't index item of type \(value.goTypeName)")
            }
        }
        return current
    }

    static func slice(_ item: ExecValue, _ indexes: ArraySlice<ExecValue>) throws(BuiltinError) -> ExecValue {
        guard let value = item.indirect else { throw BuiltinError("slice of untyped nil") }
        if indexes.count > 3 { throw BuiltinError("too many slice indexes: \(indexes.count)") }
        let length: Int
        switch value {
        case .string(let string):
            if indexes.count == 3 { throw BuiltinError("cannot 3-index slice a string") }
            length = GoByteString.byteCount(string)
        case .list(let elements):
            length = elements.count
        case .nilList:
            length = 0
        default:
            throw BuiltinError("can't slice item of type \(value.goTypeName)")
        }
        var bounds = [0, length, length]
        for (offset, index) in indexes.enumerated() { bounds[offset] = try indexArgument(index, cap: length) }
        if bounds[0] > bounds[1] { throw BuiltinError("invalid slice index: \(bounds[0]) > \(bounds[1])") }
        if indexes.count == 3 && bounds[1] > bounds[2] {
            throw BuiltinError("invalid slice index: \(bounds[1]) > \(bounds[2])")
        }
        switch value {
        case .string(let string):
            return .concrete(.string(GoByteString.string(GoByteString.bytes(string)[bounds[0]..<bounds[1]])))
        case .list(let elements):
            return .concrete(.list(Array(elements[bounds[0]..<bounds[1]])))
        case .nilList:
            return .concrete(.nilList)
        default:
            return .invalid
        }
    }

    // MARK: call

    static func call(_ function: ExecValue, _ args: ArraySlice<ExecValue>, calleeText: String) throws(BuiltinError) -> ExecValue {
        guard let value = function.indirect else { throw BuiltinError("call of nil") }
        guard case .function(let callee) = value else {
            throw BuiltinError("non-function \(calleeText) of type \(value.goTypeName)")
        }
        do {
            let result = try callee.call(args.map(\.templateValue))
            return result.isNull ? .boxed(.null) : .concrete(result.shared())
        } catch {
            throw BuiltinError(TemplateExecutor.describe(error))
        }
    }

    // MARK: Comparison

    private enum BasicKind: Equatable { case invalid, bool, int, float, string }

    private static func basicKind(_ value: TemplateValue?) -> BasicKind {
        switch value {
        case .bool: return .bool
        case .int, .int64: return .int
        case .float: return .float
        case .string: return .string
        default: return .invalid
        }
    }

    private static func reflectKind(_ value: TemplateValue?) -> String { value?.goKind ?? "invalid" }

    static func eq(_ first: ExecValue, _ others: ArraySlice<ExecValue>) throws(BuiltinError) -> Bool {
        let a = first.indirect
        if others.isEmpty { throw BuiltinError("missing argument for comparison") }
        let k1 = basicKind(a)
        for other in others {
            let b = other.indirect
            let k2 = basicKind(b)
            var truth = false
            if k1 != k2 {
                if a != nil && b != nil { throw BuiltinError("incompatible types for comparison") }
            } else {
                switch (a, b) {
                case (.bool(let x), .bool(let y)): truth = x == y
                case (.int(let x), .int(let y)), (.int(let x), .int64(let y)), (.int64(let x), .int(let y)),
                     (.int64(let x), .int64(let y)):
                    truth = x == y
                case (.float(let x), .float(let y)): truth = x == y
                case (.string(let x), .string(let y)): truth = x.utf8.elementsEqual(y.utf8)
                default:
                    if reflectKind(a) != reflectKind(b) && a != nil && b != nil {
                        throw BuiltinError(GoFormat.sprintf(
                            "non-comparable types %s: %v, %s: %v",
                            [a ?? .null, .string(a?.goTypeName ?? ""), .string(b?.goTypeName ?? ""), b ?? .null]))
                    }
                    if a == nil || b == nil {
                        truth = (a == nil) == (b == nil)
                    } else if let b {
                        switch b {
                        case .list, .nilList, .map, .dict, .function:
                            throw BuiltinError(GoFormat.sprintf("non-comparable type %s: %v", [b, .string(b.goTypeName)]))
                        default:
                            truth = a?.deepEquals(b) ?? false
                        }
                    }
                }
            }
            if truth { return true }
        }
        return false
    }

    static func lt(_ first: ExecValue, _ second: ExecValue) throws(BuiltinError) -> Bool {
        let a = first.indirect
        let b = second.indirect
        let k1 = basicKind(a)
        let k2 = basicKind(b)
        if k1 == .invalid || k2 == .invalid { throw BuiltinError("invalid type for comparison") }
        if k1 != k2 { throw BuiltinError("incompatible types for comparison") }
        switch (a, b) {
        case (.int(let x), .int(let y)), (.int(let x), .int64(let y)), (.int64(let x), .int(let y)),
             (.int64(let x), .int64(let y)):
            return x < y
        case (.float(let x), .float(let y)): return x < y
        case (.string(let x), .string(let y)): return x.utf8.lexicographicallyPrecedes(y.utf8)
        default: throw BuiltinError("invalid type for comparison")
        }
    }

    static func le(_ first: ExecValue, _ second: ExecValue) throws(BuiltinError) -> Bool {
        if try lt(first, second) { return true }
        return try eq(first, [second])
    }

    // MARK: Escapers

    /// Go's `evalArgs`: one string argument as it is, otherwise `fmt.Sprint` with missing values as `<no value>`.
    static func evalArgs(_ args: [ExecValue]) -> String {
        if args.count == 1, case .string(let string)? = args[0].indirect { return string }
        let printable = args.map { arg -> TemplateValue in
            guard let value = arg.indirect else { return .string("<no value>") }
            return value
        }
        return GoFormat.sprint(printable)
    }

    static func htmlEscape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0 || $0 == 0x22 || $0 == 0x27 || $0 == 0x26 || $0 == 0x3C || $0 == 0x3E })
        else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 {
            switch byte {
            case 0: out += Array("\u{FFFD}".utf8)
            case 0x22: out += Array("&#34;".utf8)
            case 0x27: out += Array("&#39;".utf8)
            case 0x26: out += Array("&amp;".utf8)
            case 0x3C: out += Array("&lt;".utf8)
            case 0x3E: out += Array("&gt;".utf8)
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func jsEscape(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value >= 0x80 {
                if GoStrconv.isPrint(value) {
                    out += Array(String(scalar).utf8)
                } else {
                    out += Array(GoFormat.sprintf("\\u%04X", [.int(Int(value))]).utf8)
                }
                continue
            }
            let byte = UInt8(value)
            switch byte {
            case 0x5C: out += Array("\\\\".utf8)
            case 0x27: out += Array("\\'".utf8)
            case 0x22: out += Array("\\\"".utf8)
            case 0x3C: out += Array("\\u003C".utf8)
            case 0x3E: out += Array("\\u003E".utf8)
            case 0x26: out += Array("\\u0026".utf8)
            case 0x3D: out += Array("\\u003D".utf8)
            default:
                if byte < 0x20 {
                    out += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
                } else {
                    out.append(byte)
                }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Go's `url.QueryEscape`.
    static func queryEscape(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.append(byte)
            case UInt8(ascii: " "):
                out.append(UInt8(ascii: "+"))
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension TemplateValue {
    var stringValue: String {
        if case .string(let string) = self { return string }
        return ""
    }
}
