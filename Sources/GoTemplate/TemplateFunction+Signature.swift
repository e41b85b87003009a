extension TemplateFunction {
    /// A Go parameter type the executor converts and checks arguments against (Go's `evalArg`/`validateType`).
    public enum ParameterType: Sendable, Equatable {
        /// `interface{}`: anything; a missing value arrives as `.null`.
        case any
        case string
        /// `int` (and the other integer types): number literals without a fraction, `.int` values.
        case int
        /// `float64`: any number literal, `.float` values.
        case float64
        case bool
        /// `map[string]interface {}`: a map with `interface{}` elements (a named map type such as Helm's
        /// `chartutil.Values` too); no value arrives as an empty (nil) map.
        case dictionary

        var goName: String {
            switch self {
            case .any: return "interface {}"
            case .string: return "string"
            case .int: return "int"
            case .float64: return "float64"
            case .bool: return "bool"
            case .dictionary: return "map[string]interface {}"
            }
        }
    }

    /// A Go function's parameters: `fixed` first, then optionally a variadic tail.
    public struct Signature: Sendable, Equatable {
        public var parameters: [ParameterType]
        /// The element type of a final `...T` parameter, if the function is variadic.
        public var variadic: ParameterType?

        public init(_ parameters: [ParameterType], variadic: ParameterType? = nil) {
            self.parameters = parameters
            self.variadic = variadic
        }
    }
}
