import GitOpsKit

/// The state of one `fmt` call (Go's `pp` plus its `fmt`): an output buffer and the current verb's flags.
struct GoPrinter {
    struct Flags {
        var widthPresent = false
        var precisionPresent = false
        var minus = false
        var plus = false
        var sharp = false
        var space = false
        var zero = false
        var plusV = false
        var sharpV = false
        var width = 0
        var precision = 0
    }

    var buf: [UInt8] = []
    var flags = Flags()
    /// Set while printing a bad verb's operand, when Go skips `String()` methods.
    private var erroring = false
    /// The maps being printed, outermost first: a map that holds itself prints `<cycle>` where it recurs (Go's
    /// `fmt` would recurse until the stack runs out).
    private var printingMaps: Set<ObjectIdentifier> = []

    var result: String { String(decoding: buf, as: UTF8.self) }

    private static let lowerDigits = Array("0123456789abcdefx".utf8)
    private static let upperDigits = Array("0123456789ABCDEFX".utf8)

    // MARK: Printf

    mutating func doPrintf(_ format: [UInt8], _ args: [TemplateValue]) {
        let end = format.count
        var argNum = 0
        var afterIndex = false
        var reordered = false
        var i = 0
        formatLoop: while i < end {
            var goodArgNum = true
            let lastI = i
            while i < end && format[i] != UInt8(ascii: "%") { i += 1 }
            if i > lastI { buf += format[lastI..<i] }
            if i >= end { break }
            i += 1  // skip %
            flags = Flags()
            simpleFormat: while i < end {
                let c = format[i]
                switch c {
                case UInt8(ascii: "#"): flags.sharp = true
                case UInt8(ascii: "0"): flags.zero = !flags.minus
                case UInt8(ascii: "+"): flags.plus = true
                case UInt8(ascii: "-"):
                    flags.minus = true
                    flags.zero = false
                case UInt8(ascii: " "): flags.space = true
                default:
                    if c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z") && argNum < args.count {
                        if c == UInt8(ascii: "v") {
                            flags.sharpV = flags.sharp
                            flags.sharp = false
                            flags.plusV = flags.plus
                            flags.plus = false
                        }
                        printArg(args[argNum], verb: c)
                        argNum += 1
                        i += 1
                        continue formatLoop
                    }
                    break simpleFormat
                }
                i += 1
            }

            // Explicit argument index?
            (argNum, i, afterIndex) = argNumber(argNum, format, i, args.count, &reordered, &goodArgNum)

            // Width.
            if i < end && format[i] == UInt8(ascii: "*") {
                i += 1
                (flags.width, flags.widthPresent, argNum) = intFromArg(args, argNum)
                if !flags.widthPresent { buf += Array("%!(BADWIDTH)".utf8) }
                if flags.width < 0 {
                    flags.width = -flags.width
                    flags.minus = true
                    flags.zero = false
                }
                afterIndex = false
            } else {
                (flags.width, flags.widthPresent, i) = parseNumber(format, i, end)
                if afterIndex && flags.widthPresent { goodArgNum = false }
            }

            // Precision.
            if i + 1 < end && format[i] == UInt8(ascii: ".") {
                i += 1
                if afterIndex { goodArgNum = false }
                (argNum, i, afterIndex) = argNumber(argNum, format, i, args.count, &reordered, &goodArgNum)
                if i < end && format[i] == UInt8(ascii: "*") {
                    i += 1
                    (flags.precision, flags.precisionPresent, argNum) = intFromArg(args, argNum)
                    if flags.precision < 0 {
                        flags.precision = 0
                        flags.precisionPresent = false
                    }
                    if !flags.precisionPresent { buf += Array("%!(BADPREC)".utf8) }
                    afterIndex = false
                } else {
                    (flags.precision, flags.precisionPresent, i) = parseNumber(format, i, end)
                    if !flags.precisionPresent {
                        flags.precision = 0
                        flags.precisionPresent = true
                    }
                }
            }

            if !afterIndex {
                (argNum, i, afterIndex) = argNumber(argNum, format, i, args.count, &reordered, &goodArgNum)
            }

            if i >= end {
                buf += Array("%!(NOVERB)".utf8)
                break
            }

            // The verb: one byte, or a whole UTF-8 sequence.
            var verbLength = 1
            let lead = format[i]
            if lead >= 0xF0 { verbLength = 4 } else if lead >= 0xE0 { verbLength = 3 } else if lead >= 0xC0 { verbLength = 2 }
            verbLength = min(verbLength, end - i)
            let verbBytes = Array(format[i..<(i + verbLength)])
            i += verbLength
            let verb: UInt8 = verbLength == 1 ? lead : 0

            if verb == UInt8(ascii: "%") {
                buf.append(UInt8(ascii: "%"))
            } else if !goodArgNum {
                buf += Array("%!".utf8) + verbBytes + Array("(BADINDEX)".utf8)
            } else if argNum >= args.count {
                buf += Array("%!".utf8) + verbBytes + Array("(MISSING)".utf8)
            } else {
                if verb == UInt8(ascii: "v") {
                    flags.sharpV = flags.sharp
                    flags.sharp = false
                    flags.plusV = flags.plus
                    flags.plus = false
                }
                if verb == 0 {
                    badVerb(verbBytes, args[argNum])
                } else {
                    printArg(args[argNum], verb: verb)
                }
                argNum += 1
            }
        }

        if !reordered && argNum < args.count {
            flags = Flags()
            buf += Array("%!(EXTRA ".utf8)
            for (index, arg) in args[argNum...].enumerated() {
                if index > 0 { buf += Array(", ".utf8) }
                if case .null = arg {
                    buf += Array("<nil>".utf8)
                } else {
                    buf += Array(arg.goTypeName.utf8)
                    buf.append(UInt8(ascii: "="))
                    printArg(arg, verb: UInt8(ascii: "v"))
                }
            }
            buf.append(UInt8(ascii: ")"))
        }
    }

    private mutating func argNumber(
        _ argNum: Int, _ format: [UInt8], _ i: Int, _ numArgs: Int, _ reordered: inout Bool, _ goodArgNum: inout Bool
    ) -> (Int, Int, Bool) {
        guard i < format.count, format[i] == UInt8(ascii: "[") else { return (argNum, i, false) }
        reordered = true
        // parseArgNumber
        var index = 0
        var width = 1
        var ok = false
        if format.count - i >= 3 {
            var j = i + 1
            while j < format.count {
                if format[j] == UInt8(ascii: "]") {
                    let (number, isNumber, newI) = parseNumber(format, i + 1, j)
                    if !isNumber || newI != j {
                        width = j - i + 1
                        ok = false
                    } else {
                        index = number - 1
                        width = j - i + 1
                        ok = true
                    }
                    break
                }
                j += 1
            }
        }
        if ok && index >= 0 && index < numArgs { return (index, i + width, true) }
        goodArgNum = false
        return (argNum, i + width, ok)
    }

    private func parseNumber(_ format: [UInt8], _ start: Int, _ end: Int) -> (Int, Bool, Int) {
        if start >= end { return (0, false, end) }
        var number = 0
        var isNumber = false
        var i = start
        while i < end && format[i] >= UInt8(ascii: "0") && format[i] <= UInt8(ascii: "9") {
            if number > 1_000_000 || number < -1_000_000 { return (0, false, end) }
            number = number * 10 + Int(format[i] - UInt8(ascii: "0"))
            isNumber = true
            i += 1
        }
        return (number, isNumber, i)
    }

    private func intFromArg(_ args: [TemplateValue], _ argNum: Int) -> (Int, Bool, Int) {
        guard argNum < args.count else { return (0, false, argNum) }
        var number = 0
        var isInt = false
        if let value = args[argNum].integerValue {
            number = value
            isInt = true
        }
        if number > 1_000_000 || number < -1_000_000 {
            number = 0
            isInt = false
        }
        return (number, isInt, argNum + 1)
    }

    // MARK: Arguments

    /// Go's `printArg`: one operand at the top level.
    mutating func printArg(_ arg: TemplateValue, verb: UInt8) {
        if case .null = arg {
            if verb == UInt8(ascii: "T") || verb == UInt8(ascii: "v") {
                padString(Array("<nil>".utf8))
            } else {
                badVerb([verb], arg)
            }
            return
        }
        if verb == UInt8(ascii: "T") {
            formatString(Array(arg.goTypeName.utf8))
            return
        }
        if verb == UInt8(ascii: "p") {
            formatPointer(arg)
            return
        }
        printValue(arg, verb: verb, depth: 0)
    }

    /// Go's `printValue`: `depth` > 0 inside maps and slices, where a nil element prints `<nil>` for any verb.
    private mutating func printValue(_ value: TemplateValue, verb: UInt8, depth: Int) {
        switch value {
        case .null:
            if flags.sharpV {
                buf += Array("interface {}(nil)".utf8)
            } else {
                buf += Array("<nil>".utf8)
            }
        case .bool(let bool):
            if verb == UInt8(ascii: "t") || verb == UInt8(ascii: "v") {
                padString(Array((bool ? "true" : "false").utf8))
            } else {
                badVerb([verb], value)
            }
        case .int(let int), .int64(let int):
            formatInteger(int, verb: verb, value: value)
        case .float(let double):
            formatFloat(double, verb: verb, value: value)
        case .string(let string):
            formatStringVerb(string, verb: verb, value: value)
        case .object(let object):
            if !erroring, verb == UInt8(ascii: "v") || verb == UInt8(ascii: "s") || verb == UInt8(ascii: "x")
                || verb == UInt8(ascii: "X") || verb == UInt8(ascii: "q")
            {
                formatStringVerb(object.formatted, verb: verb, value: .string(object.formatted))
            } else if erroring {
                buf += Array(object.formatted.utf8)
            } else {
                badVerb([verb], value)
            }
        case .function:
            formatPointer(value)
        case .map, .dict:
            if case .dict(let map) = value {
                guard printingMaps.insert(map.identity).inserted else {
                    buf += Array("<cycle>".utf8)
                    return
                }
            }
            defer { if case .dict(let map) = value { printingMaps.remove(map.identity) } }
            let members = value.mapMembers ?? [:]
            if flags.sharpV {
                buf += Array((value.goTypeName + "{").utf8)
            } else {
                buf += Array("map[".utf8)
            }
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 {
                    if flags.sharpV { buf += Array(", ".utf8) } else { buf.append(UInt8(ascii: " ")) }
                }
                printValue(.string(key), verb: verb, depth: depth + 1)
                buf.append(UInt8(ascii: ":"))
                printValue(members[key] ?? .null, verb: verb, depth: depth + 1)
            }
            buf.append(flags.sharpV ? UInt8(ascii: "}") : UInt8(ascii: "]"))
        case .list(let elements):
            if flags.sharpV {
                buf += Array("[]interface {}{".utf8)
                for (index, element) in elements.enumerated() {
                    if index > 0 { buf += Array(", ".utf8) }
                    printValue(element, verb: verb, depth: depth + 1)
                }
                buf.append(UInt8(ascii: "}"))
            } else {
                buf.append(UInt8(ascii: "["))
                for (index, element) in elements.enumerated() {
                    if index > 0 { buf.append(UInt8(ascii: " ")) }
                    printValue(element, verb: verb, depth: depth + 1)
                }
                buf.append(UInt8(ascii: "]"))
            }
        case .nilList:
            buf += Array((flags.sharpV ? "[]interface {}(nil)" : "[]").utf8)
        }
    }

    /// `%!verb(type=value)`, Go's report of a verb that does not fit the operand.
    private mutating func badVerb(_ verb: [UInt8], _ value: TemplateValue) {
        erroring = true
        buf += Array("%!".utf8) + verb
        buf.append(UInt8(ascii: "("))
        if case .null = value {
            buf += Array("<nil>".utf8)
        } else {
            buf += Array(value.goTypeName.utf8)
            buf.append(UInt8(ascii: "="))
            printArg(value, verb: UInt8(ascii: "v"))
        }
        buf.append(UInt8(ascii: ")"))
        erroring = false
    }

    private mutating func formatPointer(_ value: TemplateValue) {
        switch value {
        case .map, .dict, .list, .nilList, .function, .object:
            // Go prints the address; there is none to print, so print what a nil pointer prints.
            if flags.sharpV {
                buf += Array("(\(value.goTypeName))(nil)".utf8)
            } else {
                padString(Array("0x0".utf8))
            }
        default:
            badVerb([UInt8(ascii: "p")], value)
        }
    }

    // MARK: Padding

    private mutating func writePadding(_ count: Int) {
        guard count > 0 else { return }
        buf += repeatElement(flags.zero ? UInt8(ascii: "0") : UInt8(ascii: " "), count: count)
    }

    private static func runeCount(_ bytes: [UInt8]) -> Int {
        var count = 0
        for byte in bytes where byte & 0xC0 != 0x80 { count += 1 }
        return count
    }

    private mutating func pad(_ bytes: [UInt8]) {
        guard flags.widthPresent && flags.width != 0 else {
            buf += bytes
            return
        }
        let width = flags.width - Self.runeCount(bytes)
        if !flags.minus {
            writePadding(width)
            buf += bytes
        } else {
            buf += bytes
            writePadding(width)
        }
    }

    /// Strings pad like numbers: `%06s` pads with zeros on the left (Go 1.23 still does).
    private mutating func padString(_ bytes: [UInt8]) { pad(bytes) }

    // MARK: Strings

    private mutating func formatStringVerb(_ string: String, verb: UInt8, value: TemplateValue) {
        switch verb {
        case UInt8(ascii: "v"):
            if flags.sharpV { formatQuoted(string) } else { formatString(Array(string.utf8)) }
        case UInt8(ascii: "s"): formatString(Array(string.utf8))
        case UInt8(ascii: "x"): formatHexString(Array(string.utf8), digits: Self.lowerDigits)
        case UInt8(ascii: "X"): formatHexString(Array(string.utf8), digits: Self.upperDigits)
        case UInt8(ascii: "q"): formatQuoted(string)
        default: badVerb([verb], value)
        }
    }

    private func truncated(_ bytes: [UInt8]) -> [UInt8] {
        guard flags.precisionPresent else { return bytes }
        var remaining = flags.precision
        for (index, byte) in bytes.enumerated() where byte & 0xC0 != 0x80 {
            remaining -= 1
            if remaining < 0 { return Array(bytes[..<index]) }
        }
        return bytes
    }

    private mutating func formatString(_ bytes: [UInt8]) {
        padString(truncated(bytes))
    }

    private mutating func formatQuoted(_ string: String) {
        let text = String(decoding: truncated(Array(string.utf8)), as: UTF8.self)
        if flags.sharp && GoStrconv.canBackquote(text) {
            padString(Array(("`" + text + "`").utf8))
            return
        }
        padString(Array(GoStrconv.quote(text, asciiOnly: flags.plus).utf8))
    }

    private mutating func formatHexString(_ bytes: [UInt8], digits: [UInt8]) {
        var length = bytes.count
        if flags.precisionPresent && flags.precision < length { length = flags.precision }
        var width = 2 * length
        if width > 0 {
            if flags.space {
                if flags.sharp { width *= 2 }
                width += length - 1
            } else if flags.sharp {
                width += 2
            }
        } else {
            if flags.widthPresent { writePadding(flags.width) }
            return
        }
        if flags.widthPresent && flags.width > width && !flags.minus { writePadding(flags.width - width) }
        if flags.sharp { buf += [UInt8(ascii: "0"), digits[16]] }
        for index in 0..<length {
            if flags.space && index > 0 {
                buf.append(UInt8(ascii: " "))
                if flags.sharp { buf += [UInt8(ascii: "0"), digits[16]] }
            }
            let byte = bytes[index]
            buf += [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]]
        }
        if flags.widthPresent && flags.width > width && flags.minus { writePadding(flags.width - width) }
    }

    // MARK: Integers

    private mutating func formatInteger(_ int: Int, verb: UInt8, value: TemplateValue) {
        switch verb {
        case UInt8(ascii: "v"), UInt8(ascii: "d"): formatInteger(int, base: 10, verb: verb, digits: Self.lowerDigits)
        case UInt8(ascii: "b"): formatInteger(int, base: 2, verb: verb, digits: Self.lowerDigits)
        case UInt8(ascii: "o"), UInt8(ascii: "O"): formatInteger(int, base: 8, verb: verb, digits: Self.lowerDigits)
        case UInt8(ascii: "x"): formatInteger(int, base: 16, verb: verb, digits: Self.lowerDigits)
        case UInt8(ascii: "X"): formatInteger(int, base: 16, verb: verb, digits: Self.upperDigits)
        case UInt8(ascii: "c"):
            let rune = UInt64(bitPattern: Int64(int))
            var bytes: [UInt8] = []
            GoStrconv.appendUTF8(rune > 0x10FFFF ? 0xFFFD : UInt32(rune), into: &bytes)
            pad(bytes)
        case UInt8(ascii: "q"):
            let rune = UInt64(bitPattern: Int64(int))
            pad(Array(GoStrconv.quoteRune(rune > 0x10FFFF ? 0xFFFD : UInt32(rune), asciiOnly: flags.plus).utf8))
        case UInt8(ascii: "U"):
            formatUnicode(UInt64(bitPattern: Int64(int)))
        default:
            badVerb([verb], value)
        }
    }

    private mutating func formatInteger(_ int: Int, base: UInt64, verb: UInt8, digits: [UInt8]) {
        let negative = int < 0
        var magnitude = UInt64(int.magnitude)
        var precision = 0
        if flags.precisionPresent {
            precision = flags.precision
            if precision == 0 && magnitude == 0 {
                let zero = flags.zero
                flags.zero = false
                writePadding(flags.width)
                flags.zero = zero
                return
            }
        } else if flags.zero && flags.widthPresent {
            precision = flags.width
            if negative || flags.plus || flags.space { precision -= 1 }
        }
        var reversed: [UInt8] = []
        repeat {
            reversed.append(digits[Int(magnitude % base)])
            magnitude /= base
        } while magnitude > 0
        while reversed.count < precision { reversed.append(UInt8(ascii: "0")) }
        if flags.sharp {
            switch base {
            case 2: reversed += [UInt8(ascii: "b"), UInt8(ascii: "0")]
            case 8: if reversed.last != UInt8(ascii: "0") { reversed.append(UInt8(ascii: "0")) }
            case 16: reversed += [digits[16], UInt8(ascii: "0")]
            default: break
            }
        }
        if verb == UInt8(ascii: "O") { reversed += [UInt8(ascii: "o"), UInt8(ascii: "0")] }
        if negative {
            reversed.append(UInt8(ascii: "-"))
        } else if flags.plus {
            reversed.append(UInt8(ascii: "+"))
        } else if flags.space {
            reversed.append(UInt8(ascii: " "))
        }
        let zero = flags.zero
        flags.zero = false
        pad(reversed.reversed())
        flags.zero = zero
    }

    private mutating func formatUnicode(_ value: UInt64) {
        var precision = 4
        if flags.precisionPresent && flags.precision > 4 { precision = flags.precision }
        var hex = Array(String(value, radix: 16, uppercase: true).utf8)
        if hex.count < precision { hex = Array(repeating: UInt8(ascii: "0"), count: precision - hex.count) + hex }
        var out = Array("U+".utf8) + hex
        if flags.sharp && value <= 0x10FFFF && GoStrconv.isPrint(UInt32(value)) {
            out += Array(" '".utf8)
            GoStrconv.appendUTF8(UInt32(value), into: &out)
            out.append(UInt8(ascii: "'"))
        }
        let zero = flags.zero
        flags.zero = false
        pad(out)
        flags.zero = zero
    }

    // MARK: Floats

    private mutating func formatFloat(_ double: Double, verb: UInt8, value: TemplateValue) {
        switch verb {
        case UInt8(ascii: "v"): formatFloat(double, verb: UInt8(ascii: "g"), defaultPrecision: -1)
        case UInt8(ascii: "b"), UInt8(ascii: "g"), UInt8(ascii: "G"), UInt8(ascii: "x"), UInt8(ascii: "X"):
            formatFloat(double, verb: verb, defaultPrecision: -1)
        case UInt8(ascii: "f"), UInt8(ascii: "e"), UInt8(ascii: "E"): formatFloat(double, verb: verb, defaultPrecision: 6)
        case UInt8(ascii: "F"): formatFloat(double, verb: UInt8(ascii: "f"), defaultPrecision: 6)
        default: badVerb([verb], value)
        }
    }

    private mutating func formatFloat(_ double: Double, verb: UInt8, defaultPrecision: Int) {
        let precision = flags.precisionPresent ? flags.precision : defaultPrecision
        var num = [UInt8(ascii: "+")] + Array(GoFloatText.format(double, verb, precision: precision).utf8)
        if num[1] == UInt8(ascii: "-") || num[1] == UInt8(ascii: "+") {
            num.removeFirst()
        } else {
            num[0] = UInt8(ascii: "+")
        }
        if flags.space && num[0] == UInt8(ascii: "+") && !flags.plus { num[0] = UInt8(ascii: " ") }
        if num[1] == UInt8(ascii: "I") || num[1] == UInt8(ascii: "N") {
            let zero = flags.zero
            flags.zero = false
            if num[1] == UInt8(ascii: "N") && !flags.space && !flags.plus { num.removeFirst() }
            pad(num)
            flags.zero = zero
            return
        }
        if flags.sharp && verb != UInt8(ascii: "b") {
            var digits = 0
            switch verb {
            case UInt8(ascii: "v"), UInt8(ascii: "g"), UInt8(ascii: "G"), UInt8(ascii: "x"):
                digits = precision == -1 ? 6 : precision
            default: break
            }
            var tail: [UInt8] = []
            var hasDecimalPoint = false
            var sawNonzeroDigit = false
            var i = 1
            scan: while i < num.count {
                switch num[i] {
                case UInt8(ascii: "."): hasDecimalPoint = true
                case UInt8(ascii: "p"), UInt8(ascii: "P"):
                    tail += num[i...]
                    num.removeSubrange(i...)
                    break scan
                case UInt8(ascii: "e"), UInt8(ascii: "E"):
                    if verb != UInt8(ascii: "x") && verb != UInt8(ascii: "X") {
                        tail += num[i...]
                        num.removeSubrange(i...)
                        break scan
                    }
                    if sawNonzeroDigit || num[i] != UInt8(ascii: "0") { sawNonzeroDigit = true }
                    digits -= 1
                default:
                    if num[i] != UInt8(ascii: "0") { sawNonzeroDigit = true }
                    if sawNonzeroDigit { digits -= 1 }
                }
                i += 1
            }
            if !hasDecimalPoint {
                if num.count == 2 && num[1] == UInt8(ascii: "0") { digits -= 1 }
                num.append(UInt8(ascii: "."))
            }
            while digits > 0 {
                num.append(UInt8(ascii: "0"))
                digits -= 1
            }
            num += tail
        }
        if flags.plus || num[0] != UInt8(ascii: "+") {
            if flags.zero && flags.widthPresent && flags.width > num.count {
                buf.append(num[0])
                writePadding(flags.width - num.count)
                buf += num[1...]
                return
            }
            pad(num)
            return
        }
        pad(Array(num[1...]))
    }
}
