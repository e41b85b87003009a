import FoundationEssentials
import GitOpsKit

/// What `create` does with the object it built: print it (`--export`) or apply it server-side and wait until the
/// controller reports on it, as `flux create` does.
struct ObjectWriter {
    /// The field manager of objects `gok` applies (`flux` uses `flux-client-side-apply`; ours is our own name).
    static let fieldManager = "gok"

    var cluster: ClusterOptions
    var export: Bool

    func write(_ object: JSONValue) async throws {
        if export {
            Terminal.output(Terminal.format([object], as: .yaml))
            return
        }
        let api = try cluster.client()
        let kind = object["kind"]?.stringValue ?? ""
        let name = object[path: "metadata", "name"]?.stringValue ?? ""
        Terminal.action("applying \(kind) \(name) in \(cluster.namespace) namespace")
        let applied = try await api.apply(object, fieldManager: Self.fieldManager)
        Terminal.success("\(kind) \(name) applied")
        guard Self.hasStatus(kind), let appliedKind = GroupVersionKind(of: applied) else { return }
        Terminal.waiting("waiting for \(kind) reconciliation")
        let ready = try await ReadinessWaiter(api: api, timeout: try cluster.timeoutDuration)
            .waitForReady(appliedKind, ObjectKey(namespace: cluster.namespace, name: name))
        Terminal.success("\(kind) reconciliation completed")
        if let revision = ReadinessWaiter.revision(of: ready) { Terminal.success("revision: \(revision)") }
    }

    /// Alerts and Providers (`v1beta3`) have no status to wait for.
    private static func hasStatus(_ kind: String) -> Bool { kind != Alert.kind.kind && kind != Provider.kind.kind }

    /// `name` checked as Kubernetes checks object names (RFC 1123 subdomain, at most 253 characters).
    static func validName(_ name: String) throws -> String {
        func isAlphanumeric(_ byte: UInt8) -> Bool { (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57) }
        let bytes = Array(name.utf8)
        guard let first = bytes.first, let last = bytes.last, bytes.count <= 253, isAlphanumeric(first), isAlphanumeric(last),
              bytes.allSatisfy({ isAlphanumeric($0) || $0 == 45 || $0 == 46 }) else {
            throw CLIError("invalid name \"\(name)\": use lowercase letters, digits, '-' and '.', starting and ending alphanumeric")
        }
        return name
    }

    /// A Go duration flag, normalized as Flux prints it (`1m` → `1m0s`).
    static func duration(_ text: String, flag: String) throws -> JSONValue {
        guard let value = try? FluxDuration(parsing: text) else { throw CLIError("--\(flag): invalid duration \"\(text)\"") }
        return .string(value.description)
    }

    /// `Kind/name[.namespace]` as the `flux` CLI's cross-references take it.
    static func crossReference(_ text: String, defaultKind: String? = nil, flag: String) throws -> JSONValue {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        let kind: String, rest: String
        if parts.count == 2 {
            (kind, rest) = (parts[0], parts[1])
        } else if parts.count == 1, let defaultKind {
            (kind, rest) = (defaultKind, parts[0])
        } else {
            throw CLIError("--\(flag): want <kind>/<name>[.<namespace>], got \"\(text)\"")
        }
        let nameAndNamespace = rest.split(separator: ".", maxSplits: 1).map(String.init)
        guard let name = nameAndNamespace.first, !name.isEmpty, !kind.isEmpty else {
            throw CLIError("--\(flag): want <kind>/<name>[.<namespace>], got \"\(text)\"")
        }
        var reference: JSONValue = ["kind": .string(FluxResource.named(kind)?.kind.kind ?? kind), "name": .string(name)]
        if nameAndNamespace.count == 2 { reference["namespace"] = .string(nameAndNamespace[1]) }
        return reference
    }

    /// `key=value` flags as a map.
    static func labels(_ pairs: [String], flag: String) throws -> JSONValue? {
        guard !pairs.isEmpty else { return nil }
        var labels: [String: JSONValue] = [:]
        for pair in pairs.flatMap({ $0.split(separator: ",") }) {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else { throw CLIError("--\(flag): want key=value, got \"\(pair)\"") }
            labels[parts[0]] = .string(parts[1])
        }
        return .object(labels)
    }
}

/// Waits for a Flux object's `Ready` condition for its current generation.
struct ReadinessWaiter {
    var api: KubeClient
    var timeout: Duration

    /// The object once `Ready=True` for its generation; throws with its message when it is False and stalled, or
    /// when the timeout passes.
    @discardableResult
    func waitForReady(_ kind: GroupVersionKind, _ key: ObjectKey, isDone: (JSONValue) -> Bool = { _ in true }) async throws -> JSONValue {
        let deadline = ContinuousClock.now + timeout
        var delay = Duration.milliseconds(100)
        while true {
            let object = try await api.get(kind, key)
            let generation = object[path: "metadata", "generation"]?.intValue
            let observed = object[path: "status", "observedGeneration"]?.intValue
            let ready = FluxResource.readyCondition(object)
            let stalled = object[path: "status", "conditions"]?.arrayValue?.first { $0["type"] == "Stalled" && $0["status"] == "True" }
            if generation == nil || observed == generation, isDone(object) {
                if ready?["status"] == "True" { return object }
                if let stalled { throw CLIError("\(kind.kind) \(key.name) is stalled: \(stalled["message"]?.stringValue ?? "")") }
                if ready?["status"] == "False", ready?["reason"] != "Progressing" {
                    throw CLIError("\(kind.kind) \(key.name) is not ready: \(ready?["message"]?.stringValue ?? "")")
                }
            }
            guard ContinuousClock.now < deadline else {
                throw CLIError("timed out waiting for \(kind.kind) \(key.name): \(ready?["message"]?.stringValue ?? "no Ready condition yet")"
                    + "\nCheck the controller's logs, or `gok events --for \(kind.kind)/\(key.name)`.")
            }
            try await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(2))
        }
    }

    /// The revision a Ready object reports: its artifact's, the applied one, or the chart version.
    static func revision(of object: JSONValue) -> String? {
        object[path: "status", "artifact", "revision"]?.stringValue
            ?? object[path: "status", "lastAppliedRevision"]?.stringValue
            ?? object[path: "status", "history"]?.arrayValue?.first?["chartName"].flatMap { name in
                object[path: "status", "history"]?.arrayValue?.first?["chartVersion"]?.stringValue.map { "\(name.stringValue ?? "")@\($0)" }
            }
            ?? object[path: "status", "latestRef", "tag"]?.stringValue
            ?? object[path: "status", "lastPushCommit"]?.stringValue
    }
}
