/// What a request asks to do, as the authorizer sees it (`authorizer.Attributes` of a resource request).
struct RequestAttributes: Sendable, Hashable {
    /// `get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, `deletecollection`, `impersonate`, …
    var verb: String
    var group: String
    var resource: String
    var subresource: String?
    /// Empty for cluster-scoped requests.
    var namespace: String
    /// Empty for collection requests (list, create).
    var name: String

    init(verb: String, group: String, resource: String, subresource: String? = nil, namespace: String? = nil,
         name: String? = nil) {
        self.verb = verb
        self.group = group
        self.resource = resource
        self.subresource = subresource.flatMap { $0.isEmpty ? nil : $0 }
        self.namespace = namespace ?? ""
        self.name = name ?? ""
    }

    /// `resource` or `resource/subresource`, as RBAC rules name it.
    var combinedResource: String { subresource.map { "\(resource)/\($0)" } ?? resource }

    /// The 403 the real server answers (`responsewriters.ForbiddenStatusError`): `configmaps "x" is forbidden:
    /// User "u" cannot create resource "configmaps" in API group "" in the namespace "ns"`, plus the authorizer's
    /// reason when it has one.
    func forbidden(user: String, reason: String = "") -> APIError {
        var detail = "User \"\(user)\" cannot \(verb) resource \"\(combinedResource)\" in API group \"\(group)\""
        detail += namespace.isEmpty ? " at the cluster scope" : " in the namespace \"\(namespace)\""
        if !reason.isEmpty { detail += ": \(reason)" }
        let qualified = APIError.qualified(resource, group: group)
        let subject = name.isEmpty ? qualified : "\(qualified) \"\(name)\""
        return APIError(code: 403, reason: "Forbidden", message: "\(subject) is forbidden: \(detail)",
                        details: APIError.Details(name: name.isEmpty ? nil : name, group: group, kind: resource))
    }
}
