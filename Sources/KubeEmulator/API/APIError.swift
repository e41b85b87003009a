import GitOpsKit

/// A failed API request, rendered as a `metav1.Status` worded as kube-apiserver words it.
struct APIError: Error, Sendable {
    /// `status.details` of a `metav1.Status`.
    struct Details: Sendable {
        var name: String?
        var group: String?
        var kind: String?
        var uid: String?
        var causes: [KubeError.Cause] = []
    }

    var code: Int
    var reason: String
    var message: String
    var details: Details?

    init(code: Int, reason: String, message: String, details: Details? = nil) {
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details
    }

    /// The `metav1.Status` object.
    var status: JSONValue {
        var object: [String: JSONValue] = [
            "kind": "Status", "apiVersion": "v1", "metadata": .object([:]), "status": "Failure",
            "message": .string(message), "code": .int(Int64(code)),
        ]
        if !reason.isEmpty { object["reason"] = .string(reason) }
        if let details {
            var d: [String: JSONValue] = [:]
            if let name = details.name { d["name"] = .string(name) }
            if let group = details.group, !group.isEmpty { d["group"] = .string(group) }
            if let kind = details.kind { d["kind"] = .string(kind) }
            if let uid = details.uid { d["uid"] = .string(uid) }
            if !details.causes.isEmpty {
                d["causes"] = .array(details.causes.map { cause in
                    var c: [String: JSONValue] = ["message": .string(cause.message)]
                    if let reason = cause.reason { c["reason"] = .string(reason) }
                    if let field = cause.field { c["field"] = .string(field) }
                    return .object(c)
                })
            }
            object["details"] = .object(d)
        }
        return .object(object)
    }
}

extension APIError {
    /// `<resource>.<group> "name"` or `<resource> "name"` as the API server names a resource in messages.
    static func qualified(_ resource: String, group: String) -> String {
        group.isEmpty ? resource : "\(resource).\(group)"
    }

    static func notFound(resource: String, group: String, name: String) -> APIError {
        APIError(code: 404, reason: "NotFound", message: "\(qualified(resource, group: group)) \"\(name)\" not found",
                 details: Details(name: name, group: group, kind: resource))
    }

    /// An unknown path or resource type.
    static let pathNotFound = APIError(code: 404, reason: "NotFound",
                                       message: "the server could not find the requested resource", details: Details())

    static func alreadyExists(resource: String, group: String, name: String) -> APIError {
        APIError(code: 409, reason: "AlreadyExists",
                 message: "\(qualified(resource, group: group)) \"\(name)\" already exists",
                 details: Details(name: name, group: group, kind: resource))
    }

    static func conflict(resource: String, group: String, name: String, detail: String) -> APIError {
        APIError(code: 409, reason: "Conflict",
                 message: "Operation cannot be fulfilled on \(qualified(resource, group: group)) \"\(name)\": \(detail)",
                 details: Details(name: name, group: group, kind: resource))
    }

    static func staleResourceVersion(resource: String, group: String, name: String) -> APIError {
        conflict(resource: resource, group: group, name: name,
                 detail: "the object has been modified; please apply your changes to the latest version and try again")
    }

    /// 422 Invalid: `Kind.group "name" is invalid: field: message` (several errors in brackets).
    static func invalid(kind: String, group: String, name: String, causes: [KubeError.Cause]) -> APIError {
        let rendered = causes.map { cause in cause.field.map { "\($0): \(cause.message)" } ?? cause.message }
        let aggregate = rendered.count == 1 ? rendered[0] : "[\(rendered.joined(separator: ", "))]"
        return APIError(code: 422, reason: "Invalid",
                        message: "\(qualified(kind, group: group)) \"\(name)\" is invalid: \(aggregate)",
                        details: Details(name: name, group: group, kind: kind, causes: causes))
    }

    static func badRequest(_ message: String) -> APIError {
        APIError(code: 400, reason: "BadRequest", message: message)
    }

    static func forbidden(resource: String, group: String, name: String, detail: String,
                          causes: [KubeError.Cause] = []) -> APIError {
        APIError(code: 403, reason: "Forbidden",
                 message: "\(qualified(resource, group: group)) \"\(name)\" is forbidden: \(detail)",
                 details: Details(name: name, group: group, kind: resource, causes: causes))
    }

    static let methodNotAllowed = APIError(code: 405, reason: "MethodNotAllowed",
                                           message: "the server does not allow this method on the requested resource",
                                           details: Details())

    static func unsupportedMediaType(accepted: [String]) -> APIError {
        APIError(code: 415, reason: "UnsupportedMediaType",
                 message: "the body of the request was in an unknown format - accepted media types include: "
                     + accepted.joined(separator: ", "))
    }

    static func notAcceptable(supported: [String]) -> APIError {
        APIError(code: 406, reason: "NotAcceptable",
                 message: "only the following media types are accepted: \(supported.joined(separator: ", "))")
    }

    static let unauthorized = APIError(code: 401, reason: "Unauthorized", message: "Unauthorized")

    static func gone(_ message: String) -> APIError {
        APIError(code: 410, reason: "Expired", message: message)
    }

    static func internalError(_ message: String) -> APIError {
        APIError(code: 500, reason: "InternalError", message: "Internal error occurred: \(message)",
                 details: Details(causes: [KubeError.Cause(field: nil, reason: "UnexpectedServerResponse", message: message)]))
    }

    static func tooLarge(_ message: String) -> APIError {
        APIError(code: 413, reason: "RequestEntityTooLarge", message: message)
    }
}
