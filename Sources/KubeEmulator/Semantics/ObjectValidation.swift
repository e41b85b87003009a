import Foundation
import GitOpsKit

/// Validation of metadata (every kind) and of the built-in kinds' most common rules, with kube-apiserver's
/// field paths and messages.
enum ObjectValidation {
    static func nameRule(_ type: ResourceType) -> NameValidation.Rule {
        switch (type.group, type.kind) {
        case ("", "Namespace"): return .label
        case ("", "Service"): return .dns1035
        case ("rbac.authorization.k8s.io", _): return .pathSegment
        default: return .subdomain
        }
    }

    /// Metadata rules for a create or update (`old` set for updates).
    static func validateMetadata(_ type: ResourceType, _ object: JSONValue, old: JSONValue?) -> [FieldProblem] {
        var errors: [FieldProblem] = []
        let metadata = object["metadata"] ?? .object([:])
        let name = metadata["name"]?.stringValue ?? ""
        if name.isEmpty {
            errors.append(.required("metadata.name", "name or generateName is required"))
        } else if old == nil {
            for problem in NameValidation.problems(name, rule: nameRule(type)) {
                errors.append(.invalid("metadata.name", .string(name), problem))
            }
        }
        for (key, value) in metadata["labels"]?.objectValue ?? [:] {
            if let problem = LabelValidation.keyProblem(key) {
                errors.append(.invalid("metadata.labels", .string(key), problem))
            }
            guard let text = value.stringValue else {
                errors.append(.invalid("metadata.labels", value, "label values must be strings"))
                continue
            }
            if let problem = LabelValidation.valueProblem(text) {
                errors.append(.invalid("metadata.labels", .string(text), problem))
            }
        }
        var annotationBytes = 0
        for (key, value) in metadata["annotations"]?.objectValue ?? [:] {
            if let problem = LabelValidation.keyProblem(key.lowercased()) {
                errors.append(.invalid("metadata.annotations", .string(key), problem))
            }
            annotationBytes += key.utf8.count + (value.stringValue?.utf8.count ?? 0)
        }
        if annotationBytes > 256 * 1024 {
            errors.append(.tooLong("metadata.annotations", .null, max: 256 * 1024))
        }
        var controllers = 0
        for (i, reference) in (metadata["ownerReferences"]?.arrayValue ?? []).enumerated() {
            let field = "metadata.ownerReferences[\(i)]"
            for key in ["apiVersion", "kind", "name", "uid"] where (reference[key]?.stringValue ?? "").isEmpty {
                errors.append(key == "uid" || key == "name"
                    ? .invalid("\(field).\(key)", .string(""), "\(key) must not be empty")
                    : .invalid("\(field).\(key)", .string(""), "\(key) must not be empty"))
            }
            if reference["controller"]?.boolValue == true { controllers += 1 }
        }
        if controllers > 1 {
            errors.append(.invalid("metadata.ownerReferences", metadata["ownerReferences"] ?? .null,
                                   "Only one reference can have Controller set to true"))
        }
        for (i, finalizer) in (metadata["finalizers"]?.arrayValue ?? []).enumerated() {
            guard let text = finalizer.stringValue else { continue }
            if let problem = LabelValidation.keyProblem(text) {
                errors.append(.invalid("metadata.finalizers[\(i)]", .string(text), problem))
            }
        }
        if let old, old[path: "metadata", "deletionTimestamp"] != nil {
            let oldFinalizers = Set((old[path: "metadata", "finalizers"]?.arrayValue ?? []).compactMap(\.stringValue))
            let newFinalizers = (metadata["finalizers"]?.arrayValue ?? []).compactMap(\.stringValue)
            if newFinalizers.contains(where: { !oldFinalizers.contains($0) }) {
                errors.append(.forbidden("metadata.finalizers", "no new finalizers can be added if the object is being deleted, found new finalizers []string{\(newFinalizers.filter { !oldFinalizers.contains($0) }.map { "\"\($0)\"" }.joined(separator: ", "))}"))
            }
        }
        return errors
    }

    /// Kind-specific rules.
    static func validate(_ type: ResourceType, _ object: JSONValue, old: JSONValue?) -> [FieldProblem] {
        switch (type.group, type.kind) {
        case ("apps", "Deployment"), ("apps", "ReplicaSet"), ("apps", "DaemonSet"), ("apps", "StatefulSet"):
            var errors = validateWorkload(object, old: old)
            if type.kind == "StatefulSet", let old { errors += validateStatefulSetUpdate(object, old: old) }
            return errors
        case ("batch", "Job"):
            return validateJob(object, old: old)
        case ("batch", "CronJob"):
            var errors: [FieldProblem] = []
            if (object[path: "spec", "schedule"]?.stringValue ?? "").isEmpty { errors.append(.required("spec.schedule")) }
            errors += validatePodSpec(object[path: "spec", "jobTemplate", "spec", "template", "spec"],
                                      field: "spec.jobTemplate.spec.template.spec")
            return errors
        case ("", "Pod"):
            return validatePodSpec(object["spec"], field: "spec")
        case ("", "Service"):
            return validateService(object, old: old)
        case ("", "ConfigMap"), ("", "Secret"):
            return validateConfigData(type, object, old: old)
        case ("apiextensions.k8s.io", "CustomResourceDefinition"):
            return CRDValidation.validate(object, old: old)
        case ("rbac.authorization.k8s.io", "RoleBinding"), ("rbac.authorization.k8s.io", "ClusterRoleBinding"):
            return validateBinding(object, namespaced: type.kind == "RoleBinding")
        default:
            return []
        }
    }

    /// rbac `ValidateRoleBinding`: a complete roleRef, and subjects of a known kind — a ServiceAccount subject of a
    /// ClusterRoleBinding must name its namespace (a RoleBinding's defaults to its own).
    private static func validateBinding(_ object: JSONValue, namespaced: Bool) -> [FieldProblem] {
        var errors: [FieldProblem] = []
        let roleRef = object["roleRef"]
        let roleKind = roleRef?["kind"]?.stringValue ?? ""
        if roleRef?["apiGroup"]?.stringValue != "rbac.authorization.k8s.io" {
            errors.append(.notSupported("roleRef.apiGroup", roleRef?["apiGroup"] ?? .string(""), supported: ["rbac.authorization.k8s.io"]))
        }
        let kinds = namespaced ? ["ClusterRole", "Role"] : ["ClusterRole"]
        if !kinds.contains(roleKind) { errors.append(.notSupported("roleRef.kind", .string(roleKind), supported: kinds)) }
        if (roleRef?["name"]?.stringValue ?? "").isEmpty { errors.append(.required("roleRef.name")) }
        for (index, subject) in (object["subjects"]?.arrayValue ?? []).enumerated() {
            let field = "subjects[\(index)]"
            if (subject["name"]?.stringValue ?? "").isEmpty { errors.append(.required(field + ".name")) }
            switch subject["kind"]?.stringValue ?? "" {
            case "ServiceAccount":
                if let group = subject["apiGroup"]?.stringValue, !group.isEmpty {
                    errors.append(.notSupported(field + ".apiGroup", .string(group), supported: [""]))
                }
                if !namespaced, (subject["namespace"]?.stringValue ?? "").isEmpty { errors.append(.required(field + ".namespace")) }
            case "User", "Group":
                if subject["apiGroup"]?.stringValue != "rbac.authorization.k8s.io" {
                    errors.append(.notSupported(field + ".apiGroup", subject["apiGroup"] ?? .string(""), supported: ["rbac.authorization.k8s.io"]))
                }
            case let kind:
                errors.append(.notSupported(field + ".kind", .string(kind), supported: ["ServiceAccount", "User", "Group"]))
            }
        }
        return errors
    }

    private static func validateWorkload(_ object: JSONValue, old: JSONValue?) -> [FieldProblem] {
        var errors: [FieldProblem] = []
        let selectorValue = object[path: "spec", "selector"]
        if selectorValue == nil || selectorValue == .object([:]) {
            errors.append(.required("spec.selector"))
        } else if let selector = selectorValue.flatMap(LabelSelector.init(object:)) {
            if selector.isEverything {
                errors.append(.invalid("spec.selector", rendered: renderSelector(selectorValue), "empty selector is invalid for deployment"))
            }
            let templateLabels = object[path: "spec", "template", "metadata", "labels"]
            if !selector.matches(.object(["metadata": .object(["labels": templateLabels ?? .object([:])])])) {
                errors.append(.invalid("spec.template.metadata.labels", rendered: FieldProblem.renderStringMap(templateLabels),
                                       "`selector` does not match template `labels`"))
            }
        }
        if let old, let oldSelector = old[path: "spec", "selector"], oldSelector != selectorValue {
            errors.append(.invalid("spec.selector", rendered: renderSelector(selectorValue), "field is immutable"))
        }
        if let replicas = object[path: "spec", "replicas"]?.intValue, replicas < 0 {
            errors.append(.invalid("spec.replicas", .int(replicas), "must be greater than or equal to 0"))
        }
        errors += validatePodSpec(object[path: "spec", "template", "spec"], field: "spec.template.spec")
        return errors
    }

    private static func validateStatefulSetUpdate(_ object: JSONValue, old: JSONValue) -> [FieldProblem] {
        let mutable: Set<String> = ["replicas", "ordinals", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy",
                                    "minReadySeconds", "revisionHistoryLimit"]
        var newSpec = object["spec"]?.objectValue ?? [:]
        var oldSpec = old["spec"]?.objectValue ?? [:]
        for key in mutable {
            newSpec[key] = nil
            oldSpec[key] = nil
        }
        if newSpec != oldSpec {
            return [.forbidden("spec", "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden")]
        }
        return []
    }

    private static func validateJob(_ object: JSONValue, old: JSONValue?) -> [FieldProblem] {
        var errors = validatePodSpec(object[path: "spec", "template", "spec"], field: "spec.template.spec")
        let restartPolicy = object[path: "spec", "template", "spec", "restartPolicy"]?.stringValue ?? ""
        if restartPolicy != "OnFailure" && restartPolicy != "Never" {
            errors.append(restartPolicy.isEmpty
                ? .required("spec.template.spec.restartPolicy", "valid values: \"OnFailure\", \"Never\"")
                : .notSupported("spec.template.spec.restartPolicy", .string(restartPolicy), supported: ["OnFailure", "Never"]))
        }
        if let old {
            if old[path: "spec", "selector"] != object[path: "spec", "selector"] {
                errors.append(.invalid("spec.selector", rendered: renderSelector(object[path: "spec", "selector"]), "field is immutable"))
            }
            if old[path: "spec", "template"] != object[path: "spec", "template"] {
                errors.append(.invalid("spec.template", rendered: "core.PodTemplateSpec{...}", "field is immutable"))
            }
        }
        return errors
    }

    static func validatePodSpec(_ spec: JSONValue?, field: String) -> [FieldProblem] {
        guard let spec else { return [.required("\(field).containers")] }
        var errors: [FieldProblem] = []
        let containers = spec["containers"]?.arrayValue ?? []
        if containers.isEmpty { errors.append(.required("\(field).containers")) }
        var names: Set<String> = []
        for (kindField, list) in [("containers", containers), ("initContainers", spec["initContainers"]?.arrayValue ?? [])] {
            for (i, container) in list.enumerated() {
                let path = "\(field).\(kindField)[\(i)]"
                let name = container["name"]?.stringValue ?? ""
                if name.isEmpty {
                    errors.append(.required("\(path).name"))
                } else if !NameValidation.isLabel(name) || name.utf8.count > 63 {
                    errors.append(.invalid("\(path).name", .string(name), NameValidation.labelMessage))
                } else if !names.insert(name).inserted {
                    errors.append(.duplicate("\(path).name", .string(name)))
                }
                if (container["image"]?.stringValue ?? "").isEmpty { errors.append(.required("\(path).image")) }
                for (p, port) in (container["ports"]?.arrayValue ?? []).enumerated() {
                    if let number = port["containerPort"]?.intValue, !(1...65535).contains(number) {
                        errors.append(.invalid("\(path).ports[\(p)].containerPort", .int(number), "must be between 1 and 65535, inclusive"))
                    } else if port["containerPort"] == nil {
                        errors.append(.required("\(path).ports[\(p)].containerPort"))
                    }
                }
            }
        }
        return errors
    }

    private static func validateService(_ object: JSONValue, old: JSONValue?) -> [FieldProblem] {
        var errors: [FieldProblem] = []
        let type = object[path: "spec", "type"]?.stringValue ?? "ClusterIP"
        let supported = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]
        if !supported.contains(type) {
            errors.append(.notSupported("spec.type", .string(type), supported: supported))
        }
        let ports = object[path: "spec", "ports"]?.arrayValue ?? []
        let headless = object[path: "spec", "clusterIP"]?.stringValue == "None"
        if ports.isEmpty && type != "ExternalName" && !headless { errors.append(.required("spec.ports")) }
        for (i, port) in ports.enumerated() {
            if let number = port["port"]?.intValue {
                if !(1...65535).contains(number) {
                    errors.append(.invalid("spec.ports[\(i)].port", .int(number), "must be between 1 and 65535, inclusive"))
                }
            } else {
                errors.append(.required("spec.ports[\(i)].port"))
            }
            if ports.count > 1, (port["name"]?.stringValue ?? "").isEmpty { errors.append(.required("spec.ports[\(i)].name")) }
        }
        if let old, let oldIP = old[path: "spec", "clusterIP"]?.stringValue, !oldIP.isEmpty,
           let newIP = object[path: "spec", "clusterIP"]?.stringValue, newIP != oldIP {
            errors.append(.invalid("spec.clusterIPs[0]", rendered: "[]string{\"\(newIP)\"}", "may not change once set"))
        }
        return errors
    }

    private static func validateConfigData(_ type: ResourceType, _ object: JSONValue, old: JSONValue?) -> [FieldProblem] {
        var errors: [FieldProblem] = []
        var total = 0
        for field in ["data", "binaryData"] {
            for (key, value) in object[field]?.objectValue ?? [:] {
                if !isConfigKey(key) {
                    errors.append(.invalid("\(field)[\(key)]", .string(key), "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"))
                }
                total += value.stringValue?.utf8.count ?? 0
            }
        }
        if total > 1024 * 1024 {
            errors.append(.tooLong(type.kind == "Secret" ? "data" : "[]", .null, max: 1024 * 1024))
        }
        if let old {
            if old["immutable"]?.boolValue == true {
                if object["immutable"]?.boolValue != true {
                    errors.append(.forbidden("immutable", "field is immutable when `immutable` is set"))
                }
                for field in ["data", "binaryData"] where old[field] != object[field] {
                    errors.append(.forbidden(field, "field is immutable when `immutable` is set"))
                }
            }
            if type.kind == "Secret", let oldType = old["type"], oldType != object["type"] {
                errors.append(.invalid("type", object["type"] ?? .string(""), "field is immutable"))
            }
        }
        return errors
    }

    private static func isConfigKey(_ key: String) -> Bool {
        !key.isEmpty && key != "." && key != ".." && key.utf8.count <= 253 && key.utf8.allSatisfy { c in
            (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 45 || c == 46 || c == 95
        }
    }

    static func renderSelector(_ selector: JSONValue?) -> String {
        let expressions = selector?["matchExpressions"]?.arrayValue
        let expressionText = expressions.map { "[]v1.LabelSelectorRequirement{...\($0.count)}" } ?? "[]v1.LabelSelectorRequirement(nil)"
        return "v1.LabelSelector{MatchLabels:\(FieldProblem.renderStringMap(selector?["matchLabels"])), MatchExpressions:\(expressionText)}"
    }
}
