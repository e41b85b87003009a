import GitOpsKit

/// Reading CustomResourceDefinitions: defaulting and validation as the apiextensions server does, and the
/// resource types an Established CRD serves.
enum CRDValidation {
    static let cleanupFinalizer = "customresourcecleanup.apiextensions.k8s.io"

    /// Fills `names.singular`, `names.listKind`, `conversion` and `status.storedVersions`.
    static func applyDefaults(_ crd: inout JSONValue) {
        if let kind = crd[path: "spec", "names", "kind"]?.stringValue {
            BuiltInDefaults.setIfAbsent(&crd, ["spec", "names", "singular"], .string(kind.lowercased()))
            BuiltInDefaults.setIfAbsent(&crd, ["spec", "names", "listKind"], .string("\(kind)List"))
        }
        BuiltInDefaults.setIfAbsent(&crd, ["spec", "conversion", "strategy"], "None")
    }

    static func validate(_ crd: JSONValue, old: JSONValue?) -> [FieldProblem] {
        var errors: [FieldProblem] = []
        let group = crd[path: "spec", "group"]?.stringValue ?? ""
        let plural = crd[path: "spec", "names", "plural"]?.stringValue ?? ""
        let kind = crd[path: "spec", "names", "kind"]?.stringValue ?? ""
        let name = crd[path: "metadata", "name"]?.stringValue ?? ""
        if group.isEmpty {
            errors.append(.required("spec.group"))
        } else if !NameValidation.isSubdomain(group) || !group.contains(".") {
            errors.append(.invalid("spec.group", .string(group), "should be a domain with at least one dot"))
        }
        if plural.isEmpty { errors.append(.required("spec.names.plural")) }
        if kind.isEmpty { errors.append(.required("spec.names.kind")) }
        if !plural.isEmpty, !group.isEmpty, name != "\(plural).\(group)" {
            errors.append(.invalid("metadata.name", .string(name), "must be spec.names.plural+\".\"+spec.group"))
        }
        let scope = crd[path: "spec", "scope"]?.stringValue ?? ""
        if scope != "Namespaced" && scope != "Cluster" {
            errors.append(scope.isEmpty ? .required("spec.scope")
                                        : .notSupported("spec.scope", .string(scope), supported: ["Cluster", "Namespaced"]))
        }
        let versions = crd[path: "spec", "versions"]?.arrayValue ?? []
        if versions.isEmpty {
            errors.append(.invalid("spec.versions", .array([]), "must have exactly one version marked as storage version"))
        } else {
            let storage = versions.filter { $0["storage"]?.boolValue == true }.count
            if storage != 1 {
                errors.append(.invalid("spec.versions", .null, "must have exactly one version marked as storage version"))
            }
            for (i, version) in versions.enumerated() {
                if (version["name"]?.stringValue ?? "").isEmpty { errors.append(.required("spec.versions[\(i)].name")) }
                guard let schema = version[path: "schema", "openAPIV3Schema"] else { continue }
                do {
                    _ = try StructuralSchema(openAPIV3Schema: schema)
                } catch {
                    errors.append(.invalid("spec.versions[\(i)].schema.\(error.path ?? "openAPIV3Schema")",
                                           rendered: "\"\"", error.message))
                }
            }
        }
        if let old {
            for (field, path) in [("spec.group", ["spec", "group"]), ("spec.names.plural", ["spec", "names", "plural"]),
                                  ("spec.scope", ["spec", "scope"])] {
                let before = value(old, path)
                let after = value(crd, path)
                if before != after {
                    errors.append(.invalid(field, after ?? .string(""), "field is immutable"))
                }
            }
        }
        return errors
    }

    private static func value(_ object: JSONValue, _ path: [String]) -> JSONValue? {
        var current: JSONValue? = object
        for key in path { current = current?[key] }
        return current
    }

    /// The resource types a CRD serves (one per served version); empty when it is malformed.
    static func resourceTypes(of crd: JSONValue, schemaBuilder: (JSONValue) -> (any CustomResourceSchema)?) -> [ResourceType] {
        guard let name = crd[path: "metadata", "name"]?.stringValue,
              let group = crd[path: "spec", "group"]?.stringValue,
              let plural = crd[path: "spec", "names", "plural"]?.stringValue,
              let kind = crd[path: "spec", "names", "kind"]?.stringValue,
              let versions = crd[path: "spec", "versions"]?.arrayValue else { return [] }
        let names = crd[path: "spec", "names"] ?? .object([:])
        let namespaced = crd[path: "spec", "scope"]?.stringValue != "Cluster"
        let storageVersion = versions.first { $0["storage"]?.boolValue == true }?["name"]?.stringValue
            ?? versions.first?["name"]?.stringValue ?? "v1"
        let terminating = crd[path: "metadata", "deletionTimestamp"] != nil
        return versions.compactMap { version -> ResourceType? in
            guard version["served"]?.boolValue != false, let versionName = version["name"]?.stringValue else { return nil }
            let schemaValue = version[path: "schema", "openAPIV3Schema"]
            let columns = (version["additionalPrinterColumns"]?.arrayValue ?? []).compactMap { column -> PrinterColumn? in
                guard let name = column["name"]?.stringValue, let jsonPath = column["jsonPath"]?.stringValue else { return nil }
                return PrinterColumn(name: name, type: column["type"]?.stringValue ?? "string",
                                     format: column["format"]?.stringValue ?? "",
                                     description: column["description"]?.stringValue ?? "",
                                     priority: Int(column["priority"]?.intValue ?? 0), jsonPath: jsonPath)
            }
            let info = CustomResourceInfo(
                crdName: name, listKind: names["listKind"]?.stringValue ?? "\(kind)List",
                openAPIV3Schema: schemaValue, schema: schemaValue.flatMap(schemaBuilder), printerColumns: columns,
                terminating: terminating)
            var type = ResourceType(
                group: group, version: versionName, resource: plural, kind: kind, namespaced: namespaced,
                shortNames: (names["shortNames"]?.arrayValue ?? []).compactMap(\.stringValue),
                categories: (names["categories"]?.arrayValue ?? []).compactMap(\.stringValue),
                hasStatus: version[path: "subresources", "status"] != nil,
                hasScale: version[path: "subresources", "scale"] != nil,
                tracksGeneration: true, storage: StorageID(group: group, resource: plural),
                storageVersion: storageVersion, custom: info, returnsDeletedObject: true)
            type.singular = names["singular"]?.stringValue ?? kind.lowercased()
            return type
        }
    }

    /// The preferred version: the served one of highest Kubernetes version priority (v2 > v1 > v1beta2 > v1beta1 >
    /// v1alpha1 > anything else).
    static func preferredVersion(of crd: JSONValue) -> String? {
        servedVersions(of: crd).first
    }

    /// Served versions in Kubernetes version priority order.
    static func servedVersions(of crd: JSONValue) -> [String] {
        let names = (crd[path: "spec", "versions"]?.arrayValue ?? [])
            .filter { $0["served"]?.boolValue != false }.compactMap { $0["name"]?.stringValue }
        return names.sorted { versionPriority($0) > versionPriority($1) }
    }

    /// A sortable priority: (stability, major, minor), with stability 3 = GA, 2 = beta, 1 = alpha, 0 = other.
    static func versionPriority(_ version: String) -> (Int, Int, Int, String) {
        let characters = Array(version)
        guard characters.first == "v" else { return (0, 0, 0, invert(version)) }
        var index = 1
        var major = 0
        var digits = 0
        while index < characters.count, let digit = characters[index].wholeNumberValue {
            major = major * 10 + digit
            index += 1
            digits += 1
        }
        guard digits > 0 else { return (0, 0, 0, invert(version)) }
        if index == characters.count { return (3, major, 0, "") }
        let rest = String(characters[index...])
        for (label, stability) in [("beta", 2), ("alpha", 1)] where rest.hasPrefix(label) {
            if let minor = Int(rest.dropFirst(label.count)) { return (stability, major, minor, "") }
        }
        return (0, 0, 0, invert(version))
    }

    /// Other versions sort alphabetically ascending, i.e. inverted for a descending sort.
    private static func invert(_ text: String) -> String {
        String(text.unicodeScalars.map { Character(Unicode.Scalar(UInt8(255 - min(254, Int($0.value)))) ) })
    }
}
