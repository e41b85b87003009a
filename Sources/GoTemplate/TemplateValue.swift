import GitOpsKit

/// A Go value as `text/template` and the functions it calls see it.
///
/// Helm hands templates `interface{}` trees decoded from YAML through JSON, so every number in `.Values` is a Go
/// `float64` (`.float`), while functions such as `int`, `len` or `add` return Go integers (`.int`). The two print
/// differently (`1e+06` vs `1000000`) and compare differently, so they stay distinct. Go's integer widths (`int`,
/// `int64`, …) are not distinguished: they print and compare alike. Slices of any element type are `.list`; maps
/// with string keys are `.map` as data and `.dict`, a reference like Go's, inside templates (which range over them
/// in sorted key order). Structs and named types with
/// methods (Helm's `.Chart`, `.Capabilities`, `.Files`) are `.object`.
public enum TemplateValue: Sendable {
    /// A nil interface: a missing map key under `missingkey=zero`, a YAML `null`, the result of a failed lookup.
    case null
    case bool(Bool)
    /// A Go `int`: number literals in templates, `len`, Sprig's `int` and `atoi`.
    case int(Int)
    /// A Go `int64`: Sprig's arithmetic (`add`, `mul`, `max`, …, `int64`) and integers from Helm's `--set`. It
    /// prints and compares like an `int`, but its type name is `int64` and it is not `reflect.DeepEqual` to one.
    case int64(Int)
    case float(Double)
    case string(String)
    case list([TemplateValue])
    /// A nil Go slice (what Sprig's `rest` of an empty list or a `regexFindAll` without a match returns): an empty
    /// list everywhere, except that JSON and YAML write it as `null` and `%#v` as `[]interface {}(nil)`.
    case nilList
    /// A map as plain data: what values, JSON and functions build. Templates never hold one: the executor turns it
    /// into a `.dict` when it enters a template (data, function results), so that it behaves as a Go map.
    case map([String: TemplateValue])
    /// A Go map during execution: a reference (see `TemplateMap`), changed in place by `set`, `unset` and `merge`.
    case dict(TemplateMap)
    case object(any TemplateObject)
    /// A function value (what `call` calls).
    case function(TemplateFunction)
}

/// A Go struct, pointer or named type with fields and methods, seen through reflection.
///
/// Go's `text/template` resolves `.Name` on such a value by looking for a method first, then a struct field (or a
/// map key when the type is a map); a method is called with the arguments that follow it in the command.
public protocol TemplateObject: Sendable {
    /// The Go type name `typeOf` prints and errors mention, e.g. `*chart.Metadata`.
    var goTypeName: String { get }
    /// The method called `name`, or `nil` when the type has none.
    func method(named name: String) -> TemplateFunction?
    /// The field (or, for map types, the key) called `name`; `nil` means "can't evaluate field".
    func field(named name: String) -> TemplateValue?
    /// What `fmt` prints for the value (its `String()` method, or Go's `{…}` struct form).
    var formatted: String { get }
    /// The entries when the type is a Go map (Helm's `engine.files`): `range`, `len`, `index` and truth see them,
    /// and its kind is `map`. Nil (the default) for structs and pointers.
    var mapEntries: [String: TemplateValue]? { get }
    /// For a Go map whose keys are not strings (e.g. structs, as image automation's `.Changed.Objects`): its entries
    /// with the keys as values, in Go's sorted order, so `range $key, $value :=` binds the key itself. Nil (the
    /// default) for maps with string keys, which ``mapEntries`` covers.
    var keyedMapEntries: [(key: TemplateValue, value: TemplateValue)]? { get }
}

extension TemplateObject {
    public var mapEntries: [String: TemplateValue]? { nil }
    public var keyedMapEntries: [(key: TemplateValue, value: TemplateValue)]? { nil }
}

/// A function callable from a template: builtins, Sprig, Helm's own, or methods of a `TemplateObject`.
///
/// Go checks argument counts and types when it calls; the closure does the same and throws an error whose
/// description is what Go's `error calling NAME: …` message carries.
public struct TemplateFunction: Sendable {
    public var name: String
    public var call: @Sendable ([TemplateValue]) throws -> TemplateValue
    /// The Go parameter list, when known: the executor then checks argument counts and types before calling, with
    /// Go's messages (`wrong number of args for indent: want 2 got 1`, `wrong type for value; expected int; got
    /// float64`). Without one, every argument is passed as `interface{}` and the closure checks.
    public var signature: Signature?

    public init(_ name: String, _ call: @escaping @Sendable ([TemplateValue]) throws -> TemplateValue) {
        self.name = name
        self.call = call
    }

    public init(
        _ name: String, signature: Signature, _ call: @escaping @Sendable ([TemplateValue]) throws -> TemplateValue
    ) {
        self.name = name
        self.call = call
        self.signature = signature
    }
}

extension TemplateValue {
    /// A JSON/YAML document as Helm's templates see it: every number becomes a `float64`, as `sigs.k8s.io/yaml`
    /// (YAML → JSON → `interface{}`) decodes it.
    public init(helmValues value: JSONValue) {
        switch value {
        case .null: self = .null
        case .bool(let bool): self = .bool(bool)
        case .int(let int): self = .float(Double(int))
        case .double(let double): self = .float(double)
        case .string(let string): self = .string(string)
        case .array(let elements): self = .list(elements.map(TemplateValue.init(helmValues:)))
        case .object(let members): self = .map(members.mapValues(TemplateValue.init(helmValues:)))
        }
    }

    /// The JSON document of a value built from plain data (`toJson`, `toYaml`); objects and functions have none.
    ///
    /// Floats with an integral value stay `.double` so emitters can print them as Go does.
    public var jsonValue: JSONValue? {
        if containsCycle { return nil }
        return acyclicJSONValue
    }

    private var acyclicJSONValue: JSONValue? {
        switch self {
        case .null: return .null
        case .bool(let bool): return .bool(bool)
        case .int(let int), .int64(let int): return .int(Int64(int))
        case .float(let double): return .double(double)
        // Go's encoding/json writes bytes that are not UTF-8 as U+FFFD.
        case .string(let string): return .string(GoByteString.validUTF8(string))
        case .nilList: return .null
        case .list(let elements):
            var result: [JSONValue] = []
            result.reserveCapacity(elements.count)
            for element in elements {
                guard let json = element.acyclicJSONValue else { return nil }
                result.append(json)
            }
            return .array(result)
        case .map, .dict:
            let members = mapMembers ?? [:]
            var result: [String: JSONValue] = [:]
            for (key, member) in members {
                guard let json = member.acyclicJSONValue else { return nil }
                result[key] = json
            }
            return .object(result)
        case .object, .function: return nil
        }
    }
}
