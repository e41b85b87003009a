import GitOpsKit
import Synchronization

/// Reports workloads as the real controllers would once their pods ran: after `workloadDelay`, Deployments,
/// StatefulSets, DaemonSets and ReplicaSets are rolled out for their current generation and Jobs complete. The
/// annotation `emulator.gitopskit.io/fail: "true"` makes a workload fail instead (Deployment
/// `Progressing=False/ProgressDeadlineExceeded`, Job `Failed/BackoffLimitExceeded`).
final class WorkloadSimulator: Sendable {
    static let failAnnotation = "emulator.gitopskit.io/fail"
    static let manager = "kube-controller-manager"

    private let server: APIServer
    /// Objects with a status update already scheduled.
    private let scheduled = Mutex<Set<ObjectRef>>([])

    init(server: APIServer) {
        self.server = server
    }

    private static let simulated: Set<StorageID> = [
        StorageID(group: "apps", resource: "deployments"), StorageID(group: "apps", resource: "statefulsets"),
        StorageID(group: "apps", resource: "daemonsets"), StorageID(group: "apps", resource: "replicasets"),
        StorageID(group: "batch", resource: "jobs"), StorageID(group: "", resource: "services"),
        StorageID(group: "", resource: "persistentvolumeclaims"), StorageID(group: "", resource: "pods"),
    ]

    /// The delayed status write a change calls for, if any.
    func schedule(_ record: WatchRecord) -> (@Sendable () async -> Void)? {
        guard record.type != .deleted, Self.simulated.contains(record.storage),
              record.object.object[path: "metadata", "deletionTimestamp"] == nil,
              let key = record.object.key,
              Self.desiredStatus(record.storage, record.object.object) != nil else { return nil }
        let ref = ObjectRef(storage: record.storage, namespace: key.namespace ?? "", name: key.name)
        let inserted = scheduled.withLock { $0.insert(ref).inserted }
        guard inserted else { return nil }
        let delay = server.configuration.workloadDelay
        return { [self] in
            try? await Task.sleep(for: delay)
            scheduled.withLock { _ = $0.remove(ref) }
            apply(ref)
        }
    }

    private func apply(_ ref: ObjectRef) {
        server.controllerUpdate(ref.storage, namespace: ref.key.namespace, name: ref.name, manager: Self.manager,
                                subresource: "status") { object in
            guard object[path: "metadata", "deletionTimestamp"] == nil,
                  let status = Self.desiredStatus(ref.storage, object) else { return false }
            object["status"] = status
            return true
        }
    }

    /// The status the simulated controller would write now, or nil when the current one is already right.
    static func desiredStatus(_ storage: StorageID, _ object: JSONValue) -> JSONValue? {
        let failing = object[path: "metadata", "annotations", failAnnotation]?.stringValue == "true"
        let current = object["status"] ?? .object([:])
        let desired: JSONValue?
        switch storage.resource {
        case "deployments": desired = deploymentStatus(object, failing: failing)
        case "statefulsets": desired = statefulSetStatus(object, failing: failing)
        case "daemonsets": desired = daemonSetStatus(object, failing: failing)
        case "replicasets": desired = replicaSetStatus(object, failing: failing)
        case "jobs": desired = jobStatus(object, failing: failing)
        case "services": desired = serviceStatus(object)
        case "persistentvolumeclaims": desired = claimStatus(object)
        case "pods": desired = podStatus(object, failing: failing)
        default: desired = nil
        }
        guard let desired else { return nil }
        let merged = keepTimes(desired, from: current)
        return withoutTimes(merged) == withoutTimes(current) ? JSONValue?.none : merged
    }

    // MARK: Kinds

    private static func replicas(_ object: JSONValue) -> Int64 { object[path: "spec", "replicas"]?.intValue ?? 1 }
    private static func generation(_ object: JSONValue) -> JSONValue { object[path: "metadata", "generation"] ?? 1 }

    /// A stable 10-character hash of the pod template, as `pod-template-hash`.
    static func templateHash(_ object: JSONValue) -> String {
        var hash: UInt64 = 14695981039346656037
        for byte in (object[path: "spec", "template"] ?? .null).jsonBytes() { hash = (hash ^ UInt64(byte)) &* 1099511628211 }
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String((0..<10).map { i in alphabet[Int((hash >> (UInt64(i) * 5)) % UInt64(alphabet.count))] })
    }

    private static func condition(_ type: String, _ status: Bool, _ reason: String, _ message: String,
                                  update: Bool = true) -> JSONValue {
        var condition: [String: JSONValue] = ["type": .string(type), "status": status ? "True" : "False",
                                              "reason": .string(reason), "message": .string(message),
                                              "lastTransitionTime": .string(Timestamp.now())]
        if update { condition["lastUpdateTime"] = .string(Timestamp.now()) }
        return .object(condition)
    }

    private static func nonZero(_ status: inout [String: JSONValue], _ key: String, _ value: Int64) {
        if value != 0 { status[key] = .int(value) }
    }

    private static func deploymentStatus(_ object: JSONValue, failing: Bool) -> JSONValue? {
        if object[path: "spec", "paused"]?.boolValue == true { return nil }
        let count = replicas(object)
        let replicaSet = "\(object[path: "metadata", "name"]?.stringValue ?? "")-\(templateHash(object))"
        var status: [String: JSONValue] = ["observedGeneration": generation(object)]
        nonZero(&status, "replicas", count)
        nonZero(&status, "updatedReplicas", count)
        if failing {
            nonZero(&status, "unavailableReplicas", count)
            status["conditions"] = [
                condition("Available", false, "MinimumReplicasUnavailable", "Deployment does not have minimum availability."),
                condition("Progressing", false, "ProgressDeadlineExceeded", "ReplicaSet \"\(replicaSet)\" has timed out progressing."),
            ]
        } else {
            nonZero(&status, "readyReplicas", count)
            nonZero(&status, "availableReplicas", count)
            status["conditions"] = [
                condition("Available", true, "MinimumReplicasAvailable", "Deployment has minimum availability."),
                condition("Progressing", true, "NewReplicaSetAvailable", "ReplicaSet \"\(replicaSet)\" has successfully progressed."),
            ]
        }
        return .object(status)
    }

    private static func statefulSetStatus(_ object: JSONValue, failing: Bool) -> JSONValue? {
        let count = replicas(object)
        let revision = JSONValue.string("\(object[path: "metadata", "name"]?.stringValue ?? "")-\(templateHash(object))")
        var status: [String: JSONValue] = ["observedGeneration": generation(object), "replicas": .int(count),
                                           "currentRevision": revision, "updateRevision": revision, "collisionCount": 0]
        nonZero(&status, "currentReplicas", count)
        nonZero(&status, "updatedReplicas", count)
        if !failing {
            nonZero(&status, "readyReplicas", count)
            status["availableReplicas"] = .int(count)
        } else {
            status["availableReplicas"] = 0
        }
        return .object(status)
    }

    private static func daemonSetStatus(_ object: JSONValue, failing: Bool) -> JSONValue? {
        var status: [String: JSONValue] = ["observedGeneration": generation(object), "currentNumberScheduled": 1,
                                           "desiredNumberScheduled": 1, "numberMisscheduled": 0, "updatedNumberScheduled": 1]
        if failing {
            status["numberReady"] = 0
            status["numberUnavailable"] = 1
        } else {
            status["numberReady"] = 1
            status["numberAvailable"] = 1
        }
        return .object(status)
    }

    private static func replicaSetStatus(_ object: JSONValue, failing: Bool) -> JSONValue? {
        let count = replicas(object)
        var status: [String: JSONValue] = ["observedGeneration": generation(object), "replicas": .int(count)]
        nonZero(&status, "fullyLabeledReplicas", count)
        if !failing {
            nonZero(&status, "readyReplicas", count)
            nonZero(&status, "availableReplicas", count)
        }
        return .object(status)
    }

    private static func jobStatus(_ object: JSONValue, failing: Bool) -> JSONValue? {
        if object[path: "spec", "suspend"]?.boolValue == true { return nil }
        let conditions = object[path: "status", "conditions"]?.arrayValue ?? []
        if conditions.contains(where: { ($0["type"] == "Complete" || $0["type"] == "Failed") && $0["status"] == "True" }) {
            return nil
        }
        let start = object[path: "status", "startTime"] ?? .string(Timestamp.now())
        var status: [String: JSONValue] = ["startTime": start, "ready": 0, "terminating": 0,
                                           "uncountedTerminatedPods": .object([:])]
        if failing {
            status["failed"] = .int((object[path: "spec", "backoffLimit"]?.intValue ?? 6) + 1)
            let message = "Job has reached the specified backoff limit"
            status["conditions"] = [
                jobCondition("FailureTarget", "BackoffLimitExceeded", message),
                jobCondition("Failed", "BackoffLimitExceeded", message),
            ]
        } else {
            status["succeeded"] = .int(object[path: "spec", "completions"]?.intValue ?? 1)
            status["completionTime"] = .string(Timestamp.now())
            let message = "Reached expected number of succeeded pods"
            status["conditions"] = [
                jobCondition("SuccessCriteriaMet", "CompletionsReached", message),
                jobCondition("Complete", "CompletionsReached", message),
            ]
        }
        return .object(status)
    }

    private static func jobCondition(_ type: String, _ reason: String, _ message: String) -> JSONValue {
        let now = JSONValue.string(Timestamp.now())
        return ["type": .string(type), "status": "True", "reason": .string(reason), "message": .string(message),
                "lastProbeTime": now, "lastTransitionTime": now]
    }

    private static func serviceStatus(_ object: JSONValue) -> JSONValue? {
        guard object[path: "spec", "type"]?.stringValue == "LoadBalancer" else { return nil }
        return ["loadBalancer": ["ingress": [["ip": "127.0.0.1", "ipMode": "VIP"]]]]
    }

    private static func claimStatus(_ object: JSONValue) -> JSONValue? {
        var status: [String: JSONValue] = ["phase": "Bound"]
        if let modes = object[path: "spec", "accessModes"] { status["accessModes"] = modes }
        if let storage = object[path: "spec", "resources", "requests", "storage"] { status["capacity"] = ["storage": storage] }
        return .object(status)
    }

    /// Pods run: long-running ones become Running and Ready, run-to-completion ones (restartPolicy Never or
    /// OnFailure, e.g. `helm test` hooks) Succeeded; failing ones crash or fail.
    private static func podStatus(_ object: JSONValue, failing: Bool) -> JSONValue? {
        let phase = object[path: "status", "phase"]?.stringValue ?? "Pending"
        if phase == "Succeeded" || phase == "Failed" { return nil }
        let completes = (object[path: "spec", "restartPolicy"]?.stringValue ?? "Always") != "Always"
        let now = JSONValue.string(Timestamp.now())
        let started = object[path: "status", "startTime"] ?? now
        let containers = object[path: "spec", "containers"]?.arrayValue ?? []
        let ready = !completes && !failing
        let statuses = containers.map { container -> JSONValue in
            let state: JSONValue
            if completes {
                state = ["terminated": ["exitCode": failing ? 1 : 0, "reason": failing ? "Error" : "Completed",
                                        "startedAt": started, "finishedAt": now]]
            } else if failing {
                state = ["waiting": ["reason": "CrashLoopBackOff", "message": "back-off restarting failed container"]]
            } else {
                state = ["running": ["startedAt": started]]
            }
            return ["name": container["name"] ?? "", "image": container["image"] ?? "", "imageID": "",
                    "ready": .bool(ready), "started": .bool(!completes && !failing), "restartCount": failing && !completes ? 1 : 0,
                    "state": state]
        }
        let readyStatus: JSONValue = ready ? "True" : "False"
        var conditions: [JSONValue] = [
            ["type": "PodScheduled", "status": "True", "lastTransitionTime": started],
            ["type": "Initialized", "status": "True", "lastTransitionTime": started],
            ["type": "ContainersReady", "status": readyStatus, "lastTransitionTime": now],
            ["type": "Ready", "status": readyStatus, "lastTransitionTime": now],
        ]
        if completes { conditions = conditions.map { var c = $0; if c["type"] == "Ready" || c["type"] == "ContainersReady" { c["reason"] = "PodCompleted" }; return c } }
        let newPhase: String = completes ? (failing ? "Failed" : "Succeeded") : "Running"
        return ["phase": .string(newPhase), "conditions": .array(conditions), "containerStatuses": .array(statuses),
                "hostIP": "10.0.0.1", "podIP": "10.244.0.10", "podIPs": [["ip": "10.244.0.10"]], "startTime": started,
                "qosClass": object[path: "status", "qosClass"] ?? "BestEffort"]
    }

    // MARK: Times

    private static let timeKeys: Set<String> = ["lastTransitionTime", "lastUpdateTime", "lastProbeTime", "completionTime",
                                                "startTime"]

    private static func withoutTimes(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            var out: [String: JSONValue] = [:]
            for (key, member) in members where !timeKeys.contains(key) { out[key] = withoutTimes(member) }
            return .object(out)
        case .array(let elements):
            return .array(elements.map(withoutTimes))
        default:
            return value
        }
    }

    /// Keeps the transition times of conditions whose status did not change.
    private static func keepTimes(_ desired: JSONValue, from current: JSONValue) -> JSONValue {
        guard var conditions = desired["conditions"]?.arrayValue else { return desired }
        let old = current["conditions"]?.arrayValue ?? []
        for i in conditions.indices {
            guard let previous = old.first(where: { $0["type"] == conditions[i]["type"] }) else { continue }
            if previous["status"] == conditions[i]["status"], let time = previous["lastTransitionTime"] {
                conditions[i]["lastTransitionTime"] = time
                if previous["message"] == conditions[i]["message"], let update = previous["lastUpdateTime"] {
                    conditions[i]["lastUpdateTime"] = update
                }
            }
        }
        var out = desired
        out["conditions"] = .array(conditions)
        if let completion = current["completionTime"] { out["completionTime"] = completion }
        return out
    }
}
