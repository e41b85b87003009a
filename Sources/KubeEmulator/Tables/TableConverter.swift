import Foundation
import GitOpsKit

/// Server-side printing (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`): the columns kube-apiserver's
/// printers produce for common kinds, CRD `additionalPrinterColumns`, and Name/Created At otherwise.
enum TableConverter {
    struct Column {
        var name: String
        var type: String
        var format: String = ""
        var priority: Int = 0
        var description: String = ""
        var cell: @Sendable (JSONValue) -> JSONValue
    }

    /// How much of each object the rows carry (`?includeObject=`).
    enum IncludeObject: String {
        case none = "None", metadata = "Metadata", object = "Object"
    }

    static func age(_ object: JSONValue) -> JSONValue {
        guard let text = object[path: "metadata", "creationTimestamp"]?.stringValue, let date = Timestamp.parse(text) else {
            return "<unknown>"
        }
        return .string(Timestamp.humanDuration(since: date))
    }

    private static let nameColumn = Column(name: "Name", type: "string", format: "name",
                                           description: "Name must be unique within a namespace.") { object in
        object[path: "metadata", "name"] ?? ""
    }
    private static let ageColumn = Column(name: "Age", type: "string",
                                          description: "CreationTimestamp is a timestamp representing the server time when this object was created.",
                                          cell: age)

    private static func int(_ value: JSONValue?) -> Int64 { value?.intValue ?? 0 }
    private static func string(_ value: JSONValue?) -> String { value?.stringValue ?? "" }

    static func columns(for type: ResourceType) -> [Column] {
        if let custom = type.custom {
            guard !custom.printerColumns.isEmpty else {
                return [nameColumn, Column(name: "Age", type: "date", cell: age)]
            }
            return [nameColumn] + custom.printerColumns.map { column in
                let path = SimpleJSONPath(column.jsonPath)
                return Column(name: column.name, type: column.type, format: column.format, priority: column.priority,
                              description: column.description) { object in
                    guard let value = path?.evaluate(object).first else { return .null }
                    return cell(for: column.type, value)
                }
            }
        }
        switch (type.group, type.kind) {
        case ("", "Namespace"):
            return [nameColumn, Column(name: "Status", type: "string") { $0[path: "status", "phase"] ?? "" }, ageColumn]
        case ("", "ConfigMap"):
            return [nameColumn, Column(name: "Data", type: "integer") { object in
                .int(Int64((object["data"]?.objectValue?.count ?? 0) + (object["binaryData"]?.objectValue?.count ?? 0)))
            }, ageColumn]
        case ("", "Secret"):
            return [nameColumn, Column(name: "Type", type: "string") { $0["type"] ?? "" },
                    Column(name: "Data", type: "integer") { .int(Int64($0["data"]?.objectValue?.count ?? 0)) }, ageColumn]
        case ("", "ServiceAccount"):
            return [nameColumn, Column(name: "Secrets", type: "string") { .int(Int64($0["secrets"]?.arrayValue?.count ?? 0)) },
                    ageColumn]
        case ("", "Service"):
            return [nameColumn,
                    Column(name: "Type", type: "string") { $0[path: "spec", "type"] ?? "ClusterIP" },
                    Column(name: "Cluster-IP", type: "string") { $0[path: "spec", "clusterIP"] ?? "<none>" },
                    Column(name: "External-IP", type: "string") { object in
                        let ingress = (object[path: "status", "loadBalancer", "ingress"]?.arrayValue ?? []).compactMap { $0["ip"]?.stringValue ?? $0["hostname"]?.stringValue }
                        let external = (object[path: "spec", "externalIPs"]?.arrayValue ?? []).compactMap(\.stringValue)
                        let all = external + ingress
                        if !all.isEmpty { return .string(all.joined(separator: ",")) }
                        if string(object[path: "spec", "type"]) == "LoadBalancer" { return "<pending>" }
                        if string(object[path: "spec", "type"]) == "ExternalName" { return object[path: "spec", "externalName"] ?? "<none>" }
                        return "<none>"
                    },
                    Column(name: "Port(s)", type: "string") { object in
                        let ports = (object[path: "spec", "ports"]?.arrayValue ?? []).map { port -> String in
                            let base = "\(int(port["port"]))"
                            let node = port["nodePort"]?.intValue.map { ":\($0)" } ?? ""
                            return "\(base)\(node)/\(string(port["protocol"]).isEmpty ? "TCP" : string(port["protocol"]))"
                        }
                        return .string(ports.isEmpty ? "<none>" : ports.joined(separator: ","))
                    },
                    ageColumn,
                    Column(name: "Selector", type: "string", priority: 1) { object in
                        let selector = object[path: "spec", "selector"]?.objectValue ?? [:]
                        return .string(selector.isEmpty ? "<none>" : selector.keys.sorted().map { "\($0)=\(string(selector[$0]))" }.joined(separator: ","))
                    }]
        case ("", "Pod"):
            return [nameColumn,
                    Column(name: "Ready", type: "string") { object in
                        let total = object[path: "spec", "containers"]?.arrayValue?.count ?? 0
                        let ready = (object[path: "status", "containerStatuses"]?.arrayValue ?? []).filter { $0["ready"]?.boolValue == true }.count
                        return .string("\(ready)/\(total)")
                    },
                    Column(name: "Status", type: "string") { $0[path: "status", "phase"] ?? "Pending" },
                    Column(name: "Restarts", type: "string") { _ in "0" },
                    ageColumn,
                    Column(name: "IP", type: "string", priority: 1) { $0[path: "status", "podIP"] ?? "<none>" },
                    Column(name: "Node", type: "string", priority: 1) { $0[path: "spec", "nodeName"] ?? "<none>" }]
        case ("apps", "Deployment"):
            return [nameColumn,
                    Column(name: "Ready", type: "string") { .string("\(int($0[path: "status", "readyReplicas"]))/\(int($0[path: "spec", "replicas"]))") },
                    Column(name: "Up-to-date", type: "integer") { .int(int($0[path: "status", "updatedReplicas"])) },
                    Column(name: "Available", type: "integer") { .int(int($0[path: "status", "availableReplicas"])) },
                    ageColumn] + workloadDetailColumns
        case ("apps", "StatefulSet"):
            return [nameColumn,
                    Column(name: "Ready", type: "string") { .string("\(int($0[path: "status", "readyReplicas"]))/\(int($0[path: "spec", "replicas"]))") },
                    ageColumn] + workloadDetailColumns
        case ("apps", "ReplicaSet"):
            return [nameColumn,
                    Column(name: "Desired", type: "integer") { .int(int($0[path: "spec", "replicas"])) },
                    Column(name: "Current", type: "integer") { .int(int($0[path: "status", "replicas"])) },
                    Column(name: "Ready", type: "integer") { .int(int($0[path: "status", "readyReplicas"])) },
                    ageColumn] + workloadDetailColumns
        case ("apps", "DaemonSet"):
            return [nameColumn,
                    Column(name: "Desired", type: "integer") { .int(int($0[path: "status", "desiredNumberScheduled"])) },
                    Column(name: "Current", type: "integer") { .int(int($0[path: "status", "currentNumberScheduled"])) },
                    Column(name: "Ready", type: "integer") { .int(int($0[path: "status", "numberReady"])) },
                    Column(name: "Up-to-date", type: "integer") { .int(int($0[path: "status", "updatedNumberScheduled"])) },
                    Column(name: "Available", type: "integer") { .int(int($0[path: "status", "numberAvailable"])) },
                    Column(name: "Node Selector", type: "string") { object in
                        let selector = object[path: "spec", "template", "spec", "nodeSelector"]?.objectValue ?? [:]
                        return .string(selector.isEmpty ? "<none>" : selector.keys.sorted().map { "\($0)=\(string(selector[$0]))" }.joined(separator: ","))
                    },
                    ageColumn] + workloadDetailColumns
        case ("batch", "Job"):
            return [nameColumn,
                    Column(name: "Status", type: "string") { object in
                        let conditions = object[path: "status", "conditions"]?.arrayValue ?? []
                        if conditions.contains(where: { $0["type"] == "Complete" && $0["status"] == "True" }) { return "Complete" }
                        if conditions.contains(where: { $0["type"] == "Failed" && $0["status"] == "True" }) { return "Failed" }
                        if object[path: "spec", "suspend"]?.boolValue == true { return "Suspended" }
                        return "Running"
                    },
                    Column(name: "Completions", type: "string") { object in
                        .string("\(int(object[path: "status", "succeeded"]))/\(object[path: "spec", "completions"]?.intValue.map(String.init) ?? "1")")
                    },
                    Column(name: "Duration", type: "string") { object in
                        guard let start = object[path: "status", "startTime"]?.stringValue.flatMap(Timestamp.parse) else { return "" }
                        let end = object[path: "status", "completionTime"]?.stringValue.flatMap(Timestamp.parse) ?? Date()
                        return .string(Timestamp.humanDuration(since: start, now: end))
                    },
                    ageColumn] + workloadDetailColumns
        case ("batch", "CronJob"):
            return [nameColumn,
                    Column(name: "Schedule", type: "string") { $0[path: "spec", "schedule"] ?? "" },
                    Column(name: "Timezone", type: "string") { $0[path: "spec", "timeZone"] ?? "<none>" },
                    Column(name: "Suspend", type: "boolean") { $0[path: "spec", "suspend"] ?? false },
                    Column(name: "Active", type: "integer") { .int(Int64($0[path: "status", "active"]?.arrayValue?.count ?? 0)) },
                    Column(name: "Last Schedule", type: "string") { object in
                        object[path: "status", "lastScheduleTime"]?.stringValue.flatMap(Timestamp.parse)
                            .map { .string(Timestamp.humanDuration(since: $0)) } ?? "<none>"
                    },
                    ageColumn]
        case ("", "Event"), ("events.k8s.io", "Event"):
            return [Column(name: "Last Seen", type: "string") { object in
                        let stamp = object["lastTimestamp"]?.stringValue ?? object["deprecatedLastTimestamp"]?.stringValue
                            ?? object["eventTime"]?.stringValue ?? object[path: "metadata", "creationTimestamp"]?.stringValue
                        return stamp.flatMap(Timestamp.parse).map { .string(Timestamp.humanDuration(since: $0)) } ?? "<unknown>"
                    },
                    Column(name: "Type", type: "string") { $0["type"] ?? "" },
                    Column(name: "Reason", type: "string") { $0["reason"] ?? "" },
                    Column(name: "Object", type: "string") { object in
                        let involved = object["involvedObject"] ?? object["regarding"] ?? .object([:])
                        return .string("\(string(involved["kind"]).lowercased())/\(string(involved["name"]))")
                    },
                    Column(name: "Message", type: "string") { $0["message"] ?? $0["note"] ?? "" },
                    Column(name: "Name", type: "string", format: "name", priority: 1) { $0[path: "metadata", "name"] ?? "" }]
        case ("apiextensions.k8s.io", "CustomResourceDefinition"), ("rbac.authorization.k8s.io", "Role"),
             ("rbac.authorization.k8s.io", "ClusterRole"):
            return [nameColumn, createdAtColumn]
        case ("networking.k8s.io", "Ingress"):
            return [nameColumn,
                    Column(name: "Class", type: "string") { $0[path: "spec", "ingressClassName"] ?? "<none>" },
                    Column(name: "Hosts", type: "string") { object in
                        let hosts = (object[path: "spec", "rules"]?.arrayValue ?? []).compactMap { $0["host"]?.stringValue }
                        return .string(hosts.isEmpty ? "*" : hosts.joined(separator: ","))
                    },
                    Column(name: "Address", type: "string") { object in
                        .string((object[path: "status", "loadBalancer", "ingress"]?.arrayValue ?? []).compactMap { $0["ip"]?.stringValue ?? $0["hostname"]?.stringValue }.joined(separator: ","))
                    },
                    Column(name: "Ports", type: "string") { $0[path: "spec", "tls"] == nil ? "80" : "80, 443" },
                    ageColumn]
        case ("coordination.k8s.io", "Lease"):
            return [nameColumn, Column(name: "Holder", type: "string") { $0[path: "spec", "holderIdentity"] ?? "" }, ageColumn]
        case ("rbac.authorization.k8s.io", "RoleBinding"), ("rbac.authorization.k8s.io", "ClusterRoleBinding"):
            return [nameColumn,
                    Column(name: "Role", type: "string") { .string("\(string($0[path: "roleRef", "kind"]))/\(string($0[path: "roleRef", "name"]))") },
                    ageColumn]
        default:
            return [nameColumn, createdAtColumn]
        }
    }

    private static let createdAtColumn = Column(name: "Created At", type: "date",
                                                description: "CreationTimestamp is a timestamp representing the server time when this object was created.") {
        $0[path: "metadata", "creationTimestamp"] ?? ""
    }

    private static let workloadDetailColumns: [Column] = [
        Column(name: "Containers", type: "string", priority: 1) { object in
            .string(podTemplateContainers(object).compactMap { $0["name"]?.stringValue }.joined(separator: ","))
        },
        Column(name: "Images", type: "string", priority: 1) { object in
            .string(podTemplateContainers(object).compactMap { $0["image"]?.stringValue }.joined(separator: ","))
        },
        Column(name: "Selector", type: "string", priority: 1) { object in
            let labels = object[path: "spec", "selector", "matchLabels"]?.objectValue ?? [:]
            return .string(labels.keys.sorted().map { "\($0)=\(labels[$0]?.stringValue ?? "")" }.joined(separator: ","))
        },
    ]

    private static func podTemplateContainers(_ object: JSONValue) -> [JSONValue] {
        object[path: "spec", "template", "spec", "containers"]?.arrayValue ?? []
    }

    /// A CRD column cell typed as apiextensions' table convertor types it.
    static func cell(for type: String, _ value: JSONValue) -> JSONValue {
        switch type {
        case "integer": return value.intValue.map { .int($0) } ?? .null
        case "number": return value.doubleValue.map { .double($0) } ?? .null
        case "boolean": return value.boolValue.map { .bool($0) } ?? .null
        case "date":
            guard let text = value.stringValue else { return .null }
            guard let date = Timestamp.parse(text) else { return "<invalid>" }
            return .string(Timestamp.humanDuration(since: date))
        default:
            return .string(SimpleJSONPath.text(value))
        }
    }

    /// The Table of `objects` (served-version objects).
    static func table(_ type: ResourceType, objects: [JSONValue], listMetadata: JSONValue,
                      include: IncludeObject, headers: Bool = true) -> JSONValue {
        let columns = columns(for: type)
        let rows = objects.map { object -> JSONValue in
            var row: [String: JSONValue] = ["cells": .array(columns.map { $0.cell(object) })]
            switch include {
            case .none: break
            case .metadata:
                row["object"] = ["kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                                 "metadata": object["metadata"] ?? .object([:])]
            case .object:
                row["object"] = object
            }
            return .object(row)
        }
        var table: [String: JSONValue] = ["kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": listMetadata,
                                          "rows": .array(rows)]
        table["columnDefinitions"] = headers ? .array(columns.map { column in
            ["name": .string(column.name), "type": .string(column.type), "format": .string(column.format),
             "description": .string(column.description), "priority": .int(Int64(column.priority))]
        }) : .array([])
        return .object(table)
    }
}
