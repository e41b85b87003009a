import FoundationEssentials
import GitOpsKit

/// A patch `target`: group, version, kind, name and namespace as anchored regular expressions, plus label and
/// annotation selectors (kustomize's `types.Selector`).
struct ResourceSelector: Sendable, CustomStringConvertible {
    var group = ""
    var version = ""
    var kind = ""
    var name = ""
    var namespace = ""
    var labelSelector = ""
    var annotationSelector = ""

    init(_ value: JSONValue, reader: FieldReader) throws(KustomizeError) {
        try reader.checkKeys(value, ["group", "version", "kind", "name", "namespace", "labelSelector",
                                     "annotationSelector"], "target")
        group = try reader.optionalString(value["group"], "target.group")
        version = try reader.optionalString(value["version"], "target.version")
        kind = try reader.optionalString(value["kind"], "target.kind")
        name = try reader.optionalString(value["name"], "target.name")
        namespace = try reader.optionalString(value["namespace"], "target.namespace")
        labelSelector = try reader.optionalString(value["labelSelector"], "target.labelSelector")
        annotationSelector = try reader.optionalString(value["annotationSelector"], "target.annotationSelector")
    }

    var description: String {
        [group, version, kind, name, namespace, labelSelector, annotationSelector].filter { !$0.isEmpty }
            .joined(separator: " ")
    }

    /// Compiled once per patch; matching is over many resources.
    struct Matcher {
        var selector: ResourceSelector
        var group, version, kind, name, namespace: Regex<AnyRegexOutput>?
        var labels: LabelSelector?
        var annotations: LabelSelector?

        init(_ selector: ResourceSelector) throws(KustomizeError) {
            self.selector = selector
            func compile(_ pattern: String) throws(KustomizeError) -> Regex<AnyRegexOutput>? {
                guard !pattern.isEmpty else { return nil }
                do { return try Regex("^(?:" + pattern + ")$") } catch {
                    throw KustomizeError("invalid regular expression '\(pattern)' in patch target: \(error)")
                }
            }
            group = try compile(selector.group)
            version = try compile(selector.version)
            kind = try compile(selector.kind)
            name = try compile(selector.name)
            namespace = try compile(selector.namespace)
            labels = selector.labelSelector.isEmpty ? nil : try LabelSelector(parsing: selector.labelSelector)
            annotations = selector.annotationSelector.isEmpty ? nil : try LabelSelector(parsing: selector.annotationSelector)
        }

        func matches(_ resource: KustomizeResource) -> Bool {
            let current = resource.currentID
            let original = resource.originalID
            func full(_ regex: Regex<AnyRegexOutput>?, _ text: String) -> Bool {
                guard let regex else { return true }
                return (try? regex.wholeMatch(in: text)) != nil
            }
            if namespace != nil, !full(namespace, original.effectiveNamespace), !full(namespace, current.effectiveNamespace) {
                return false
            }
            if name != nil, !full(name, original.name), !full(name, current.name) { return false }
            guard full(group, current.group), full(version, current.version), full(kind, current.kind) else { return false }
            if let labels, !labels.matches(resource.object[path: "metadata", "labels"]) { return false }
            if let annotations, !annotations.matches(resource.object[path: "metadata", "annotations"]) { return false }
            return true
        }
    }
}

/// A Kubernetes label selector string (`a=b,c!=d,e in (f,g),h notin (i),j,!k`).
struct LabelSelector: Sendable {
    enum Requirement: Sendable {
        case equals(String, String)
        case notEquals(String, String)
        case isIn(String, Set<String>)
        case notIn(String, Set<String>)
        case exists(String)
        case doesNotExist(String)
    }

    var requirements: [Requirement] = []

    init(parsing text: String) throws(KustomizeError) {
        var parts: [String] = []
        var depth = 0
        var current = ""
        for ch in text {
            if ch == "(" { depth += 1 }
            if ch == ")" { depth -= 1 }
            if ch == ",", depth == 0 {
                parts.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        parts.append(current)
        for raw in parts {
            let part = raw.trimmingWhitespace()
            guard !part.isEmpty else { continue }
            if let range = part.firstRange(of: " notin ") ?? part.firstRange(of: " in ") {
                let key = part[..<range.lowerBound].trimmingWhitespace()
                let list = part[range.upperBound...].trimmingWhitespace()
                guard list.hasPrefix("("), list.hasSuffix(")") else {
                    throw KustomizeError("invalid label selector '\(text)'")
                }
                let values = Set(list.dropFirst().dropLast().split(separator: ",")
                    .map { $0.trimmingWhitespace() })
                requirements.append(part[range].contains("notin") ? .notIn(key, values) : .isIn(key, values))
            } else if let range = part.firstRange(of: "!=") {
                requirements.append(.notEquals(part[..<range.lowerBound].trimmingWhitespace(),
                                               part[range.upperBound...].trimmingWhitespace()))
            } else if let range = part.firstRange(of: "==") ?? part.firstRange(of: "=") {
                requirements.append(.equals(part[..<range.lowerBound].trimmingWhitespace(),
                                            part[range.upperBound...].trimmingWhitespace()))
            } else if part.hasPrefix("!") {
                requirements.append(.doesNotExist(part.dropFirst().trimmingWhitespace()))
            } else {
                requirements.append(.exists(part))
            }
        }
    }

    func matches(_ map: JSONValue?) -> Bool {
        let members = map?.objectValue ?? [:]
        func value(_ key: String) -> String? { members[key]?.stringValue }
        for requirement in requirements {
            switch requirement {
            case .equals(let k, let v): if value(k) != v { return false }
            case .notEquals(let k, let v): if value(k) == v { return false }
            case .isIn(let k, let vs): guard let v = value(k), vs.contains(v) else { return false }
            case .notIn(let k, let vs): if let v = value(k), vs.contains(v) { return false }
            case .exists(let k): if members[k] == nil { return false }
            case .doesNotExist(let k): if members[k] != nil { return false }
            }
        }
        return true
    }
}
