import Foundation
import GitOpsKit

/// The object helpers the controller test environments share: edit with conflict retries, request a reconcile,
/// poll a Flux object until a condition holds, read the Events recorded about an object.
extension KubernetesAPI {
    /// Applies `change` to the object's JSON and updates it, retrying on conflicts (a controller writes too).
    public func modify(_ kind: GroupVersionKind, _ key: ObjectKey, _ change: (inout JSONValue) -> Void) async throws {
        for attempt in 0..<5 {
            var object = try await get(kind, key)
            change(&object)
            // A `Result` rather than `catch where` on a typed throw: the latter crashes the 6.3 compiler.
            let result: Result<JSONValue, KubeError>
            do {
                result = .success(try await update(object, options: WriteOptions()))
            } catch {
                result = .failure(error)
            }
            switch result {
            case .success: return
            case .failure(let error) where error.code == .conflict && attempt < 4: continue
            case .failure(let error): throw error
            }
        }
    }

    /// Sets `reconcile.fluxcd.io/requestedAt` to a new token and returns it.
    public func requestReconcile(_ kind: GroupVersionKind, _ key: ObjectKey) async throws -> String {
        let token = "\(Date().timeIntervalSince1970)-\(UUID().uuidString.prefix(4))"
        try await modify(kind, key) {
            $0[path: "metadata", "annotations", FluxAnnotation.reconcileRequestedAt] = .string(token)
        }
        return token
    }

    /// Polls the object until `condition` holds; throws ``WaitTimeout`` with its last status when it never does.
    public func waitFor<Object: FluxObject>(
        _ type: Object.Type, _ key: ObjectKey, timeout: Duration, pollInterval: Duration, _ what: String,
        _ condition: (Object) -> Bool
    ) async throws -> Object {
        let deadline = ContinuousClock.now + timeout
        var last: Object?
        while ContinuousClock.now < deadline {
            if let json = try? await getIfPresent(Object.kind, key), let object = try? Object(from: json) {
                last = object
                if condition(object) { return object }
            }
            try await Task.sleep(for: pollInterval)
        }
        let status = last.map { "\($0.toJSON()["status"] ?? .null)" } ?? "object missing"
        throw WaitTimeout(description: "timed out waiting for \(what) on \(key.namespace ?? "")/\(key.name); status: \(status)")
    }

    /// The messages of the Events recorded about object `name` (of `kind`, when given), by reason.
    public func eventMessages(about name: String, kind: String? = nil, namespace: String) async throws
        -> [String: [String]]
    {
        let list = try await self.list(EventRecorder.eventKind, namespace: namespace, options: ListOptions())
        var reasons: [String: [String]] = [:]
        for event in list.items where event[path: "involvedObject", "name"]?.stringValue == name
            && (kind == nil || event[path: "involvedObject", "kind"]?.stringValue == kind)
        {
            reasons[event["reason"]?.stringValue ?? "", default: []].append(event["message"]?.stringValue ?? "")
        }
        return reasons
    }
}

/// A wait that ran out of time; the description says what was awaited and the object's last status.
public struct WaitTimeout: Error, CustomStringConvertible {
    public var description: String
    public init(description: String) { self.description = description }
}
