import GitOpsKit

/// A Flux kind as the CLI presents it: the words that name it on the command line and the columns `get` shows.
struct FluxResource: Sendable {
    var kind: GroupVersionKind
    /// What follows the verb: `source git`, `kustomization`, `image policy`…
    var commandName: String
    /// Extra columns between NAME and READY/MESSAGE: title and value.
    var columns: [(title: String, value: @Sendable (JSONValue) -> String)]
    var isSuspendable = true

    /// The `flux get`-style table header and row.
    func headers() -> [String] { ["NAME"] + columns.map(\.title) + (isSuspendable ? ["SUSPENDED"] : []) + ["READY", "MESSAGE"] }

    func row(_ object: JSONValue) -> [String] {
        let ready = Self.readyCondition(object)
        var row = [object[path: "metadata", "name"]?.stringValue ?? ""] + columns.map { $0.value(object) }
        if isSuspendable { row.append(object[path: "spec", "suspend"]?.boolValue == true ? "True" : "False") }
        row.append(ready?["status"]?.stringValue ?? "Unknown")
        row.append(ready?["message"]?.stringValue ?? "")
        return row
    }

    static func readyCondition(_ object: JSONValue) -> JSONValue? {
        object[path: "status", "conditions"]?.arrayValue?.first { $0["type"] == "Ready" }
    }

    static func string(_ object: JSONValue, _ path: String...) -> String {
        var value: JSONValue? = object
        for key in path { value = value?[key] }
        return value?.stringValue ?? ""
    }

    // MARK: The catalog

    static let gitRepository = FluxResource(kind: GitRepository.kind, commandName: "source git",
                                            columns: [("REVISION", { string($0, "status", "artifact", "revision") })])
    static let helmRepository = FluxResource(kind: HelmRepository.kind, commandName: "source helm",
                                             columns: [("REVISION", { string($0, "status", "artifact", "revision") })])
    static let helmChart = FluxResource(kind: HelmChart.kind, commandName: "source chart",
                                        columns: [("REVISION", { string($0, "status", "artifact", "revision") })])
    static let kustomization = FluxResource(kind: Kustomization.kind, commandName: "kustomization",
                                            columns: [("REVISION", { string($0, "status", "lastAppliedRevision") })])
    static let helmRelease = FluxResource(kind: HelmRelease.kind, commandName: "helmrelease", columns: [("REVISION", { object in
        let history = object[path: "status", "history"]?.arrayValue?.first
        return history?["chartVersion"]?.stringValue ?? string(object, "status", "lastAttemptedRevision")
    })])
    static let alert = FluxResource(kind: Alert.kind, commandName: "alert", columns: [])
    static let provider = FluxResource(kind: Provider.kind, commandName: "provider", columns: [])
    static let receiver = FluxResource(kind: Receiver.kind, commandName: "receiver", columns: [])
    static let imageRepository = FluxResource(kind: ImageRepository.kind, commandName: "image repository", columns: [
        ("LAST SCAN", { string($0, "status", "lastScanResult", "scanTime") }),
        ("TAGS", { $0[path: "status", "lastScanResult", "tagCount"]?.intValue.map(String.init) ?? "" }),
    ])
    static let imagePolicy = FluxResource(kind: ImagePolicy.kind, commandName: "image policy", columns: [("LATEST IMAGE", { object in
        let ref = object[path: "status", "latestRef"]
        guard let name = ref?["name"]?.stringValue, let tag = ref?["tag"]?.stringValue else { return "" }
        return "\(name):\(tag)"
    })], isSuspendable: false)
    static let imageUpdate = FluxResource(kind: ImageUpdateAutomation.kind, commandName: "image update",
                                          columns: [("LAST RUN", { string($0, "status", "lastAutomationRunTime") })])

    static let sources = [gitRepository, helmRepository, helmChart]
    static let images = [imageRepository, imagePolicy, imageUpdate]
    static let all = sources + [kustomization, helmRelease, alert, provider, receiver] + images

    /// The resource a `kind` argument names: `Kustomization`, `kustomization`, `ks`, `gitrepository`, `hr`…
    static func named(_ text: String) -> FluxResource? {
        let word = text.lowercased()
        let aliases: [String: FluxResource] = [
            "ks": kustomization, "hr": helmRelease, "gitrepo": gitRepository, "git": gitRepository,
            "helmrepo": helmRepository, "helm": helmRepository, "chart": helmChart,
            "imagerepo": imageRepository, "imgrepo": imageRepository, "imagepolicy": imagePolicy, "imgpol": imagePolicy,
            "iua": imageUpdate, "imageupdate": imageUpdate, "alert-provider": provider,
        ]
        if let resource = aliases[word] { return resource }
        return all.first { resource in
            let kind = resource.kind.kind.lowercased()
            return word == kind || word == kind + "s" || word == kind + "es" || word == resource.commandName
                || word == kind + "." + resource.kind.group
        }
    }
}
