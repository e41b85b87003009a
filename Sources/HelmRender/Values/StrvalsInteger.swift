/// Go's `strconv.ParseInt(s, 10, 64)` and `strconv.Atoi`, with their error text: strvals reads list indexes with
/// `Atoi` and `--set` integers with `ParseInt`, and users see the index errors.
enum StrvalsInteger {
    /// A refused number, printed as Go prints a `*strconv.NumError`.
    struct Failure: Error, CustomStringConvertible {
        var function: String
        var text: String
        var reason: String
        var description: String { "strconv.\(function): parsing \(StrvalsText.quote(text)): \(reason)" }
    }

    /// Parses an optionally signed base-10 integer; `function` names the Go function in the error.
    static func parse(_ text: String, function: String) -> Result<Int, Failure> {
        var digits = Substring(text)
        var negative = false
        if let first = digits.first, first == "+" || first == "-" {
            negative = first == "-"
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty else { return .failure(Failure(function: function, text: text, reason: "invalid syntax")) }
        var magnitude: UInt64 = 0
        let limit: UInt64 = negative ? UInt64(Int64.max) + 1 : UInt64(Int64.max)
        var outOfRange = false
        for scalar in digits.unicodeScalars {
            guard scalar.value >= 48, scalar.value <= 57 else {
                return .failure(Failure(function: function, text: text, reason: "invalid syntax"))
            }
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(scalar.value - 48))
            if overflow1 || overflow2 || sum > limit {
                // Go's ParseUint stops at the first digit that overflows, before looking at the rest.
                outOfRange = true
                break
            }
            magnitude = sum
        }
        if outOfRange { return .failure(Failure(function: function, text: text, reason: "value out of range")) }
        if negative { return .success(magnitude == UInt64(Int64.max) + 1 ? Int(Int64.min) : -Int(magnitude)) }
        return .success(Int(magnitude))
    }
}
