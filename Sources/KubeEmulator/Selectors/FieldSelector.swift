import GitOpsKit

/// A parsed `?fieldSelector=` (`metadata.name=x,status.phase!=Running`) checked against the fields each kind
/// supports, as kube-apiserver does.
struct FieldSelector: Sendable, Hashable {
    struct Requirement: Sendable, Hashable {
        var field: String
        var value: String
        var equal: Bool
    }

    var requirements: [Requirement]

    static let everything = FieldSelector(requirements: [])

    init(requirements: [Requirement]) {
        self.requirements = requirements
    }

    /// Parses the selector and rejects fields `type` does not support (`field label not supported: x`).
    init(parsing text: String, for type: ResourceType) throws(APIError) {
        var requirements: [Requirement] = []
        for term in Self.splitTerms(text) where !term.isEmpty {
            let (field, value, equal) = try Self.parseTerm(term)
            guard Self.supportedFields(type).contains(field) else {
                throw APIError.badRequest("field label not supported: \(field)")
            }
            requirements.append(Requirement(field: field, value: value, equal: equal))
        }
        self.requirements = requirements
    }

    /// The name a `metadata.name=` requirement pins, if any (watches of one object).
    var singleName: String? {
        requirements.first { $0.field == "metadata.name" && $0.equal }?.value
    }

    func matches(_ object: JSONValue) -> Bool {
        requirements.allSatisfy { requirement in
            let actual = Self.value(of: requirement.field, in: object)
            return (actual == requirement.value) == requirement.equal
        }
    }

    private static func splitTerms(_ text: String) -> [String] {
        var terms: [String] = []
        var current = ""
        var escaped = false
        for c in text {
            if escaped {
                current.append("\\")
                current.append(c)
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if c == "," {
                terms.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        terms.append(current)
        return terms
    }

    private static func parseTerm(_ term: String) throws(APIError) -> (String, String, Bool) {
        let chars = Array(term)
        var i = 0
        while i < chars.count {
            if chars[i] == "\\" { i += 2; continue }
            if chars[i] == "!" && i + 1 < chars.count && chars[i + 1] == "=" {
                return (String(chars[..<i]), unescape(chars[(i + 2)...]), false)
            }
            if chars[i] == "=" {
                let skip = (i + 1 < chars.count && chars[i + 1] == "=") ? 2 : 1
                return (String(chars[..<i]), unescape(chars[(i + skip)...]), true)
            }
            i += 1
        }
        throw APIError.badRequest("invalid selector: '\(term)'; can't understand '\(term)'")
    }

    private static func unescape(_ chars: ArraySlice<Character>) -> String {
        var out = ""
        var escaped = false
        for c in chars {
            if escaped { out.append(c); escaped = false } else if c == "\\" { escaped = true } else { out.append(c) }
        }
        return out
    }

    /// The field selectors each kind supports (besides `metadata.name` and `metadata.namespace`).
    static func supportedFields(_ type: ResourceType) -> Set<String> {
        var fields: Set<String> = ["metadata.name", "metadata.namespace"]
        switch (type.group, type.kind) {
        case ("", "Event"):
            fields.formUnion(["involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
                              "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
                              "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"])
        case ("events.k8s.io", "Event"):
            fields.formUnion(["regarding.kind", "regarding.namespace", "regarding.name", "regarding.uid",
                              "regarding.apiVersion", "regarding.resourceVersion", "regarding.fieldPath", "reason",
                              "reportingController", "type", "deprecatedSource"])
        case ("", "Pod"):
            fields.formUnion(["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                              "spec.hostNetwork", "status.phase", "status.podIP", "status.podIPs", "status.nominatedNodeName"])
        case ("", "Secret"):
            fields.insert("type")
        case ("", "Namespace"):
            fields.insert("status.phase")
        case ("", "Node"):
            fields.insert("spec.unschedulable")
        case ("apps", "ReplicaSet"):
            fields.insert("status.replicas")
        case ("batch", "Job"):
            fields.insert("status.successful")
        default:
            break
        }
        return fields
    }

    /// The value a field selector compares, as the API server renders it (missing → "").
    static func value(of field: String, in object: JSONValue) -> String {
        let path: [String]
        switch field {
        case "source": path = ["source", "component"]
        case "deprecatedSource": path = ["deprecatedSource", "component"]
        case "status.podIPs": path = ["status", "podIP"]
        default: path = field.split(separator: ".").map(String.init)
        }
        var current: JSONValue? = object
        for key in path { current = current?[key] }
        switch current {
        case .string(let s)?: return s
        case .bool(let b)?: return b ? "true" : "false"
        case .int(let i)?: return String(i)
        case .double(let d)?: return String(d)
        default:
            return field == "spec.unschedulable" || field == "spec.hostNetwork" ? "false" : ""
        }
    }
}
