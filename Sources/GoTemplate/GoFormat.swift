import GitOpsKit

/// Go's `fmt.Sprintf`, `Sprint` and `Sprintln` over template values, byte for byte: verbs `%v %+v %#v %T %d %s %q
/// %f %F %e %E %g %G %x %X %o %O %b %t %c %U %%`, width, precision, `*`, explicit argument indexes and the flags
/// `-+# 0`, plus Go's error forms (`%!d(string=x)`, `%!d(MISSING)`, `%!(EXTRA int=1)`, `%!(NOVERB)`).
///
/// Templates print every value through `fmt`, and charts `printf` floats that came from YAML, so the engine,
/// Sprig and Helm's layer all format with this.
///
/// Usage:
/// ```swift
/// GoFormat.sprintf("%s-%03d", [.string("web"), .int(7)])   // "web-007"
/// GoFormat.format(.map(["b": .int(2), "a": .float(1.5)]))   // "map[a:1.5 b:2]"
/// ```
public enum GoFormat {
    /// `fmt.Sprintf(format, args...)`.
    public static func sprintf(_ format: String, _ args: [TemplateValue]) -> String {
        var printer = GoPrinter()
        printer.doPrintf(Array(format.utf8), args)
        return printer.result
    }

    /// `fmt.Sprint(args...)`: a space between operands when neither side is a string.
    public static func sprint(_ args: [TemplateValue]) -> String {
        var printer = GoPrinter()
        var previousIsString = false
        for (index, arg) in args.enumerated() {
            let isString: Bool
            if case .string = arg { isString = true } else { isString = false }
            if index > 0 && !isString && !previousIsString { printer.buf.append(UInt8(ascii: " ")) }
            printer.printArg(arg, verb: UInt8(ascii: "v"))
            previousIsString = isString
        }
        return printer.result
    }

    /// `fmt.Sprintln(args...)`: spaces between all operands and a trailing newline.
    public static func sprintln(_ args: [TemplateValue]) -> String {
        var printer = GoPrinter()
        for (index, arg) in args.enumerated() {
            if index > 0 { printer.buf.append(UInt8(ascii: " ")) }
            printer.printArg(arg, verb: UInt8(ascii: "v"))
        }
        printer.buf.append(UInt8(ascii: "\n"))
        return printer.result
    }

    /// `fmt.Sprint(value)`, the `%v` text of one value (strings as they are, `<nil>` for nil).
    public static func format(_ value: TemplateValue) -> String {
        switch value {
        case .string(let string): return string
        case .int(let int), .int64(let int): return String(int)
        case .bool(let bool): return bool ? "true" : "false"
        case .float(let double): return GoFloatFormatting.formatG(double)
        default:
            var printer = GoPrinter()
            printer.printArg(value, verb: UInt8(ascii: "v"))
            return printer.result
        }
    }
}
