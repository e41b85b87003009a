extension ResourceApplier {
    /// What to do in the apply payload with an ignored field whose live value differs from the manifests'.
    enum IgnoredFieldResolution: Hashable {
        /// Another `Apply` manager owns the field: leave it out, so the live value stays theirs.
        case strip
        /// Only this applier (or `Update` managers such as an HPA's scale writes) owns it: send the live value
        /// (nil: the live object has no value there, so the field is left out), so applying does not reset it.
        case adopt(JSONValue?)
    }

    /// `object` without the values at `paths`.
    static func stripping(_ object: JSONValue, _ paths: [JSONPointer]) -> JSONValue {
        paths.reduce(object) { $1.removingValue(from: $0) }
    }

    /// For each ignored path whose value differs between the live object and the dry-run result, how to keep the
    /// live value when the object is applied for other reasons (Flux `computeDriftedPaths`).
    static func ignoredFieldResolutions(existing: JSONValue, dryRun: JSONValue, paths: [JSONPointer],
                                        fieldManager: String) -> [(JSONPointer, IgnoredFieldResolution)] {
        var result: [(JSONPointer, IgnoredFieldResolution)] = []
        let applyEntries = Self.applyEntries(existing)
        for path in paths {
            let live = path.value(in: existing)
            let desired = path.value(in: dryRun)
            let same: Bool = switch (live, desired) {
            case (nil, nil): true
            case (let a?, let b?): a.isJSONEqual(to: b)
            default: false
            }
            if same { continue }
            if isOwned(path, in: existing, byOtherThan: fieldManager, entries: applyEntries) {
                result.append((path, .strip))
            } else {
                result.append((path, .adopt(live)))
            }
        }
        return result
    }

    /// The payload with the resolutions applied.
    static func resolving(_ payload: JSONValue, _ resolutions: [(JSONPointer, IgnoredFieldResolution)]) -> JSONValue {
        var result = payload
        // Strips first (the order Flux applies them), each from the deepest array index down so removals do not
        // shift the indices of later ones.
        let strips = resolutions.filter { $0.1 == .strip }.map(\.0).sorted { Self.isAfter($0, $1) }
        for path in strips { result = path.removingValue(from: result) }
        for (path, resolution) in resolutions {
            guard case .adopt(let live) = resolution else { continue }
            if let live {
                result = path.settingValue(live, in: result) ?? result
            } else {
                result = path.removingValue(from: result)
            }
        }
        return result
    }

    /// Whether `lhs` sorts after `rhs`, comparing array indices as numbers.
    private static func isAfter(_ lhs: JSONPointer, _ rhs: JSONPointer) -> Bool {
        for (a, b) in zip(lhs.tokens, rhs.tokens) where a != b {
            if let x = Int(a), let y = Int(b) { return x > y }
            return a > b
        }
        return lhs.tokens.count > rhs.tokens.count
    }

    // MARK: Field ownership

    /// The `fieldsV1` of every `Apply` entry of the object's main resource, with its manager.
    private static func applyEntries(_ object: JSONValue) -> [(manager: String, fields: JSONValue)] {
        (object[path: "metadata", "managedFields"]?.arrayValue ?? []).compactMap { entry in
            guard entry["subresource"] == nil || entry["subresource"] == "", entry["operation"] == "Apply",
                  let manager = entry["manager"]?.stringValue, let fields = entry["fieldsV1"], case .object = fields
            else { return nil }
            return (manager, fields)
        }
    }

    /// Whether an `Apply` manager other than `fieldManager` owns the field at `path`. A path that cannot be
    /// expressed as a `fieldsV1` path (an array element without a key) counts as not owned by others.
    private static func isOwned(_ path: JSONPointer, in object: JSONValue, byOtherThan fieldManager: String,
                                entries: [(manager: String, fields: JSONValue)]) -> Bool {
        guard let segments = fieldSegments(path, in: object, entries: entries) else { return false }
        return entries.contains { entry in
            entry.manager != fieldManager && contains(entry.fields, segments)
        }
    }

    /// `["f:spec", "f:replicas"]` for `/spec/replicas`; an array index becomes the `k:{…}` key of that element
    /// found in any entry.
    private static func fieldSegments(_ path: JSONPointer, in object: JSONValue,
                                      entries: [(manager: String, fields: JSONValue)]) -> [String]? {
        var segments: [String] = []
        var node: JSONValue? = object
        for token in path.tokens {
            if case .array(let elements)? = node, let index = Int(token) {
                guard elements.indices.contains(index), case .object(let item) = elements[index],
                      let key = elementKey(item, parent: segments, entries: entries) else { return nil }
                segments.append(key)
                node = elements[index]
            } else {
                segments.append("f:" + token)
                node = node?[token]
            }
        }
        return segments.isEmpty ? nil : segments
    }

    /// The `k:{…}` key under `parent` (in any entry) whose members all equal the item's.
    private static func elementKey(_ item: [String: JSONValue], parent: [String],
                                   entries: [(manager: String, fields: JSONValue)]) -> String? {
        for entry in entries {
            var node: JSONValue? = entry.fields
            for segment in parent { node = node?[segment] }
            for key in (node?.objectValue ?? [:]).keys.sorted() where key.hasPrefix("k:") {
                guard let members = (try? JSONValue(json: String(key.dropFirst(2))))?.objectValue else { continue }
                if members.allSatisfy({ name, value in item[name].map { $0.isJSONEqual(to: value) } ?? false }) {
                    return key
                }
            }
        }
        return nil
    }

    private static func contains(_ fields: JSONValue, _ segments: [String]) -> Bool {
        var node = fields
        for segment in segments {
            guard let next = node[segment] else { return false }
            node = next
        }
        return true
    }
}
