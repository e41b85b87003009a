import GitOpsKit
import HTTPTypes
import Hummingbird

extension EmulatorResponder {
    static let impersonateExtraPrefix = "impersonate-extra-"

    /// Every value of header `name` (lower case), in order.
    private static func values(_ request: Request, _ name: String) -> [String] {
        request.headers.filter { $0.name.canonicalName == name }.map(\.value)
    }

    /// The user a request acts as: the token's holder (the emulator's admin or a configured user), or the identity
    /// named by the `Impersonate-*` headers when the token's holder may impersonate it (the real server's impersonation filter: `impersonate`
    /// on `users`, `groups`, `serviceaccounts` (in their namespace), `uids` and `userextras/<key>`).
    func authenticate(_ request: Request) throws(APIError) -> UserInfo {
        let authenticated = try authenticatedUser(request)
        let users = Self.values(request, "impersonate-user")
        let groups = Self.values(request, "impersonate-group")
        let uids = Self.values(request, "impersonate-uid")
        let extras = request.headers.filter { $0.name.canonicalName.hasPrefix(Self.impersonateExtraPrefix) }
        if users.isEmpty {
            guard groups.isEmpty, uids.isEmpty, extras.isEmpty else {
                throw APIError.badRequest("requested impersonation of groups, uid or extra fields without impersonating a user")
            }
            return authenticated
        }
        guard users.count == 1, uids.count <= 1 else {
            throw APIError.badRequest("only one Impersonate-User and one Impersonate-Uid header may be given")
        }
        let name = users[0]
        var checks: [RequestAttributes] = []
        if let account = UserInfo.serviceAccount(name) {
            checks.append(RequestAttributes(verb: "impersonate", group: "", resource: "serviceaccounts",
                                            namespace: account.namespace, name: account.name))
        } else {
            checks.append(RequestAttributes(verb: "impersonate", group: "", resource: "users", name: name))
        }
        for group in groups { checks.append(RequestAttributes(verb: "impersonate", group: "", resource: "groups", name: group)) }
        for uid in uids {
            checks.append(RequestAttributes(verb: "impersonate", group: "authentication.k8s.io", resource: "uids", name: uid))
        }
        for extra in extras {
            let key = String(extra.name.canonicalName.dropFirst(Self.impersonateExtraPrefix.count))
            checks.append(RequestAttributes(verb: "impersonate", group: "authentication.k8s.io", resource: "userextras",
                                            subresource: key, name: extra.value))
        }
        let authorizer = RBACAuthorizer(server: server)
        for check in checks {
            let decision = authorizer.authorize(authenticated, check)
            guard decision.allowed else { throw check.forbidden(user: authenticated.name, reason: decision.reason) }
        }
        var impersonatedGroups = groups
        if let account = UserInfo.serviceAccount(name), groups.isEmpty {
            impersonatedGroups = ["system:serviceaccounts", "system:serviceaccounts:\(account.namespace)"]
        }
        if name != "system:anonymous", !impersonatedGroups.contains("system:authenticated") {
            impersonatedGroups.append("system:authenticated")
        }
        return UserInfo(name: name, groups: impersonatedGroups, uid: uids.first)
    }

    /// Checks that `user` may do what the request asks (RBAC); throws the real server's 403 otherwise.
    func authorize(_ route: ResourceRoute, request: Request, user: UserInfo, watch: Bool) throws(APIError) {
        if user.isPrivileged { return }
        let type = route.type
        // Self-reviews are open to every authenticated user (the `system:basic-user` ClusterRole).
        if type.reviewOnly, type.resource.hasPrefix("selfsubject") { return }
        let verb: String
        switch (request.method, route.name) {
        case (.get, nil), (.head, nil): verb = watch ? "watch" : "list"
        case (.get, _), (.head, _): verb = watch ? "watch" : "get"
        case (.post, _): verb = "create"
        case (.put, _): verb = "update"
        case (.patch, _): verb = "patch"
        case (.delete, nil): verb = "deletecollection"
        case (.delete, _): verb = "delete"
        default: return
        }
        let attributes = RequestAttributes(verb: verb, group: type.group, resource: type.resource,
                                           subresource: route.subresource, namespace: route.namespace, name: route.name)
        let authorizer = RBACAuthorizer(server: server)
        let decision = authorizer.authorize(user, attributes)
        guard decision.allowed else { throw attributes.forbidden(user: user.name, reason: decision.reason) }
        // A server-side apply that creates the object is authorized as a create too, as kube-apiserver does.
        if verb == "patch", route.subresource == nil, let name = route.name,
           (request.headers[.contentType] ?? "").lowercased().hasPrefix("application/apply-patch"),
           server.store.get(type.storage, namespace: type.namespaced ? route.namespace : nil, name: name) == nil
        {
            var create = attributes
            create.verb = "create"
            let decision = authorizer.authorize(user, create)
            guard decision.allowed else { throw create.forbidden(user: user.name, reason: decision.reason) }
        }
    }

    /// The holder of the request's bearer token: the admin, or one of the configured users.
    private func authenticatedUser(_ request: Request) throws(APIError) -> UserInfo {
        guard let header = request.headers[.authorization] else { throw APIError.unauthorized }
        var bytes = Array(header.utf8)[...]
        let scheme = Array("bearer ".utf8)
        guard bytes.count > scheme.count,
              zip(bytes.prefix(scheme.count), scheme).allSatisfy({ $0 | 0x20 == $1 || $0 == $1 }) else { throw APIError.unauthorized }
        bytes = bytes.dropFirst(scheme.count)
        while bytes.first == UInt8(ascii: " ") { bytes = bytes.dropFirst() }
        while bytes.last == UInt8(ascii: " ") { bytes = bytes.dropLast() }
        let presented = Array(bytes)
        if Self.constantTimeEqual(presented, Array(token.utf8)) { return .admin }
        for user in server.configuration.users where Self.constantTimeEqual(presented, Array(user.token.utf8)) {
            let groups = user.groups.contains("system:authenticated") ? user.groups : user.groups + ["system:authenticated"]
            return UserInfo(name: user.name, groups: groups)
        }
        throw APIError.unauthorized
    }

    private static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in a.indices { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}
