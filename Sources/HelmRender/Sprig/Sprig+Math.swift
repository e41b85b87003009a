#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import FoundationEssentials
import GoTemplate

/// Integer arithmetic (every operand through `cast.ToInt64`, results `int64`), the float versions (exact decimal
/// arithmetic, as shopspring/decimal gives: `addf 0.1 0.2` is `0.3`), rounding and integer sequences.
extension Sprig {
    static var mathFunctions: [TemplateFunction] {
        let maximum = function("max", [.any], variadic: .any) { args in .int64(args.map(int64).max() ?? 0) }
        return [
            function("add1", [.any]) { .int64(int64($0[0]) &+ 1) },
            function("add", [], variadic: .any) { args in .int64(args.reduce(0) { $0 &+ int64($1) }) },
            function("sub", [.any, .any]) { .int64(int64($0[0]) &- int64($0[1])) },
            function("div", [.any, .any]) { args in
                let divisor = int64(args[1])
                if divisor == 0 { throw SprigError("runtime error: integer divide by zero") }
                return .int64(int64(args[0]).dividedReportingOverflow(by: divisor).partialValue)
            },
            function("mod", [.any, .any]) { args in
                let divisor = int64(args[1])
                if divisor == 0 { throw SprigError("runtime error: integer divide by zero") }
                return .int64(int64(args[0]).remainderReportingOverflow(dividingBy: divisor).partialValue)
            },
            function("mul", [.any], variadic: .any) { args in .int64(args.dropFirst().reduce(int64(args[0])) { $0 &* int64($1) }) },
            function("randInt", [.int, .int]) { args in
                let low = integer(args[0])
                let high = integer(args[1])
                if high <= low { throw SprigError("invalid argument to Intn") }
                return .int(Int.random(in: low..<high))
            },
            function("add1f", [.any]) { args in .float(try decimal(args[0], [.int(1)], +)) },
            function("addf", [], variadic: .any) { args in .float(try decimal(.float(0), args[...], +)) },
            function("subf", [.any], variadic: .any) { args in .float(try decimal(args[0], args.dropFirst(), -)) },
            function("mulf", [.any], variadic: .any) { args in .float(try decimal(args[0], args.dropFirst(), *)) },
            function("divf", [.any], variadic: .any) { args in
                .float(try decimal(args[0], args.dropFirst()) { a, b throws(SprigError) in
                    if b.isZero { throw SprigError("decimal division by 0") }
                    return roundedToSixteenPlaces(a / b)
                })
            },
            alias("biggest", of: maximum),
            maximum,
            function("min", [.any], variadic: .any) { args in .int64(args.map(int64).min() ?? 0) },
            function("maxf", [.any], variadic: .any) { args in
                .float(args.dropFirst().reduce(float64(args[0])) { goMax($0, float64($1)) })
            },
            function("minf", [.any], variadic: .any) { args in
                .float(args.dropFirst().reduce(float64(args[0])) { goMin($0, float64($1)) })
            },
            function("ceil", [.any]) { .float(float64($0[0]).rounded(.up)) },
            function("floor", [.any]) { .float(float64($0[0]).rounded(.down)) },
            function("round", [.any, .int], variadic: .float64) { args in
                let roundOn: Double = if args.count > 2, case .float(let value) = args[2] { value } else { 0.5 }
                let value = float64(args[0])
                let power = pow(10, Double(integer(args[1])))
                let digit = power * value
                let fraction = digit - digit.rounded(.towardZero)
                let rounded = fraction >= roundOn ? digit.rounded(.up) : digit.rounded(.down)
                return .float(rounded / power)
            },
            function("until", [.int]) { args in
                let count = integer(args[0])
                return .list(untilStep(0, count, count < 0 ? -1 : 1).map(TemplateValue.int))
            },
            function("untilStep", [.int, .int, .int]) { args in
                .list(untilStep(integer(args[0]), integer(args[1]), integer(args[2])).map(TemplateValue.int))
            },
            function("seq", [], variadic: .int) { args in .string(sequence(args.map(integer))) },
        ]
    }

    /// Sprig's `untilStep`: `start` towards `stop` (exclusive) by `step`; empty when the step points away.
    static func untilStep(_ start: Int, _ stop: Int, _ step: Int) -> [Int] {
        var values: [Int] = []
        if stop < start {
            guard step < 0 else { return values }
            var index = start
            while index > stop {
                values.append(index)
                index += step
            }
            return values
        }
        guard step > 0 else { return values }
        var index = start
        while index < stop {
            values.append(index)
            index += step
        }
        return values
    }

    /// Sprig's `seq` (GNU seq): `seq 3` is `1 2 3`, `seq 2 5`, `seq 0 2 10`, counting down when the end is lower.
    static func sequence(_ params: [Int]) -> String {
        let values: [Int]
        switch params.count {
        case 1:
            let end = params[0]
            let increment = end < 1 ? -1 : 1
            values = untilStep(1, end + increment, increment)
        case 2:
            let step = params[1] < params[0] ? -1 : 1
            values = untilStep(params[0], params[1] + step, step)
        case 3:
            var increment = 1
            if params[2] < params[0] {
                increment = -1
                if params[1] > 0 { return "" }
            }
            values = untilStep(params[0], params[2] + increment, params[1])
        default:
            return ""
        }
        return values.map(String.init).joined(separator: " ")
    }

    /// shopspring/decimal arithmetic over the shortest decimal form of each operand, back to the nearest float64.
    static func decimal(
        _ first: TemplateValue, _ rest: ArraySlice<TemplateValue>,
        _ operation: (Decimal, Decimal) throws(SprigError) -> Decimal
    ) throws(SprigError) -> Double {
        var result = exactDecimal(float64(first))
        for operand in rest { result = try operation(result, exactDecimal(float64(operand))) }
        return Double(result.description) ?? .nan
    }

    /// shopspring's `Div`: the quotient rounded (half away from zero) to 16 decimal places.
    static func roundedToSixteenPlaces(_ value: Decimal) -> Decimal {
        let text = value.description
        guard let point = text.firstIndex(of: "."), !text.contains("e"), !text.contains("E") else { return value }
        let fraction = text[text.index(after: point)...]
        guard fraction.count > 16 else { return value }
        let kept = String(text[..<text.index(point, offsetBy: 17)])
        let roundUp = fraction.dropFirst(16).first.map { $0 >= "5" } ?? false
        guard let truncated = Decimal(string: kept) else { return value }
        guard roundUp, let unit = Decimal(string: "0.0000000000000001") else { return truncated }
        return truncated.isSignMinus ? truncated - unit : truncated + unit
    }

    private static func exactDecimal(_ value: Double) -> Decimal {
        guard value.isFinite else { return .nan }
        return Decimal(string: "\(value)") ?? Decimal(value)
    }

    /// Go's `math.Max` (NaN wins; +0 beats -0).
    static func goMax(_ a: Double, _ b: Double) -> Double {
        if a.isInfinite && a > 0 || b.isInfinite && b > 0 { return .infinity }
        if a.isNaN || b.isNaN { return .nan }
        if a == 0 && b == 0 { return a.sign == .minus ? b : a }
        return a > b ? a : b
    }

    /// Go's `math.Min` (NaN wins; -0 beats +0).
    static func goMin(_ a: Double, _ b: Double) -> Double {
        if a.isInfinite && a < 0 || b.isInfinite && b < 0 { return -.infinity }
        if a.isNaN || b.isNaN { return .nan }
        if a == 0 && b == 0 { return a.sign == .minus ? a : b }
        return a < b ? a : b
    }
}
