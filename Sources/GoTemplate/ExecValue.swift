/// A value during execution, with the distinctions Go's `reflect.Value` makes that templates can observe:
/// no value at all (`invalid`: a missing key, a nil pipeline result), a value read out of a map or slice whose
/// static type is `interface{}` (`boxed`, possibly a nil interface), or a value of a concrete type.
///
/// The difference shows in errors (`nil pointer evaluating interface {}.b` only for a boxed nil,
/// `can't evaluate field b in type interface {}` vs `in type string`) and in `missingkey` handling.
enum ExecValue {
    case invalid
    case boxed(TemplateValue)
    case concrete(TemplateValue)

    /// What a function parameter of type `interface{}` receives.
    var templateValue: TemplateValue {
        switch self {
        case .invalid: return .null
        case .boxed(let value), .concrete(let value): return value
        }
    }

    /// Go's `indirectInterface`: the concrete value, or nil for no value and nil interfaces.
    var indirect: TemplateValue? {
        switch self {
        case .invalid: return nil
        case .boxed(.null), .concrete(.null): return nil
        case .boxed(let value), .concrete(let value): return value
        }
    }

    /// Go's `reflect.ValueOf(v.Interface())` after each pipeline command: the interface is dug out.
    var pipelineResult: ExecValue {
        switch self {
        case .invalid, .boxed(.null), .concrete(.null): return .invalid
        case .boxed(let value): return .concrete(value)
        case .concrete: return self
        }
    }

    /// The static Go type name, as `can't evaluate field` and `nil pointer evaluating` print it.
    var staticTypeName: String {
        switch self {
        case .invalid: return "<nil>"
        case .boxed: return "interface {}"
        case .concrete(let value): return value.goTypeName
        }
    }

    /// `template.IsTrue` of the value.
    var isTrue: Bool { indirect?.isTruthy ?? false }
}
