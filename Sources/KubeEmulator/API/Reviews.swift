import GitOpsKit

/// Access and identity reviews: the emulator has one all-powerful user, so every access is allowed.
enum Reviews {
    static let user: JSONValue = ["username": "kube-emulator-admin", "groups": ["system:masters", "system:authenticated"]]

    static func answer(_ type: ResourceType, _ body: JSONValue, namespace: String?) -> JSONValue {
        var out = body
        out["apiVersion"] = .string(type.apiVersion)
        out["kind"] = .string(type.kind)
        if out["metadata"] == nil { out["metadata"] = .object([:]) }
        out[path: "metadata", "creationTimestamp"] = .string(Timestamp.now())
        switch type.kind {
        case "SelfSubjectReview":
            out["status"] = ["userInfo": user]
        case "SelfSubjectRulesReview":
            out["status"] = ["resourceRules": [["verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]]],
                             "nonResourceRules": [["verbs": ["*"], "nonResourceURLs": ["*"]]], "incomplete": false]
        default:
            out["status"] = ["allowed": true, "reason": "the kube-emulator allows every request"]
        }
        return out
    }
}
