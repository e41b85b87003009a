import GitOpsKit

/// A parsed, validated kustomization file: the fields this engine implements, typed.
///
/// Unknown fields are refused (as kustomize refuses them) and known fields this engine does not implement are
/// refused too, each naming the field and the file, so nothing in a kustomization is silently ignored.
struct Kustomization: Sendable {
    /// The file it was read from, as shown in errors.
    var file: String
    /// The document as written (generators read their entries from it).
    var raw: JSONValue
    var isComponent = false
    var resources: [String] = []
    var components: [String] = []
    var crds: [String] = []
    var namespace = ""
    var namePrefix = ""
    var nameSuffix = ""
    var commonLabels: [String: String] = [:]
    var commonAnnotations: [String: String] = [:]
    var labels: [LabelEntry] = []
    var images: [ImageEntry] = []
    var replicas: [ReplicaEntry] = []
    var patches: [PatchEntry] = []
    var patchesStrategicMerge: [String] = []
    var patchesJson6902: [PatchEntry] = []
    var sortOrder = SortOrder.legacy(first: LegacyOrder.defaultFirst, last: LegacyOrder.defaultLast)
    var hasGenerators: Bool { raw["configMapGenerator"] != nil || raw["secretGenerator"] != nil }

    struct LabelEntry: Sendable {
        var pairs: [String: String]
        var includeSelectors: Bool
        var includeTemplates: Bool
        var fields: [FieldSpec]
    }

    struct ImageEntry: Sendable {
        var name: String
        var newName = ""
        var newTag = ""
        var digest = ""
        var tagSuffix = ""
    }

    struct ReplicaEntry: Sendable {
        var name: String
        var count: Int64
    }

    struct PatchEntry: Sendable {
        var path: String?
        var patch: String?
        var target: ResourceSelector?
        var allowNameChange = false
        var allowKindChange = false
    }

    enum SortOrder: Sendable {
        case legacy(first: [String], last: [String])
        case fifo
    }

    static let fileNames = ["kustomization.yaml", "kustomization.yml", "Kustomization"]

    /// Fields kustomize knows that this engine refuses rather than ignores.
    static let unsupportedFields: Set<String> = [
        "openapi", "vars", "replacements", "configurations", "generators", "transformers", "validators",
        "helmCharts", "helmGlobals", "helmChartInflationGenerator", "buildMetadata", "imageTags",
    ]

    static let supportedFields: Set<String> = [
        "apiVersion", "kind", "metadata", "resources", "bases", "components", "crds", "namespace", "namePrefix",
        "nameSuffix", "commonLabels", "commonAnnotations", "labels", "images", "replicas", "patches",
        "patchesStrategicMerge", "patchesJson6902", "configMapGenerator", "secretGenerator", "generatorOptions",
        "sortOptions",
    ]

    init(_ value: JSONValue, file: String) throws(KustomizeError) {
        self.file = file
        self.raw = value
        guard case .object(let members) = value else {
            if value.isNull { return }
            throw KustomizeError("invalid Kustomization in '\(file)': expected a mapping, got \(value.typeName)")
        }
        let reader = FieldReader(file: file)
        for key in members.keys.sorted() {
            if Self.unsupportedFields.contains(key) {
                throw KustomizeError("field '\(key)' in '\(file)' is not supported by this kustomize engine")
            }
            guard Self.supportedFields.contains(key) else {
                throw KustomizeError("invalid Kustomization in '\(file)': unknown field \"\(key)\"")
            }
        }
        if let kind = members["kind"] {
            switch try reader.string(kind, "kind") {
            case "", "Kustomization": break
            case "Component": isComponent = true
            case let other: throw KustomizeError("kind '\(other)' in '\(file)' is neither Kustomization nor Component")
            }
        }
        if let apiVersion = members["apiVersion"] { _ = try reader.string(apiVersion, "apiVersion") }
        resources = try reader.strings(members["resources"], "resources") + reader.strings(members["bases"], "bases")
        components = try reader.strings(members["components"], "components")
        crds = try reader.strings(members["crds"], "crds")
        namespace = try members["namespace"].map { v throws(KustomizeError) in try reader.string(v, "namespace") } ?? ""
        namePrefix = try members["namePrefix"].map { v throws(KustomizeError) in try reader.string(v, "namePrefix") } ?? ""
        nameSuffix = try members["nameSuffix"].map { v throws(KustomizeError) in try reader.string(v, "nameSuffix") } ?? ""
        commonLabels = try reader.stringMap(members["commonLabels"], "commonLabels")
        commonAnnotations = try reader.stringMap(members["commonAnnotations"], "commonAnnotations")
        for item in try reader.objects(members["labels"], "labels") {
            try reader.checkKeys(item, ["pairs", "includeSelectors", "includeTemplates", "fields"], "labels")
            labels.append(LabelEntry(
                pairs: try reader.stringMap(item["pairs"], "labels.pairs"),
                includeSelectors: try reader.bool(item["includeSelectors"], "labels.includeSelectors"),
                includeTemplates: try reader.bool(item["includeTemplates"], "labels.includeTemplates"),
                fields: try reader.objects(item["fields"], "labels.fields").map { (spec) throws(KustomizeError) in
                    try reader.checkKeys(spec, ["path", "create", "group", "version", "kind"], "labels.fields")
                    return FieldSpec(
                        gvk: FieldSpecGVK(group: try reader.optionalString(spec["group"], "group"),
                                          version: try reader.optionalString(spec["version"], "version"),
                                          kind: try reader.optionalString(spec["kind"], "kind")),
                        path: try reader.optionalString(spec["path"], "path"),
                        create: try reader.bool(spec["create"], "create"))
                }))
        }
        for item in try reader.objects(members["images"], "images") {
            try reader.checkKeys(item, ["name", "newName", "newTag", "digest", "tagSuffix"], "images")
            images.append(ImageEntry(
                name: try reader.optionalString(item["name"], "images.name"),
                newName: try reader.optionalString(item["newName"], "images.newName"),
                newTag: try reader.scalarString(item["newTag"], "images.newTag"),
                digest: try reader.optionalString(item["digest"], "images.digest"),
                tagSuffix: try reader.optionalString(item["tagSuffix"], "images.tagSuffix")))
        }
        for item in try reader.objects(members["replicas"], "replicas") {
            try reader.checkKeys(item, ["name", "count"], "replicas")
            guard let count = item["count"]?.intValue else {
                throw KustomizeError("invalid Kustomization in '\(file)': replicas.count must be an integer")
            }
            replicas.append(ReplicaEntry(name: try reader.optionalString(item["name"], "replicas.name"), count: count))
        }
        for item in try reader.objects(members["patches"], "patches") {
            try reader.checkKeys(item, ["path", "patch", "target", "options"], "patches")
            var entry = PatchEntry(
                path: try item["path"].map { v throws(KustomizeError) in try reader.string(v, "patches.path") },
                patch: try item["patch"].map { v throws(KustomizeError) in try reader.string(v, "patches.patch") },
                target: try item["target"].map { v throws(KustomizeError) in try ResourceSelector(v, reader: reader) })
            if let options = item["options"] {
                guard case .object(let flags) = options else {
                    throw KustomizeError("invalid Kustomization in '\(file)': patches.options must be a mapping")
                }
                for (key, flag) in flags {
                    guard let on = flag.boolValue else {
                        throw KustomizeError("invalid Kustomization in '\(file)': patches.options.\(key) must be a boolean")
                    }
                    if key == "allowNameChange" { entry.allowNameChange = on }
                    if key == "allowKindChange" { entry.allowKindChange = on }
                }
            }
            patches.append(entry)
        }
        patchesStrategicMerge = try reader.strings(members["patchesStrategicMerge"], "patchesStrategicMerge")
        for item in try reader.objects(members["patchesJson6902"], "patchesJson6902") {
            try reader.checkKeys(item, ["path", "patch", "target"], "patchesJson6902")
            patchesJson6902.append(PatchEntry(
                path: try item["path"].map { v throws(KustomizeError) in try reader.string(v, "patchesJson6902.path") },
                patch: try item["patch"].map { v throws(KustomizeError) in try reader.string(v, "patchesJson6902.patch") },
                target: try item["target"].map { v throws(KustomizeError) in try ResourceSelector(v, reader: reader) }))
        }
        if let options = members["sortOptions"] {
            try reader.checkKeys(options, ["order", "legacySortOptions"], "sortOptions")
            switch try reader.optionalString(options["order"], "sortOptions.order") {
            case "fifo":
                if options["legacySortOptions"] != nil {
                    throw KustomizeError("the field 'sortOptions.legacySortOptions' in '\(file)' is set but the selected sort order is 'fifo', not 'legacy'")
                }
                sortOrder = .fifo
            case "legacy":
                if let legacy = options["legacySortOptions"] {
                    try reader.checkKeys(legacy, ["orderFirst", "orderLast"], "sortOptions.legacySortOptions")
                    sortOrder = .legacy(first: try reader.strings(legacy["orderFirst"], "orderFirst"),
                                        last: try reader.strings(legacy["orderLast"], "orderLast"))
                }
            case let other:
                throw KustomizeError("the field 'sortOptions.order' in '\(file)' must be one of 'legacy' or 'fifo', not '\(other)'")
            }
        }
    }
}

/// Typed access to kustomization fields with errors that name the field and file.
struct FieldReader: Sendable {
    var file: String

    func fail(_ field: String, _ expected: String, _ value: JSONValue) -> KustomizeError {
        KustomizeError("invalid Kustomization in '\(file)': field '\(field)' must be \(expected), got \(value.typeName)")
    }

    func string(_ value: JSONValue, _ field: String) throws(KustomizeError) -> String {
        switch value {
        case .string(let s): return s
        case .null: return ""
        default: throw fail(field, "a string", value)
        }
    }

    func optionalString(_ value: JSONValue?, _ field: String) throws(KustomizeError) -> String {
        guard let value else { return "" }
        return try string(value, field)
    }

    /// A string field that YAML may have typed as a number (`newTag: 1.2`), as kustomize's unmarshaling accepts.
    func scalarString(_ value: JSONValue?, _ field: String) throws(KustomizeError) -> String {
        switch value {
        case nil, .null?: return ""
        case .string(let s)?: return s
        case .int(let i)?: return String(i)
        case .double(let d)?: return GoFloatJSON.format(d)
        case let other?: throw fail(field, "a string", other)
        }
    }

    func bool(_ value: JSONValue?, _ field: String) throws(KustomizeError) -> Bool {
        switch value {
        case nil, .null?: return false
        case .bool(let b)?: return b
        case let other?: throw fail(field, "a boolean", other)
        }
    }

    func strings(_ value: JSONValue?, _ field: String) throws(KustomizeError) -> [String] {
        switch value {
        case nil, .null?: return []
        case .array(let items)?: return try items.map { (item) throws(KustomizeError) in try string(item, field) }
        case let other?: throw fail(field, "a list of strings", other)
        }
    }

    func stringMap(_ value: JSONValue?, _ field: String) throws(KustomizeError) -> [String: String] {
        switch value {
        case nil, .null?: return [:]
        case .object(let members)?:
            var result: [String: String] = [:]
            for (key, item) in members { result[key] = try string(item, "\(field).\(key)") }
            return result
        case let other?: throw fail(field, "a mapping of strings", other)
        }
    }

    func objects(_ value: JSONValue?, _ field: String) throws(KustomizeError) -> [JSONValue] {
        switch value {
        case nil, .null?: return []
        case .array(let items)?:
            for item in items where item.objectValue == nil { throw fail(field, "a list of mappings", item) }
            return items
        case let other?: throw fail(field, "a list", other)
        }
    }

    func checkKeys(_ value: JSONValue, _ known: Set<String>, _ field: String) throws(KustomizeError) {
        guard case .object(let members) = value else { throw fail(field, "a mapping", value) }
        for key in members.keys.sorted() where !known.contains(key) {
            throw KustomizeError("invalid Kustomization in '\(file)': unknown field \"\(key)\" in '\(field)'")
        }
    }
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)`-like shortest form for a float that YAML typed in a string field.
enum GoFloatJSON {
    static func format(_ value: Double) -> String {
        if let i = Int64(exactly: value) { return String(i) }
        return "\(value)"
    }
}
