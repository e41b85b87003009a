import GitOpsKit

/// The defaulting kube-apiserver applies to built-in kinds (the fields `kubectl get -o yaml` shows that nobody
/// wrote), so that dry-run diffs and server-side apply see what a real server would store.
enum BuiltInDefaults {
    static func apply(_ type: ResourceType, to object: inout JSONValue) {
        switch (type.group, type.kind) {
        case ("apps", "Deployment"):
            setIfAbsent(&object, ["spec", "replicas"], 1)
            setIfAbsent(&object, ["spec", "revisionHistoryLimit"], 10)
            setIfAbsent(&object, ["spec", "progressDeadlineSeconds"], 600)
            if object[path: "spec", "strategy", "type"] == nil { object[path: "spec", "strategy", "type"] = "RollingUpdate" }
            if object[path: "spec", "strategy", "type"] == "RollingUpdate" {
                setIfAbsent(&object, ["spec", "strategy", "rollingUpdate", "maxUnavailable"], "25%")
                setIfAbsent(&object, ["spec", "strategy", "rollingUpdate", "maxSurge"], "25%")
            }
            defaultTemplate(&object, at: ["spec", "template"])
        case ("apps", "StatefulSet"):
            setIfAbsent(&object, ["spec", "replicas"], 1)
            setIfAbsent(&object, ["spec", "podManagementPolicy"], "OrderedReady")
            setIfAbsent(&object, ["spec", "revisionHistoryLimit"], 10)
            if object[path: "spec", "updateStrategy", "type"] == nil { object[path: "spec", "updateStrategy", "type"] = "RollingUpdate" }
            if object[path: "spec", "updateStrategy", "type"] == "RollingUpdate" {
                setIfAbsent(&object, ["spec", "updateStrategy", "rollingUpdate", "partition"], 0)
            }
            setIfAbsent(&object, ["spec", "persistentVolumeClaimRetentionPolicy", "whenDeleted"], "Retain")
            setIfAbsent(&object, ["spec", "persistentVolumeClaimRetentionPolicy", "whenScaled"], "Retain")
            if var claims = object[path: "spec", "volumeClaimTemplates"]?.arrayValue {
                for i in claims.indices {
                    setIfAbsent(&claims[i], ["apiVersion"], "v1")
                    setIfAbsent(&claims[i], ["kind"], "PersistentVolumeClaim")
                    setIfAbsent(&claims[i], ["spec", "volumeMode"], "Filesystem")
                    setIfAbsent(&claims[i], ["status", "phase"], "Pending")
                }
                object[path: "spec", "volumeClaimTemplates"] = .array(claims)
            }
            defaultTemplate(&object, at: ["spec", "template"])
        case ("apps", "DaemonSet"):
            setIfAbsent(&object, ["spec", "revisionHistoryLimit"], 10)
            if object[path: "spec", "updateStrategy", "type"] == nil { object[path: "spec", "updateStrategy", "type"] = "RollingUpdate" }
            if object[path: "spec", "updateStrategy", "type"] == "RollingUpdate" {
                setIfAbsent(&object, ["spec", "updateStrategy", "rollingUpdate", "maxUnavailable"], 1)
                setIfAbsent(&object, ["spec", "updateStrategy", "rollingUpdate", "maxSurge"], 0)
            }
            defaultTemplate(&object, at: ["spec", "template"])
        case ("apps", "ReplicaSet"):
            setIfAbsent(&object, ["spec", "replicas"], 1)
            defaultTemplate(&object, at: ["spec", "template"])
        case ("batch", "Job"):
            defaultJobSpec(&object, at: ["spec"])
        case ("batch", "CronJob"):
            setIfAbsent(&object, ["spec", "concurrencyPolicy"], "Allow")
            setIfAbsent(&object, ["spec", "suspend"], false)
            setIfAbsent(&object, ["spec", "successfulJobsHistoryLimit"], 3)
            setIfAbsent(&object, ["spec", "failedJobsHistoryLimit"], 1)
            defaultJobSpec(&object, at: ["spec", "jobTemplate", "spec"])
        case ("", "Pod"):
            if var spec = object["spec"] {
                defaultPodSpec(&spec)
                setIfAbsent(&spec, ["enableServiceLinks"], true)
                setIfAbsent(&spec, ["serviceAccountName"], "default")
                setIfAbsent(&spec, ["serviceAccount"], spec["serviceAccountName"] ?? "default")
                setIfAbsent(&spec, ["priority"], 0)
                setIfAbsent(&spec, ["preemptionPolicy"], "PreemptLowerPriority")
                object["spec"] = spec
            }
        case ("", "Service"):
            defaultService(&object)
        case ("", "Secret"):
            setIfAbsent(&object, ["type"], "Opaque")
        case ("", "PersistentVolumeClaim"):
            setIfAbsent(&object, ["spec", "volumeMode"], "Filesystem")
        case ("networking.k8s.io", "NetworkPolicy"):
            if object[path: "spec", "policyTypes"] == nil, object["spec"] != nil {
                var types: [JSONValue] = ["Ingress"]
                if object[path: "spec", "egress"] != nil { types.append("Egress") }
                object[path: "spec", "policyTypes"] = .array(types)
            }
        case ("rbac.authorization.k8s.io", "RoleBinding"), ("rbac.authorization.k8s.io", "ClusterRoleBinding"):
            // rbac/v1 SetDefaults_Subject: User and Group subjects belong to the rbac group (a ServiceAccount's
            // group is core, "", which Go omits).
            guard var subjects = object["subjects"]?.arrayValue else { break }
            for index in subjects.indices where (subjects[index]["apiGroup"]?.stringValue ?? "").isEmpty
                && ["User", "Group"].contains(subjects[index]["kind"]?.stringValue ?? "") {
                subjects[index]["apiGroup"] = "rbac.authorization.k8s.io"
            }
            object["subjects"] = .array(subjects)
        case ("autoscaling", "HorizontalPodAutoscaler"):
            setIfAbsent(&object, ["spec", "minReplicas"], 1)
            if object[path: "spec", "metrics"] == nil, object["spec"] != nil {
                object[path: "spec", "metrics"] = [["type": "Resource", "resource": ["name": "cpu",
                    "target": ["type": "Utilization", "averageUtilization": 80]]]]
            }
        default:
            break
        }
    }

    static func setIfAbsent(_ object: inout JSONValue, _ path: [String], _ value: JSONValue) {
        guard !path.isEmpty else { return }
        if case .object = object {} else if object == .null { object = .object([:]) } else { return }
        if path.count == 1 {
            if object[path[0]] == nil || object[path[0]] == .null { object[path[0]] = value }
            return
        }
        var child = object[path[0]] ?? .object([:])
        if child == .null { child = .object([:]) }
        guard case .object = child else { return }
        setIfAbsent(&child, Array(path.dropFirst()), value)
        object[path[0]] = child
    }

    private static func defaultJobSpec(_ object: inout JSONValue, at path: [String]) {
        guard var spec = value(object, path), case .object = spec else { return }
        if spec["completions"] == nil && spec["parallelism"] == nil {
            spec["completions"] = 1
            spec["parallelism"] = 1
        }
        setIfAbsent(&spec, ["parallelism"], 1)
        setIfAbsent(&spec, ["backoffLimit"], 6)
        setIfAbsent(&spec, ["completionMode"], "NonIndexed")
        setIfAbsent(&spec, ["suspend"], false)
        setIfAbsent(&spec, ["podReplacementPolicy"], "TerminatingOrFailed")
        if var template = spec["template"] {
            defaultPodTemplate(&template)
            spec["template"] = template
        }
        set(&object, path, spec)
    }

    private static func defaultTemplate(_ object: inout JSONValue, at path: [String]) {
        guard var template = value(object, path), case .object = template else { return }
        defaultPodTemplate(&template)
        set(&object, path, template)
    }

    static func defaultPodTemplate(_ template: inout JSONValue) {
        if template["metadata"] == nil { template["metadata"] = .object([:]) }
        if var spec = template["spec"] {
            defaultPodSpec(&spec)
            template["spec"] = spec
        }
    }

    static func defaultPodSpec(_ spec: inout JSONValue) {
        guard case .object = spec else { return }
        setIfAbsent(&spec, ["restartPolicy"], "Always")
        setIfAbsent(&spec, ["terminationGracePeriodSeconds"], 30)
        setIfAbsent(&spec, ["dnsPolicy"], "ClusterFirst")
        setIfAbsent(&spec, ["securityContext"], .object([:]))
        setIfAbsent(&spec, ["schedulerName"], "default-scheduler")
        for field in ["containers", "initContainers"] {
            if var containers = spec[field]?.arrayValue {
                for i in containers.indices { defaultContainer(&containers[i]) }
                spec[field] = .array(containers)
            }
        }
        if var volumes = spec["volumes"]?.arrayValue {
            for i in volumes.indices {
                if volumes[i]["configMap"] != nil { setIfAbsent(&volumes[i], ["configMap", "defaultMode"], 420) }
                if volumes[i]["secret"] != nil { setIfAbsent(&volumes[i], ["secret", "defaultMode"], 420) }
                if volumes[i]["projected"] != nil { setIfAbsent(&volumes[i], ["projected", "defaultMode"], 420) }
                if volumes[i]["downwardAPI"] != nil { setIfAbsent(&volumes[i], ["downwardAPI", "defaultMode"], 420) }
            }
            spec["volumes"] = .array(volumes)
        }
    }

    private static func defaultContainer(_ container: inout JSONValue) {
        guard case .object = container else { return }
        setIfAbsent(&container, ["terminationMessagePath"], "/dev/termination-log")
        setIfAbsent(&container, ["terminationMessagePolicy"], "File")
        setIfAbsent(&container, ["resources"], .object([:]))
        if container["imagePullPolicy"] == nil {
            let image = container["image"]?.stringValue ?? ""
            let lastComponent = image.split(separator: "/").last.map(String.init) ?? image
            let tagged = lastComponent.contains(":") && !image.hasSuffix(":latest")
            container["imagePullPolicy"] = (tagged || image.contains("@")) ? "IfNotPresent" : "Always"
        }
        if var ports = container["ports"]?.arrayValue {
            for i in ports.indices { setIfAbsent(&ports[i], ["protocol"], "TCP") }
            container["ports"] = .array(ports)
        }
        for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
            guard var p = container[probe], case .object = p else { continue }
            setIfAbsent(&p, ["timeoutSeconds"], 1)
            setIfAbsent(&p, ["periodSeconds"], 10)
            setIfAbsent(&p, ["successThreshold"], 1)
            setIfAbsent(&p, ["failureThreshold"], 3)
            if p["httpGet"] != nil { setIfAbsent(&p, ["httpGet", "scheme"], "HTTP") }
            container[probe] = p
        }
        if var env = container["env"]?.arrayValue {
            for i in env.indices where env[i][path: "valueFrom", "fieldRef"] != nil {
                setIfAbsent(&env[i], ["valueFrom", "fieldRef", "apiVersion"], "v1")
            }
            container["env"] = .array(env)
        }
    }

    private static func defaultService(_ object: inout JSONValue) {
        guard object["spec"] != nil else { return }
        setIfAbsent(&object, ["spec", "type"], "ClusterIP")
        setIfAbsent(&object, ["spec", "sessionAffinity"], "None")
        let serviceType = object[path: "spec", "type"]?.stringValue ?? "ClusterIP"
        if serviceType != "ExternalName" {
            setIfAbsent(&object, ["spec", "internalTrafficPolicy"], "Cluster")
            setIfAbsent(&object, ["spec", "ipFamilyPolicy"], "SingleStack")
            setIfAbsent(&object, ["spec", "ipFamilies"], ["IPv4"])
        }
        if serviceType == "NodePort" || serviceType == "LoadBalancer" {
            setIfAbsent(&object, ["spec", "externalTrafficPolicy"], "Cluster")
        }
        if serviceType == "LoadBalancer" { setIfAbsent(&object, ["spec", "allocateLoadBalancerNodePorts"], true) }
        if var ports = object[path: "spec", "ports"]?.arrayValue {
            for i in ports.indices {
                setIfAbsent(&ports[i], ["protocol"], "TCP")
                if ports[i]["targetPort"] == nil, let port = ports[i]["port"] { ports[i]["targetPort"] = port }
            }
            object[path: "spec", "ports"] = .array(ports)
        }
    }

    private static func value(_ object: JSONValue, _ path: [String]) -> JSONValue? {
        var current: JSONValue? = object
        for key in path { current = current?[key] }
        return current
    }

    private static func set(_ object: inout JSONValue, _ path: [String], _ value: JSONValue) {
        guard let first = path.first else {
            object = value
            return
        }
        var child = object[first] ?? .object([:])
        set(&child, Array(path.dropFirst()), value)
        object[first] = child
    }
}
