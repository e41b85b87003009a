import GitOpsKit
import Foundation

/// One field-level validation error, worded like apimachinery's `field.Error`.
struct FieldProblem: Sendable, Hashable {
    var field: String
    var reason: String
    var body: String

    /// The `status.details.causes` entry.
    var cause: KubeError.Cause { KubeError.Cause(field: field, reason: reason, message: body) }

    static func required(_ field: String, _ detail: String = "") -> FieldProblem {
        FieldProblem(field: field, reason: "FieldValueRequired", body: detail.isEmpty ? "Required value" : "Required value: \(detail)")
    }

    static func invalid(_ field: String, _ value: JSONValue, _ detail: String) -> FieldProblem {
        let rendered = FieldProblem.render(value)
        return FieldProblem(field: field, reason: "FieldValueInvalid",
                          body: detail.isEmpty ? "Invalid value: \(rendered)" : "Invalid value: \(rendered): \(detail)")
    }

    /// An invalid value already rendered as Go prints it (e.g. `map[string]string{"app":"x"}`).
    static func invalid(_ field: String, rendered: String, _ detail: String) -> FieldProblem {
        FieldProblem(field: field, reason: "FieldValueInvalid",
                   body: detail.isEmpty ? "Invalid value: \(rendered)" : "Invalid value: \(rendered): \(detail)")
    }

    /// A string map as Go's `%#v` prints it.
    static func renderStringMap(_ value: JSONValue?) -> String {
        let members = value?.objectValue ?? [:]
        let body = members.keys.sorted().map { "\"\($0)\":\(render(members[$0] ?? .null))" }.joined(separator: ", ")
        return "map[string]string{\(body)}"
    }

    static func notSupported(_ field: String, _ value: JSONValue, supported: [String]) -> FieldProblem {
        let list = supported.map { "\"\($0)\"" }.joined(separator: ", ")
        return FieldProblem(field: field, reason: "FieldValueNotSupported",
                          body: "Unsupported value: \(render(value)): supported values: \(list)")
    }

    static func forbidden(_ field: String, _ detail: String) -> FieldProblem {
        FieldProblem(field: field, reason: "FieldValueForbidden", body: detail.isEmpty ? "Forbidden" : "Forbidden: \(detail)")
    }

    static func duplicate(_ field: String, _ value: JSONValue) -> FieldProblem {
        FieldProblem(field: field, reason: "FieldValueDuplicate", body: "Duplicate value: \(render(value))")
    }

    static func tooLong(_ field: String, _ value: JSONValue, max: Int) -> FieldProblem {
        FieldProblem(field: field, reason: "FieldValueTooLong", body: "Too long: may not be more than \(max) bytes")
    }

    /// Values printed as Go's `%#v` prints the common cases: quoted strings, bare numbers and booleans.
    static func render(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return "\"\(s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\""
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .bool(let b): return String(b)
        case .null: return "null"
        default: return value.jsonString()
        }
    }
}
