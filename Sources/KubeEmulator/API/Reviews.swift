import GitOpsKit

/// Access and identity reviews, answered with the RBAC authorizer: SelfSubjectAccessReview (`kubectl auth can-i`),
/// SubjectAccessReview and LocalSubjectAccessReview (another user), SelfSubjectRulesReview (`kubectl auth can-i
/// --list`) and SelfSubjectReview (`kubectl auth whoami`).
struct Reviews {
    let authorizer: RBACAuthorizer

    func answer(_ type: ResourceType, _ body: JSONValue, namespace: String?, user: UserInfo) throws(APIError) -> JSONValue {
        var out = body
        out["apiVersion"] = .string(type.apiVersion)
        out["kind"] = .string(type.kind)
        if out["metadata"] == nil { out["metadata"] = .object([:]) }
        out[path: "metadata", "creationTimestamp"] = .string(Timestamp.now())
        switch type.kind {
        case "SelfSubjectReview":
            out["status"] = ["userInfo": user.json]
        case "SelfSubjectRulesReview":
            out["status"] = rules(for: user, namespace: body[path: "spec", "namespace"]?.stringValue ?? "")
        case "SelfSubjectAccessReview":
            out["status"] = try access(body["spec"] ?? .null, user: user, namespace: nil)
        default:
            // SubjectAccessReview and LocalSubjectAccessReview: the user in the spec.
            let spec = body["spec"] ?? .null
            guard let name = spec["user"]?.stringValue, !name.isEmpty else {
                throw APIError.invalid(kind: type.kind, group: type.group, name: "",
                                       causes: [KubeError.Cause(field: "spec.user", reason: "FieldValueRequired",
                                                                message: "Required value: one of user or group must be specified")])
            }
            let subject = UserInfo(name: name, groups: (spec["groups"]?.arrayValue ?? []).compactMap(\.stringValue),
                                   uid: spec["uid"]?.stringValue)
            out["status"] = try access(spec, user: subject, namespace: type.namespaced ? namespace : nil)
        }
        return out
    }

    /// `status` of an access review of `spec.resourceAttributes` (non-resource URLs: only the discovery paths every
    /// authenticated user may read).
    private func access(_ spec: JSONValue, user: UserInfo, namespace: String?) throws(APIError) -> JSONValue {
        if let attributes = spec["resourceAttributes"], case .object = attributes {
            let request = RequestAttributes(
                verb: attributes["verb"]?.stringValue ?? "", group: attributes["group"]?.stringValue ?? "",
                resource: attributes["resource"]?.stringValue ?? "", subresource: attributes["subresource"]?.stringValue,
                namespace: namespace ?? attributes["namespace"]?.stringValue, name: attributes["name"]?.stringValue)
            let decision = authorizer.authorize(user, request)
            var status: [String: JSONValue] = ["allowed": .bool(decision.allowed)]
            if !decision.reason.isEmpty { status["reason"] = .string(decision.reason) }
            return .object(status)
        }
        if let attributes = spec["nonResourceAttributes"], case .object = attributes {
            let path = attributes["path"]?.stringValue ?? ""
            let verb = attributes["verb"]?.stringValue ?? ""
            let discovery = ["/api", "/apis", "/version", "/openapi", "/healthz", "/livez", "/readyz"]
                .contains { path == $0 || path.hasPrefix($0 + "/") }
            return ["allowed": .bool(user.isPrivileged || (verb == "get" && discovery))]
        }
        throw APIError.invalid(kind: "SubjectAccessReview", group: "authorization.k8s.io", name: "",
                               causes: [KubeError.Cause(field: "spec.resourceAttributes", reason: "FieldValueRequired",
                                                        message: "Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified")])
    }

    private func rules(for user: UserInfo, namespace: String) -> JSONValue {
        if user.isPrivileged {
            return ["resourceRules": [["verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]]],
                    "nonResourceRules": [["verbs": ["*"], "nonResourceURLs": ["*"]]], "incomplete": false]
        }
        var resourceRules: [JSONValue] = [
            ["verbs": ["create"], "apiGroups": ["authorization.k8s.io"], "resources": ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]],
            ["verbs": ["create"], "apiGroups": ["authentication.k8s.io"], "resources": ["selfsubjectreviews"]],
        ]
        for rule in authorizer.rules(for: user, namespace: namespace) where rule["resources"] != nil {
            var kept: [String: JSONValue] = [:]
            for key in ["verbs", "apiGroups", "resources", "resourceNames"] { kept[key] = rule[key] }
            resourceRules.append(.object(kept))
        }
        return ["resourceRules": .array(resourceRules),
                "nonResourceRules": [["verbs": ["get"], "nonResourceURLs": ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"]]],
                "incomplete": false]
    }
}
