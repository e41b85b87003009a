import GitOpsKit

/// Who manages fields: kube-apiserver's manager identifier (`BuildManagerIdentifier`). Appliers are identified
/// without their apiVersion, so one applier keeps one entry across versions.
struct ManagerID: Hashable, Comparable {
    var manager: String
    var operation: String
    var apiVersion: String?
    var subresource: String?

    static func apply(_ manager: String, subresource: String?) -> ManagerID {
        ManagerID(manager: manager, operation: "Apply", apiVersion: nil, subresource: subresource)
    }

    static func update(_ manager: String, apiVersion: String, subresource: String?) -> ManagerID {
        ManagerID(manager: manager, operation: "Update", apiVersion: apiVersion, subresource: subresource)
    }

    /// The identifier's JSON (Go field order), which orders managers in conflict messages.
    var identifier: String {
        var text = "{\"manager\":\(JSONValue.string(manager).jsonString()),\"operation\":\"\(operation)\""
        if let apiVersion, !apiVersion.isEmpty { text += ",\"apiVersion\":\(JSONValue.string(apiVersion).jsonString())" }
        if let subresource, !subresource.isEmpty { text += ",\"subresource\":\(JSONValue.string(subresource).jsonString())" }
        return text + "}"
    }

    /// How kube-apiserver names a manager in conflicts: `"kubectl"`, `"kubectl" using apps/v1`,
    /// `"ctl" with subresource "status" using v1`.
    var printed: String {
        var text = JSONValue.string(manager).jsonString()
        if let subresource, !subresource.isEmpty { text += " with subresource \(JSONValue.string(subresource).jsonString())" }
        if operation == "Update" { text += " using \(apiVersion ?? "")" }
        return text
    }

    static func < (lhs: ManagerID, rhs: ManagerID) -> Bool { lhs.identifier < rhs.identifier }
}

/// One manager's entry: its field set, the version it is expressed in, Apply or Update, and when it last changed.
struct ManagedEntry: Hashable {
    var set: FieldSet
    var apiVersion: String
    var applied: Bool
    var time: String?
}

/// All managers of an object (`metadata.managedFields` decoded).
struct ManagedFields {
    var entries: [ManagerID: ManagedEntry] = [:]

    var isEmpty: Bool { entries.isEmpty }

    init() {}

    /// Decodes `metadata.managedFields`; a malformed entry is an error (callers treat it as "no managed fields").
    init(decoding object: JSONValue) throws(FieldSetError) {
        guard let list = object[path: "metadata", "managedFields"] else { return }
        guard case .array(let items) = list else { throw FieldSetError("metadata.managedFields must be a list") }
        for (index, item) in items.enumerated() {
            guard let operation = item["operation"]?.stringValue, operation == "Apply" || operation == "Update" else {
                throw FieldSetError("operation must be `Apply` or `Update`")
            }
            guard let apiVersion = item["apiVersion"]?.stringValue, !apiVersion.isEmpty else {
                throw FieldSetError("apiVersion must not be empty")
            }
            switch item["fieldsType"]?.stringValue {
            case "FieldsV1": break
            case nil, "": throw FieldSetError("missing fieldsType in managed fields entry \(index)")
            case let other?: throw FieldSetError("invalid fieldsType \"\(other)\" in managed fields entry \(index)")
            }
            let manager = item["manager"]?.stringValue ?? ""
            let subresource = item["subresource"]?.stringValue
            let id = operation == "Apply"
                ? ManagerID.apply(manager, subresource: subresource)
                : ManagerID.update(manager, apiVersion: apiVersion, subresource: subresource)
            let set = try FieldSet(fieldsV1: item["fieldsV1"] ?? .object([:]))
            entries[id] = ManagedEntry(set: set, apiVersion: apiVersion, applied: operation == "Apply",
                                       time: item["time"]?.stringValue)
        }
    }

    /// The `metadata.managedFields` list, sorted as the API server sorts it (operation, time, manager, apiVersion,
    /// subresource); nil when no manager is left.
    var encoded: JSONValue? {
        if entries.isEmpty { return nil }
        let sorted = entries.sorted { a, b in
            let (p, q) = (a.value, b.value)
            let pOperation = p.applied ? "Apply" : a.key.operation, qOperation = q.applied ? "Apply" : b.key.operation
            if pOperation != qOperation { return pOperation < qOperation }
            let pTime = p.time ?? "", qTime = q.time ?? ""
            if pTime != qTime { return pTime < qTime }
            if a.key.manager != b.key.manager { return a.key.manager < b.key.manager }
            if p.apiVersion != q.apiVersion { return p.apiVersion < q.apiVersion }
            return (a.key.subresource ?? "") < (b.key.subresource ?? "")
        }
        return .array(sorted.map { id, entry in
            var item: [String: JSONValue] = [
                "manager": .string(id.manager),
                "operation": .string(entry.applied ? "Apply" : id.operation),
                "apiVersion": .string(entry.apiVersion),
                "fieldsType": "FieldsV1",
                "fieldsV1": entry.set.fieldsV1,
            ]
            if let time = entry.time { item["time"] = .string(time) }
            if let subresource = id.subresource, !subresource.isEmpty { item["subresource"] = .string(subresource) }
            return .object(item)
        })
    }

    /// Writes the entries into `object` (removing `managedFields` when there are none).
    func encode(into object: inout JSONValue) {
        guard case .object = object else { return }
        if let encoded {
            object[path: "metadata", "managedFields"] = encoded
        } else if object[path: "metadata", "managedFields"] != nil {
            object[path: "metadata", "managedFields"] = nil
        }
    }
}
