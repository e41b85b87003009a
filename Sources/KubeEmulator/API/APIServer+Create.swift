import Foundation
import GitOpsKit

extension APIServer {
    /// POST: creates an object (`body` in the served version of `type`).
    func create(_ type: ResourceType, namespace: String?, body: JSONValue, request: WriteContext) throws(APIError) -> WriteResult {
        var object = try decodeBody(body, as: type)
        try prepareNamespace(type, &object, namespace: namespace, mismatch:
            "the namespace of the provided object does not match the namespace sent on the request")
        object[path: "metadata", "managedFields"] = nil
        return try createPrepared(type, object, request: request, managedFieldsSet: false)
    }

    /// Sets or checks `metadata.namespace` against the request's namespace.
    func prepareNamespace(_ type: ResourceType, _ object: inout JSONValue, namespace: String?, mismatch: String) throws(APIError) {
        if type.namespaced {
            let bodyNamespace = object[path: "metadata", "namespace"]?.stringValue ?? ""
            guard let namespace, !namespace.isEmpty else {
                throw APIError.badRequest("the server could not find the requested resource")
            }
            if !bodyNamespace.isEmpty, bodyNamespace != namespace { throw APIError.badRequest(mismatch) }
            object[path: "metadata", "namespace"] = .string(namespace)
        } else {
            object[path: "metadata", "namespace"] = nil
        }
    }

    /// Creates an object already in the storage version with its namespace set.
    func createPrepared(_ type: ResourceType, _ input: JSONValue, request: WriteContext,
                        managedFieldsSet: Bool) throws(APIError) -> WriteResult {
        var object = input
        var warnings: [String] = []
        if type.custom?.terminating == true {
            let name = object[path: "metadata", "name"]?.stringValue ?? ""
            throw APIError(code: 405, reason: "MethodNotAllowed",
                           message: "create not allowed while custom resource definition is terminating",
                           details: APIError.Details(name: name, group: type.group, kind: type.resource))
        }
        let generateName = object[path: "metadata", "generateName"]?.stringValue ?? ""
        if (object[path: "metadata", "name"]?.stringValue ?? "").isEmpty, !generateName.isEmpty {
            object[path: "metadata", "name"] = .string(String(generateName.prefix(58)) + Identifiers.nameSuffix())
        }
        if let version = object[path: "metadata", "resourceVersion"]?.stringValue, !version.isEmpty {
            throw APIError.internalError("resourceVersion should not be set on objects to be created")
        }
        let now = Timestamp.now()
        object[path: "metadata", "uid"] = .string(Identifiers.uid())
        object[path: "metadata", "creationTimestamp"] = .string(now)
        object[path: "metadata", "deletionTimestamp"] = nil
        object[path: "metadata", "deletionGracePeriodSeconds"] = nil
        object[path: "metadata", "selfLink"] = nil
        object[path: "metadata", "generation"] = type.tracksGeneration ? JSONValue.int(1) : JSONValue?.none
        try prepareForCreate(type, &object)
        try applySchema(type, &object, request: request, warnings: &warnings)
        try validate(type, object, old: nil)
        if !managedFieldsSet {
            object = PatchEngine.recordUpdate(old: nil, new: object, manager: request.manager, subresource: nil, now: now, type: type)
        }
        let name = object[path: "metadata", "name"]?.stringValue ?? ""
        let namespace = type.namespaced ? object[path: "metadata", "namespace"]?.stringValue : nil
        if request.dryRun {
            if store.get(type.storage, namespace: namespace, name: name) != nil {
                throw APIError.alreadyExists(resource: type.resource, group: type.group, name: name)
            }
            // NamespaceLifecycle admission runs for dry runs too: no content in a missing or terminating namespace.
            if let namespace {
                guard let namespaceObject = store.get(ObjectStore.namespaces, namespace: nil, name: namespace) else {
                    throw mapConflict(.namespaceMissing(namespace), type, name: name)
                }
                if namespaceObject.object[path: "metadata", "deletionTimestamp"] != nil {
                    throw mapConflict(.namespaceTerminating(namespace), type, name: name)
                }
            }
            return WriteResult(stored: nil, object: object, created: true, warnings: warnings)
        }
        do {
            let stored = try store.commit(type.storage, namespace: namespace, name: name, expecting: .absent,
                                          requireNamespace: namespace, put: object)
            return WriteResult(stored: stored, object: stored.object, created: true, warnings: warnings)
        } catch {
            throw mapConflict(error, type, name: name)
        }
    }

    /// Kind-specific create preparation: status reset, allocated values, derived fields.
    func prepareForCreate(_ type: ResourceType, _ object: inout JSONValue) throws(APIError) {
        if type.hasStatus { object["status"] = type.custom == nil ? JSONValue.object([:]) : JSONValue?.none }
        switch (type.group, type.kind) {
        case ("", "Secret"):
            try Self.foldStringData(&object, type: type)
        case ("", "Service"):
            allocateServiceValues(&object, old: nil)
            object["status"] = ["loadBalancer": .object([:])]
        case ("", "Namespace"):
            prepareNamespaceObject(&object)
            object["status"] = ["phase": "Active"]
        case ("", "Pod"):
            object["status"] = ["phase": "Pending", "qosClass": "BestEffort"]
        case ("", "PersistentVolumeClaim"):
            object["status"] = ["phase": "Pending"]
        case ("batch", "Job"):
            Self.generateJobSelector(&object)
        case ("apiextensions.k8s.io", "CustomResourceDefinition"):
            CRDValidation.applyDefaults(&object)
            let storage = (object[path: "spec", "versions"]?.arrayValue ?? []).first { $0["storage"]?.boolValue == true }?["name"]
            object["status"] = ["acceptedNames": ["kind": "", "plural": ""],
                                "storedVersions": storage.map { .array([$0]) } ?? .array([])]
        default:
            break
        }
    }

    /// Kind-specific update preparation (main endpoint).
    func prepareForUpdate(_ type: ResourceType, _ object: inout JSONValue, old: JSONValue) throws(APIError) {
        switch (type.group, type.kind) {
        case ("", "Secret"):
            try Self.foldStringData(&object, type: type)
        case ("", "Service"):
            allocateServiceValues(&object, old: old)
        case ("", "Namespace"):
            object[path: "spec", "finalizers"] = old[path: "spec", "finalizers"]
            prepareNamespaceObject(&object)
        case ("apiextensions.k8s.io", "CustomResourceDefinition"):
            CRDValidation.applyDefaults(&object)
        default:
            break
        }
    }

    private func prepareNamespaceObject(_ object: inout JSONValue) {
        if object[path: "spec", "finalizers"] == nil { object[path: "spec", "finalizers"] = ["kubernetes"] }
        if let name = object[path: "metadata", "name"]?.stringValue {
            object[path: "metadata", "labels", "kubernetes.io/metadata.name"] = .string(name)
        }
    }

    /// `stringData` is write-only: folded into `data` (base64); `data` must be valid base64.
    static func foldStringData(_ object: inout JSONValue, type: ResourceType) throws(APIError) {
        for (key, value) in object["data"]?.objectValue ?? [:] {
            guard let text = value.stringValue, Data(base64Encoded: text) != nil else {
                let offset = value.stringValue.map { Self.firstInvalidBase64Offset($0) } ?? 0
                throw APIError.badRequest("Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte \(offset)")
                    .with(field: "data[\(key)]")
            }
        }
        if let stringData = object["stringData"]?.objectValue {
            for (key, value) in stringData {
                guard let text = value.stringValue else { continue }
                object[path: "data", key] = .string(Data(text.utf8).base64EncodedString())
            }
            object["stringData"] = nil
        }
    }

    private static func firstInvalidBase64Offset(_ text: String) -> Int {
        for (i, c) in text.utf8.enumerated() {
            let valid = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c == 43 || c == 47 || c == 61
            if !valid { return i }
        }
        return text.utf8.count
    }

    /// Cluster IPs and node ports, kept from the old object when the new one leaves them out.
    private func allocateServiceValues(_ object: inout JSONValue, old: JSONValue?) {
        guard object["spec"] != nil else { return }
        let serviceType = object[path: "spec", "type"]?.stringValue ?? "ClusterIP"
        if serviceType != "ExternalName" {
            var ip = object[path: "spec", "clusterIP"]?.stringValue ?? ""
            if ip.isEmpty { ip = old?[path: "spec", "clusterIP"]?.stringValue ?? "" }
            if ip.isEmpty { ip = allocator.clusterIP() }
            object[path: "spec", "clusterIP"] = .string(ip)
            object[path: "spec", "clusterIPs"] = [.string(ip)]
        }
        guard serviceType == "NodePort" || serviceType == "LoadBalancer",
              var ports = object[path: "spec", "ports"]?.arrayValue else { return }
        let oldPorts = old?[path: "spec", "ports"]?.arrayValue ?? []
        for i in ports.indices where ports[i]["nodePort"] == nil {
            let previous = oldPorts.first { $0["port"] == ports[i]["port"] && ($0["protocol"] ?? "TCP") == (ports[i]["protocol"] ?? "TCP") }
            ports[i]["nodePort"] = previous?["nodePort"] ?? .int(allocator.nodePort())
        }
        object[path: "spec", "ports"] = .array(ports)
    }

    /// A Job without `manualSelector` gets `controller-uid` selector and template labels.
    private static func generateJobSelector(_ object: inout JSONValue) {
        guard object[path: "spec", "manualSelector"]?.boolValue != true,
              let uid = object[path: "metadata", "uid"]?.stringValue,
              let name = object[path: "metadata", "name"]?.stringValue else { return }
        object[path: "spec", "selector"] = ["matchLabels": ["batch.kubernetes.io/controller-uid": .string(uid)]]
        for (key, value) in [("batch.kubernetes.io/controller-uid", uid), ("batch.kubernetes.io/job-name", name),
                             ("controller-uid", uid), ("job-name", name)] {
            object[path: "spec", "template", "metadata", "labels", key] = .string(value)
        }
    }
}

extension APIError {
    /// The same error with a field cause attached.
    func with(field: String) -> APIError {
        var copy = self
        var details = copy.details ?? Details()
        details.causes.append(KubeError.Cause(field: field, reason: "FieldValueInvalid", message: message))
        copy.details = details
        return copy
    }
}
