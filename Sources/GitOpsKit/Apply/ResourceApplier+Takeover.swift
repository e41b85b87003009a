extension ResourceApplier {
    /// Whether a `managedFields` entry belongs to a manager whose fields the applier takes over (Flux's
    /// `Override` policy): `kubectl*` (edit, patch, label, client-side apply), `before-first-apply`, this
    /// applier's own `Update` entries, and `overrideManagers` (`--override-manager`, name prefixes).
    /// `flux-client-side-apply` and every other manager are left alone.
    public static func isTakenOver(_ entry: JSONValue, fieldManager: String, overrideManagers: [String] = []) -> Bool {
        guard entry["subresource"] == nil, let manager = entry["manager"]?.stringValue else { return false }
        let operation = entry["operation"]?.stringValue
        if manager.hasPrefix("kubectl") { return true }
        if manager.hasPrefix("before-first-apply") { return operation == "Update" }
        if overrideManagers.contains(where: { manager.hasPrefix($0) }) { return operation == "Update" || operation == "Apply" }
        return manager.hasPrefix(fieldManager) && operation == "Update"
    }

    /// The metadata patch that moves the fields of taken-over managers into this applier's `Apply` entry (and drops
    /// `kubectl.kubernetes.io/last-applied-configuration`), or nil when there is nothing to take over. After it, the
    /// next apply removes what those managers added and the manifests do not have (a label added by `kubectl edit`).
    public static func takeoverPatch(for live: JSONValue, fieldManager: String, apiVersion: String,
                                     overrideManagers: [String] = []) -> JSONValue? {
        let entries = live[path: "metadata", "managedFields"]?.arrayValue ?? []
        let lastApplied = "kubectl.kubernetes.io/last-applied-configuration"
        let hasLastApplied = live[path: "metadata", "annotations", lastApplied] != nil
        let foreign = entries.filter { isTakenOver($0, fieldManager: fieldManager, overrideManagers: overrideManagers) }
        guard !foreign.isEmpty || hasLastApplied else { return nil }
        var kept = entries.filter { !isTakenOver($0, fieldManager: fieldManager, overrideManagers: overrideManagers) }
        var merged: JSONValue = .object([:])
        for entry in foreign { merged = mergeFields(merged, entry["fieldsV1"] ?? .object([:])) }
        if let index = kept.firstIndex(where: { $0["manager"]?.stringValue == fieldManager && $0["operation"] == "Apply" && $0["subresource"] == nil }) {
            kept[index]["fieldsV1"] = mergeFields(kept[index]["fieldsV1"] ?? .object([:]), merged)
        } else {
            kept.append(["manager": .string(fieldManager), "operation": "Apply", "apiVersion": .string(apiVersion),
                         "fieldsType": "FieldsV1", "fieldsV1": merged])
        }
        var metadata: [String: JSONValue] = ["managedFields": .array(kept)]
        if hasLastApplied { metadata["annotations"] = .object([lastApplied: .null]) }
        return ["metadata": .object(metadata)]
    }

    /// The union of two `fieldsV1` sets.
    static func mergeFields(_ lhs: JSONValue, _ rhs: JSONValue) -> JSONValue {
        guard case .object(var result) = lhs, case .object(let other) = rhs else { return rhs }
        for (key, value) in other { result[key] = result[key].map { mergeFields($0, value) } ?? value }
        return .object(result)
    }
}
