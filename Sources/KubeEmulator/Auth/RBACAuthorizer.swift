import GitOpsKit

/// kube-apiserver's RBAC authorizer over the emulator's store: a request is allowed when a ClusterRoleBinding (any
/// namespace) or a RoleBinding in the request's namespace binds the user — by `User` name, `Group`, or
/// `ServiceAccount` — to a Role or ClusterRole with a rule matching the verb, API group, resource (`res`,
/// `res/sub`, `*`, `*/sub`) and, when the rule lists them, the resource name. Members of `system:masters` are
/// always allowed. Aggregated ClusterRoles are not computed (their `rules` are used as stored).
struct RBACAuthorizer: Sendable {
    let server: APIServer

    struct Decision: Sendable, Hashable {
        var allowed: Bool
        /// Why it was allowed (`RBAC: allowed by …`) or the errors met on the way (`RBAC: clusterrole… not found`).
        var reason: String
    }

    static let group = "rbac.authorization.k8s.io"
    static let roles = StorageID(group: group, resource: "roles")
    static let roleBindings = StorageID(group: group, resource: "rolebindings")
    static let clusterRoles = StorageID(group: group, resource: "clusterroles")
    static let clusterRoleBindings = StorageID(group: group, resource: "clusterrolebindings")

    func authorize(_ user: UserInfo, _ attributes: RequestAttributes) -> Decision {
        if user.isPrivileged { return Decision(allowed: true, reason: "") }
        var errors: [String] = []
        for binding in server.store.list(Self.clusterRoleBindings, namespace: nil).items.map(\.object)
        where Self.binds(binding, user, namespace: "") {
            guard let rules = rules(of: binding, namespace: nil, errors: &errors) else { continue }
            if rules.contains(where: { Self.allows($0, attributes) }) {
                return Decision(allowed: true, reason: Self.allowedReason("ClusterRoleBinding", binding, nil, user))
            }
        }
        if !attributes.namespace.isEmpty {
            for binding in server.store.list(Self.roleBindings, namespace: attributes.namespace).items.map(\.object)
            where Self.binds(binding, user, namespace: attributes.namespace) {
                guard let rules = rules(of: binding, namespace: attributes.namespace, errors: &errors) else { continue }
                if rules.contains(where: { Self.allows($0, attributes) }) {
                    return Decision(allowed: true, reason: Self.allowedReason("RoleBinding", binding, attributes.namespace, user))
                }
            }
        }
        return Decision(allowed: false, reason: errors.isEmpty ? "" : "RBAC: \(Self.aggregate(errors))")
    }

    /// Every rule that applies to `user` in `namespace` (cluster-wide ones included), for SelfSubjectRulesReview.
    func rules(for user: UserInfo, namespace: String) -> [JSONValue] {
        var errors: [String] = []
        var result: [JSONValue] = []
        for binding in server.store.list(Self.clusterRoleBindings, namespace: nil).items.map(\.object)
        where Self.binds(binding, user, namespace: "") {
            result += rules(of: binding, namespace: nil, errors: &errors) ?? []
        }
        if !namespace.isEmpty {
            for binding in server.store.list(Self.roleBindings, namespace: namespace).items.map(\.object)
            where Self.binds(binding, user, namespace: namespace) {
                result += rules(of: binding, namespace: namespace, errors: &errors) ?? []
            }
        }
        return result
    }

    /// The rules of the binding's role (a Role in `namespace`, or a ClusterRole); nil, with the error recorded, when
    /// the role does not exist.
    private func rules(of binding: JSONValue, namespace: String?, errors: inout [String]) -> [JSONValue]? {
        let kind = binding[path: "roleRef", "kind"]?.stringValue ?? ""
        let name = binding[path: "roleRef", "name"]?.stringValue ?? ""
        let role: JSONValue?
        switch kind {
        case "ClusterRole":
            role = server.store.get(Self.clusterRoles, namespace: nil, name: name)?.object
            if role == nil { errors.append("clusterrole.\(Self.group) \"\(name)\" not found") }
        case "Role" where namespace != nil:
            role = server.store.get(Self.roles, namespace: namespace, name: name)?.object
            if role == nil { errors.append("role.\(Self.group) \"\(name)\" not found") }
        default:
            return nil
        }
        return role.map { $0["rules"]?.arrayValue ?? [] }
    }

    // MARK: Matching

    /// Whether any subject of the binding is the user (`namespace` defaults a ServiceAccount subject's namespace).
    static func binds(_ binding: JSONValue, _ user: UserInfo, namespace: String) -> Bool {
        (binding["subjects"]?.arrayValue ?? []).contains { subject in
            let name = subject["name"]?.stringValue ?? ""
            switch subject["kind"]?.stringValue {
            case "User": return user.name == name
            case "Group": return user.groups.contains(name)
            case "ServiceAccount":
                let subjectNamespace = subject["namespace"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? namespace
                guard !subjectNamespace.isEmpty, let account = user.serviceAccount else { return false }
                return account.namespace == subjectNamespace && account.name == name
            default: return false
            }
        }
    }

    /// `rbac.RuleAllows` for a resource request.
    static func allows(_ rule: JSONValue, _ attributes: RequestAttributes) -> Bool {
        func strings(_ key: String) -> [String] { (rule[key]?.arrayValue ?? []).compactMap(\.stringValue) }
        let verbs = strings("verbs")
        guard verbs.contains("*") || verbs.contains(attributes.verb) else { return false }
        let groups = strings("apiGroups")
        guard groups.contains("*") || groups.contains(attributes.group) else { return false }
        let resources = strings("resources")
        let resourceMatches = resources.contains { resource in
            if resource == "*" || resource == attributes.combinedResource { return true }
            guard let subresource = attributes.subresource else { return false }
            return resource == "*/\(subresource)"
        }
        guard resourceMatches else { return false }
        let names = strings("resourceNames")
        return names.isEmpty || names.contains(attributes.name)
    }

    private static func allowedReason(_ kind: String, _ binding: JSONValue, _ namespace: String?, _ user: UserInfo) -> String {
        let name = binding[path: "metadata", "name"]?.stringValue ?? ""
        let role = "\(binding[path: "roleRef", "kind"]?.stringValue ?? "") \"\(binding[path: "roleRef", "name"]?.stringValue ?? "")\""
        let location = namespace.map { " of \(role) in namespace \"\($0)\"" } ?? " of \(role)"
        return "RBAC: allowed by \(kind) \"\(name)\"\(location) to User \"\(user.name)\""
    }

    /// `utilerrors.NewAggregate(errs).Error()`: one message alone, several in brackets.
    static func aggregate(_ errors: [String]) -> String {
        errors.count == 1 ? errors[0] : "[\(errors.joined(separator: ", "))]"
    }
}
