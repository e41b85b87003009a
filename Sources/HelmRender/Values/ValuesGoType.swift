import GoTemplate

/// The Go dynamic type of a values-tree node, as Go's panics and `%T` name it: Helm's values are
/// `map[string]interface {}` trees whose leaves are `float64` (from YAML/JSON), `int64` (from `--set`), `string`,
/// `bool` or nil.
enum ValuesGoType {
    static func name(of value: TemplateValue) -> String {
        switch value {
        case .null: "nil"
        case .bool: "bool"
        case .int: "int"
        case .int64: "int64"
        case .float: "float64"
        case .string: "string"
        case .list, .nilList: "[]interface {}"
        case .map, .dict: "map[string]interface {}"
        case .object(let object): object.goTypeName
        case .function: "func"
        }
    }
}
