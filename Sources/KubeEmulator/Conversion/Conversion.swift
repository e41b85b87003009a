import GitOpsKit

/// Converts objects between a served version and their storage version. Most kinds only change `apiVersion`;
/// `events.k8s.io/v1` Events are stored as `v1` Events with renamed fields, as kube-apiserver does.
enum Conversion {
    static func needsFieldConversion(_ type: ResourceType) -> Bool {
        type.group == "events.k8s.io"
    }

    /// The object as stored.
    static func toStorage(_ type: ResourceType, _ object: JSONValue) -> JSONValue {
        var out = object
        if needsFieldConversion(type) { out = EventConversion.toCore(object) }
        out["apiVersion"] = .string(type.storageAPIVersion)
        out["kind"] = .string(type.kind)
        return out
    }

    /// The stored object as served by `type`.
    static func toServed(_ type: ResourceType, _ object: JSONValue) -> JSONValue {
        var out = object
        if needsFieldConversion(type) { out = EventConversion.fromCore(object) }
        out["apiVersion"] = .string(type.apiVersion)
        out["kind"] = .string(type.kind)
        return out
    }

    /// The JSON of a stored object as served by `type` (no re-encoding unless fields change).
    static func servedJSON(_ type: ResourceType, _ stored: StoredObject) -> [UInt8] {
        if needsFieldConversion(type) { return ObjectEncoding.encode(toServed(type, stored.object)) }
        return stored.json(apiVersion: type.apiVersion, kind: type.kind)
    }
}

/// Field mapping between `events.k8s.io/v1` Event and core `v1` Event.
enum EventConversion {
    private static let renames: [(events: String, core: String)] = [
        ("regarding", "involvedObject"), ("note", "message"), ("reportingController", "reportingComponent"),
        ("deprecatedSource", "source"), ("deprecatedFirstTimestamp", "firstTimestamp"),
        ("deprecatedLastTimestamp", "lastTimestamp"), ("deprecatedCount", "count"),
    ]

    static func toCore(_ object: JSONValue) -> JSONValue {
        guard case .object(var members) = object else { return object }
        for (events, core) in renames {
            if let value = members.removeValue(forKey: events) { members[core] = value }
        }
        return .object(members)
    }

    static func fromCore(_ object: JSONValue) -> JSONValue {
        guard case .object(var members) = object else { return object }
        for (events, core) in renames {
            if let value = members.removeValue(forKey: core) { members[events] = value }
        }
        return .object(members)
    }
}
