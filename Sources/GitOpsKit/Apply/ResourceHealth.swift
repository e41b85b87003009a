/// The kstatus health of one object (cli-utils `status.Compute` rules, the subset Flux relies on): whether it is
/// `Current` (reconciled and ready), still `InProgress`, or `Failed`.
///
/// Built-in workloads are judged by their status fields (rolled-out replicas, Job completion, CRD establishment);
/// every other kind by the kstatus conditions (`Stalled`, `Reconciling`) and by `Ready`, the way Flux checks custom
/// resources. An object without a status is `Current`.
public struct ResourceHealth: Sendable, Hashable, CustomStringConvertible {
    public enum Status: String, Sendable, Hashable {
        case current = "Current"
        case inProgress = "InProgress"
        case failed = "Failed"
    }

    public var status: Status
    /// Why the object is not current (empty when it is).
    public var message: String

    public init(_ status: Status, _ message: String = "") {
        self.status = status
        self.message = message
    }

    public var description: String { message.isEmpty ? status.rawValue : "\(status.rawValue): \(message)" }

    /// The health of `object` as read from the API server.
    public static func evaluate(_ object: JSONValue) -> ResourceHealth {
        let generation = object[path: "metadata", "generation"]?.intValue
        let observed = object[path: "status", "observedGeneration"]?.intValue
        if let generation, let observed, observed < generation {
            return ResourceHealth(.inProgress, "observed generation \(observed) is behind generation \(generation)")
        }
        let group = GroupVersionKind(of: object)?.group ?? ""
        let kind = object["kind"]?.stringValue ?? ""
        switch (group, kind) {
        case ("apps", "Deployment"): return deployment(object)
        case ("apps", "StatefulSet"): return statefulSet(object)
        case ("apps", "DaemonSet"): return daemonSet(object)
        case ("apps", "ReplicaSet"): return replicaSet(object)
        case ("batch", "Job"): return job(object)
        case ("", "PersistentVolumeClaim"):
            return object[path: "status", "phase"]?.stringValue == "Bound" ? .current : ResourceHealth(.inProgress, "PVC is not Bound")
        case ("", "Pod"): return pod(object)
        case ("", "Namespace"):
            let phase = object[path: "status", "phase"]?.stringValue
            return phase == nil || phase == "Active" ? .current : ResourceHealth(.inProgress, "namespace is \(phase ?? "")")
        case ("", "Service"): return service(object)
        case ("apiextensions.k8s.io", "CustomResourceDefinition"): return customResourceDefinition(object)
        default: return conditions(object)
        }
    }

    public static let current = ResourceHealth(.current)

    // MARK: Kinds

    private static func count(_ object: JSONValue, _ field: String) -> Int64 { object[path: "status", field]?.intValue ?? 0 }
    private static func specReplicas(_ object: JSONValue) -> Int64 { object[path: "spec", "replicas"]?.intValue ?? 1 }

    private static func condition(_ object: JSONValue, _ type: String) -> JSONValue? {
        object[path: "status", "conditions"]?.arrayValue?.first { $0["type"]?.stringValue == type }
    }

    private static func deployment(_ object: JSONValue) -> ResourceHealth {
        if object["status"] == nil { return ResourceHealth(.inProgress, "Deployment has no status yet") }
        if let progressing = condition(object, "Progressing"), progressing["reason"]?.stringValue == "ProgressDeadlineExceeded" {
            return ResourceHealth(.failed, "Progress deadline exceeded")
        }
        let replicas = specReplicas(object)
        if count(object, "updatedReplicas") < replicas {
            return ResourceHealth(.inProgress, "Updated: \(count(object, "updatedReplicas"))/\(replicas)")
        }
        if count(object, "replicas") > replicas {
            return ResourceHealth(.inProgress, "Pending termination: \(count(object, "replicas") - replicas)")
        }
        if count(object, "availableReplicas") < replicas {
            return ResourceHealth(.inProgress, "Available: \(count(object, "availableReplicas"))/\(replicas)")
        }
        if count(object, "readyReplicas") < replicas {
            return ResourceHealth(.inProgress, "Ready: \(count(object, "readyReplicas"))/\(replicas)")
        }
        return .current
    }

    private static func statefulSet(_ object: JSONValue) -> ResourceHealth {
        if object["status"] == nil { return ResourceHealth(.inProgress, "StatefulSet has no status yet") }
        let replicas = specReplicas(object)
        if count(object, "readyReplicas") < replicas {
            return ResourceHealth(.inProgress, "Ready: \(count(object, "readyReplicas"))/\(replicas)")
        }
        if count(object, "currentReplicas") < replicas, count(object, "updatedReplicas") < replicas {
            return ResourceHealth(.inProgress, "Updated: \(count(object, "updatedReplicas"))/\(replicas)")
        }
        let current = object[path: "status", "currentRevision"]
        let update = object[path: "status", "updateRevision"]
        if current != nil, update != nil, current != update {
            return ResourceHealth(.inProgress, "revision \(update?.stringValue ?? "") not rolled out")
        }
        return .current
    }

    private static func daemonSet(_ object: JSONValue) -> ResourceHealth {
        if object["status"] == nil { return ResourceHealth(.inProgress, "DaemonSet has no status yet") }
        let desired = count(object, "desiredNumberScheduled")
        for field in ["updatedNumberScheduled", "numberAvailable", "numberReady"] where count(object, field) < desired {
            return ResourceHealth(.inProgress, "\(field): \(count(object, field))/\(desired)")
        }
        return .current
    }

    private static func replicaSet(_ object: JSONValue) -> ResourceHealth {
        let replicas = specReplicas(object)
        if count(object, "readyReplicas") < replicas {
            return ResourceHealth(.inProgress, "Ready: \(count(object, "readyReplicas"))/\(replicas)")
        }
        return .current
    }

    private static func job(_ object: JSONValue) -> ResourceHealth {
        if condition(object, "Failed")?["status"]?.stringValue == "True" {
            return ResourceHealth(.failed, condition(object, "Failed")?["message"]?.stringValue ?? "Job failed")
        }
        if condition(object, "Complete")?["status"]?.stringValue == "True" { return .current }
        return ResourceHealth(.inProgress, "Job not complete")
    }

    private static func pod(_ object: JSONValue) -> ResourceHealth {
        switch object[path: "status", "phase"]?.stringValue {
        case "Succeeded": return .current
        case "Failed": return ResourceHealth(.failed, "Pod failed")
        case "Running":
            return condition(object, "Ready")?["status"]?.stringValue == "True" ? .current
                : ResourceHealth(.inProgress, "Pod is not Ready")
        default: return ResourceHealth(.inProgress, "Pod is not running")
        }
    }

    private static func service(_ object: JSONValue) -> ResourceHealth {
        guard object[path: "spec", "type"]?.stringValue == "LoadBalancer" else { return .current }
        let ingress = object[path: "status", "loadBalancer", "ingress"]?.arrayValue ?? []
        return ingress.isEmpty ? ResourceHealth(.inProgress, "LoadBalancer has no ingress yet") : .current
    }

    private static func customResourceDefinition(_ object: JSONValue) -> ResourceHealth {
        if condition(object, "NamesAccepted")?["status"]?.stringValue == "False" {
            return ResourceHealth(.failed, condition(object, "NamesAccepted")?["message"]?.stringValue ?? "names not accepted")
        }
        return condition(object, "Established")?["status"]?.stringValue == "True" ? .current
            : ResourceHealth(.inProgress, "CRD is not Established")
    }

    /// kstatus for kinds without built-in rules: `Stalled`/`Reconciling` first, then `Ready` (Flux's check of
    /// custom resources); no conditions at all means current.
    private static func conditions(_ object: JSONValue) -> ResourceHealth {
        if let stalled = condition(object, "Stalled"), stalled["status"]?.stringValue == "True" {
            return ResourceHealth(.failed, stalled["message"]?.stringValue ?? "Stalled")
        }
        if let reconciling = condition(object, "Reconciling"), reconciling["status"]?.stringValue == "True" {
            return ResourceHealth(.inProgress, reconciling["message"]?.stringValue ?? "Reconciling")
        }
        if let ready = condition(object, "Ready") {
            switch ready["status"]?.stringValue {
            case "True": return .current
            default: return ResourceHealth(.inProgress, ready["message"]?.stringValue ?? "not Ready")
            }
        }
        return .current
    }
}
