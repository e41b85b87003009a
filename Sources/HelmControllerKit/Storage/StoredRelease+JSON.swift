import GitOpsKit

extension StoredRelease {
    /// Helm's JSON form of the release (`encoding/json` of `release.Release`): empty fields omitted as Helm's
    /// `omitempty` tags do, zero times written as `""` (Helm's `time.Time`), `info.deleted` always present.
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "name": .string(name),
            "info": info.json,
            "chart": chart,
            "version": .int(Int64(version)),
        ]
        if case .object(let members) = config, !members.isEmpty { object["config"] = config }
        if !manifest.isEmpty { object["manifest"] = .string(manifest) }
        if !hooks.isEmpty { object["hooks"] = .array(hooks.map(\.json)) }
        if !namespace.isEmpty { object["namespace"] = .string(namespace) }
        return .object(object)
    }

    /// Reads Helm's JSON form; `labels` come from the Secret, not the record.
    public init(json: JSONValue, labels: [String: String] = [:]) throws(ReleaseStorageError) {
        guard case .object = json else { throw .corrupt("release record is not a JSON object") }
        guard let name = json["name"]?.stringValue, !name.isEmpty else { throw .corrupt("release record has no name") }
        let info = try Info(json: json["info"] ?? .null)
        var hooks: [Hook] = []
        for hook in json["hooks"]?.arrayValue ?? [] { hooks.append(try Hook(json: hook)) }
        self.init(
            name: name, namespace: json["namespace"]?.stringValue ?? "",
            version: Int(json["version"]?.intValue ?? 0), info: info, chart: json["chart"] ?? .null,
            config: json["config"].flatMap { $0.isNull ? nil : $0 } ?? .object([:]),
            manifest: json["manifest"]?.stringValue ?? "", hooks: hooks, labels: labels)
    }
}

extension StoredRelease.Info {
    var json: JSONValue {
        var object: [String: JSONValue] = [
            "first_deployed": .string(firstDeployed?.rfc3339Nano ?? ""),
            "last_deployed": .string(lastDeployed?.rfc3339Nano ?? ""),
            "deleted": .string(deleted?.rfc3339Nano ?? ""),
            "status": .string(status.rawValue),
        ]
        if !description.isEmpty { object["description"] = .string(description) }
        if !notes.isEmpty { object["notes"] = .string(notes) }
        return .object(object)
    }

    init(json: JSONValue) throws(ReleaseStorageError) {
        guard case .object = json else { throw .corrupt("release record has no info") }
        let statusText = json["status"]?.stringValue ?? ""
        self.init(
            firstDeployed: try Self.time(json["first_deployed"]), lastDeployed: try Self.time(json["last_deployed"]),
            deleted: try Self.time(json["deleted"]), description: json["description"]?.stringValue ?? "",
            status: ReleaseStatus(rawValue: statusText) ?? .unknown, notes: json["notes"]?.stringValue ?? "")
    }

    /// Helm's `time.Time`: `""` or null is the zero time.
    static func time(_ value: JSONValue?) throws(ReleaseStorageError) -> KubeTime? {
        guard let text = value?.stringValue, !text.isEmpty else { return nil }
        do {
            let time = try KubeTime(parsing: text)
            // Go's zero time (`0001-01-01T00:00:00Z`) as some writers emit it.
            return time.secondsSinceEpoch <= -62_135_596_800 ? nil : time
        } catch {
            throw .corrupt("invalid time \(text.debugDescription) in release record")
        }
    }
}

extension StoredRelease.Hook {
    var json: JSONValue {
        var object: [String: JSONValue] = [
            "last_run": lastRun.json,
        ]
        if !name.isEmpty { object["name"] = .string(name) }
        if !kind.isEmpty { object["kind"] = .string(kind) }
        if !path.isEmpty { object["path"] = .string(path) }
        if !manifest.isEmpty { object["manifest"] = .string(manifest) }
        if !events.isEmpty { object["events"] = .array(events.map(JSONValue.string)) }
        if weight != 0 { object["weight"] = .int(Int64(weight)) }
        if !deletePolicies.isEmpty { object["delete_policies"] = .array(deletePolicies.map(JSONValue.string)) }
        return .object(object)
    }

    init(json: JSONValue) throws(ReleaseStorageError) {
        guard case .object = json else { throw .corrupt("release hook is not a JSON object") }
        let run = json["last_run"] ?? .null
        self.init(
            name: json["name"]?.stringValue ?? "", kind: json["kind"]?.stringValue ?? "",
            path: json["path"]?.stringValue ?? "", manifest: json["manifest"]?.stringValue ?? "",
            events: (json["events"]?.arrayValue ?? []).compactMap(\.stringValue),
            weight: Int(json["weight"]?.intValue ?? 0),
            deletePolicies: (json["delete_policies"]?.arrayValue ?? []).compactMap(\.stringValue),
            lastRun: Execution(
                startedAt: try StoredRelease.Info.time(run["started_at"]),
                completedAt: try StoredRelease.Info.time(run["completed_at"]),
                phase: run["phase"]?.stringValue ?? ""))
    }
}

extension StoredRelease.Hook.Execution {
    var json: JSONValue {
        .object([
            "started_at": .string(startedAt?.rfc3339Nano ?? ""),
            "completed_at": .string(completedAt?.rfc3339Nano ?? ""),
            "phase": .string(phase),
        ])
    }
}
