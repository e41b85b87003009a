/// A scalar typed the way go-yaml v2 types it for an `interface{}` target, before sigs.k8s.io/yaml turns it into
/// JSON. The Go type matters: map keys are named from it (`1.0` → `"1"`, unsigned keys are refused) and
/// values outside `Int64` become JSON floats.
enum YAMLScalar: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    /// Only for values above `Int64.max`, as Go's `ParseUint` fallback produces.
    case uint(UInt64)
    case float(Double)
    case string(String)

    /// The JSON value Kubernetes' unstructured decoding ends up with: a float whose JSON text (Go prints `1e3` as
    /// `1000`) parses as an `Int64` reads back as that integer, other floats stay floats.
    /// The JSON value; `keepsNegativeZero` for readers that decode numbers as float64 (`-0` is then not the int 0).
    func jsonValue(keepsNegativeZero: Bool = false) throws(YAMLScalarError) -> JSONValue {
        switch self {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .uint(let u): return .double(Double(u))
        case .string(let s): return .string(s)
        case .float(let d):
            guard d.isFinite else {
                throw YAMLScalarError("the value \(d.isNaN ? ".nan" : d < 0 ? "-.inf" : ".inf") cannot be represented in JSON")
            }
            // Go writes -0 to JSON as `-0`, which a float64 reader reads back as -0.
            if keepsNegativeZero, d == 0, d.sign == .minus { return .double(d) }
            if let i = GoFloatFormatting.jsonInteger(d) { return .int(i) }
            return .double(d)
        }
    }

    /// The JSON object key sigs.k8s.io/yaml makes of a map key: ints in decimal, floats as Go's 32-bit `%g`
    /// (`.inf`, `-.inf`, `.nan` for the specials), booleans as `true`/`false`; null and unsigned keys are errors.
    func mapKey() throws(YAMLScalarError) -> String {
        switch self {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .bool(let b): return b ? "true" : "false"
        case .float(let d):
            switch GoFloatFormatting.formatG(d, bitSize: 32) {
            case "+Inf": return ".inf"
            case "-Inf": return "-.inf"
            case "NaN": return ".nan"
            case let text: return text
            }
        case .uint(let u): throw YAMLScalarError("unsupported map key \(u): unsigned 64-bit keys cannot be converted to JSON")
        case .null: throw YAMLScalarError("unsupported map key: null cannot be a JSON object key")
        }
    }
}

/// Why a scalar could not be typed or converted; the decoder adds the position.
struct YAMLScalarError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
