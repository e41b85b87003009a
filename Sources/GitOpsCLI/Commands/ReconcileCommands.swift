import ArgumentParser
import FoundationEssentials
import GitOpsKit

/// The object a `reconcile`/`suspend`/`resume` command names: kind words then the name, e.g. `kustomization app`,
/// `source git app`, `image repository podinfo`, or `Kustomization/app`.
struct ObjectTarget {
    var resource: FluxResource
    var name: String

    init(_ arguments: [String]) throws {
        var words = arguments
        if words.count == 1, let slash = words[0].firstIndex(of: "/") {
            words = [String(words[0][..<slash]), String(words[0][words[0].index(after: slash)...])]
        }
        guard words.count >= 2, let name = words.last, !name.isEmpty else {
            throw ValidationError("name a kind and an object, e.g. `kustomization my-app`")
        }
        let kindWords = words.dropLast().joined(separator: " ")
        guard let resource = FluxResource.named(kindWords) else {
            throw ValidationError("unknown kind \"\(kindWords)\"; one of: \(FluxResource.all.map(\.commandName).joined(separator: ", "))")
        }
        self.resource = resource
        self.name = name
    }
}

/// `gok reconcile <kind> <name>`: asks the controller to reconcile now (`reconcile.fluxcd.io/requestedAt`), waits
/// until it handled that request and prints the outcome.
struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile", abstract: "Reconcile a Flux object now and wait for the outcome.",
        discussion: "Examples: gok reconcile kustomization app --with-source; gok reconcile source git app; gok reconcile hr podinfo")

    @OptionGroup var cluster: ClusterOptions
    @Argument(help: "The kind and the name.") var words: [String]
    @Flag(help: "Reconcile the object's source first.") var withSource = false

    func run() async throws {
        try await CLIRun.guarded {
            let target = try ObjectTarget(words)
            let api = try cluster.client()
            let requester = ReconcileRequester(api: api, timeout: try cluster.timeoutDuration)
            let key = ObjectKey(namespace: cluster.namespace, name: target.name)
            let object = try await api.get(target.resource.kind, key)
            if object[path: "spec", "suspend"]?.boolValue == true {
                throw CLIError("\(target.resource.kind.kind) \(target.name) is suspended; run `gok resume \(target.resource.commandName) \(target.name)` first")
            }
            if withSource, let (sourceKind, sourceKey) = Self.source(of: object, namespace: cluster.namespace) {
                try await requester.reconcile(sourceKind, sourceKey)
            }
            try await requester.reconcile(target.resource.kind, key)
        }
    }

    /// A Kustomization's source, or a HelmRelease's chart source (its HelmChart's `sourceRef`).
    static func source(of object: JSONValue, namespace: String) -> (GroupVersionKind, ObjectKey)? {
        let reference = object[path: "spec", "sourceRef"] ?? object[path: "spec", "chart", "spec", "sourceRef"]
            ?? object[path: "spec", "chartRef"]
        guard let kindName = reference?["kind"]?.stringValue, let name = reference?["name"]?.stringValue,
              let resource = FluxResource.named(kindName) else { return nil }
        return (resource.kind, ObjectKey(namespace: reference?["namespace"]?.stringValue ?? namespace, name: name))
    }
}

/// Sets `reconcile.fluxcd.io/requestedAt` and waits for `status.lastHandledReconcileAt` to echo it.
struct ReconcileRequester {
    var api: KubeClient
    var timeout: Duration

    func reconcile(_ kind: GroupVersionKind, _ key: ObjectKey) async throws {
        let token = KubeTime.now().rfc3339Nano
        Terminal.action("annotating \(kind.kind) \(key.name) in \(key.namespace ?? "") namespace")
        _ = try await api.patch(kind, key, patch: ["metadata": ["annotations": .object([FluxAnnotation.reconcileRequestedAt: .string(token)])]],
                                type: .merge, subresource: nil, options: WriteOptions(fieldManager: ObjectWriter.fieldManager))
        Terminal.success("\(kind.kind) annotated")
        Terminal.waiting("waiting for \(kind.kind) reconciliation")
        let object = try await ReadinessWaiter(api: api, timeout: timeout).waitForReady(kind, key) {
            $0[path: "status", "lastHandledReconcileAt"]?.stringValue == token
        }
        Terminal.success("\(kind.kind) reconciliation completed")
        if let revision = ReadinessWaiter.revision(of: object) {
            let verb = kind.group == "source.toolkit.fluxcd.io" ? "fetched" : "applied"
            Terminal.success("\(verb) revision \(revision)")
        }
    }
}

/// `gok suspend <kind> <name>`: stops reconciling it (`spec.suspend: true`).
struct SuspendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "suspend", abstract: "Suspend reconciliation of a Flux object.")
    @OptionGroup var cluster: ClusterOptions
    @Argument(help: "The kind and the name.") var words: [String]

    func run() async throws {
        try await CLIRun.guarded {
            try await SuspensionSwitch(cluster: cluster, target: try ObjectTarget(words)).set(suspended: true)
        }
    }
}

/// `gok resume <kind> <name>`: reconciles it again, at once, and waits for the outcome.
struct ResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resume", abstract: "Resume a suspended Flux object and wait for it.")
    @OptionGroup var cluster: ClusterOptions
    @Argument(help: "The kind and the name.") var words: [String]

    func run() async throws {
        try await CLIRun.guarded {
            let target = try ObjectTarget(words)
            let api = try await SuspensionSwitch(cluster: cluster, target: target).set(suspended: false)
            try await ReconcileRequester(api: api, timeout: try cluster.timeoutDuration)
                .reconcile(target.resource.kind, ObjectKey(namespace: cluster.namespace, name: target.name))
        }
    }
}

/// Sets `spec.suspend` of one object.
struct SuspensionSwitch {
    var cluster: ClusterOptions
    var target: ObjectTarget

    @discardableResult
    func set(suspended: Bool) async throws -> KubeClient {
        let kind = target.resource.kind
        guard target.resource.isSuspendable else { throw CLIError("\(kind.kind) cannot be suspended") }
        let api = try cluster.client()
        Terminal.action("\(suspended ? "suspending" : "resuming") \(kind.kind) \(target.name) in \(cluster.namespace) namespace")
        _ = try await api.patch(kind, ObjectKey(namespace: cluster.namespace, name: target.name),
                                patch: ["spec": ["suspend": .bool(suspended)]], type: .merge, subresource: nil,
                                options: WriteOptions(fieldManager: ObjectWriter.fieldManager))
        Terminal.success("\(kind.kind) \(suspended ? "suspended" : "resumed")")
        return api
    }
}
