import GitOpsKit

/// Who a request is from, after authentication and impersonation (`user.Info`).
struct UserInfo: Sendable, Hashable {
    var name: String
    var groups: [String]
    var uid: String?

    /// The holder of the emulator's token: a cluster administrator (`system:masters` skips authorization, as the
    /// real server's privileged group does).
    static let admin = UserInfo(name: "kube-emulator-admin", groups: ["system:masters", "system:authenticated"])

    static let mastersGroup = "system:masters"

    var isPrivileged: Bool { groups.contains(Self.mastersGroup) }

    /// `namespace` and `name` when the user is a service account (`system:serviceaccount:<ns>:<name>`).
    var serviceAccount: (namespace: String, name: String)? { Self.serviceAccount(name) }

    static func serviceAccount(_ user: String) -> (namespace: String, name: String)? {
        let prefix = "system:serviceaccount:"
        guard user.hasPrefix(prefix) else { return nil }
        let parts = user.dropFirst(prefix.count).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        return (String(parts[0]), String(parts[1]))
    }

    /// The `userInfo` of SelfSubjectReview and TokenReview answers.
    var json: JSONValue {
        var out: [String: JSONValue] = ["username": .string(name), "groups": .array(groups.map { .string($0) })]
        if let uid { out["uid"] = .string(uid) }
        return .object(out)
    }
}
