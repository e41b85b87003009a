import GitOpsKit
import Logging

/// Builds kustomize-controller inside a ``Manager``: the Kustomization informer (indexed by source and by the
/// ConfigMaps and Secrets of `postBuild.substituteFrom`), the GitRepository informer whose new artifacts enqueue the
/// Kustomizations using them, the ConfigMap and Secret informers (`--watch-configs-label-selector`) whose data
/// changes enqueue the Kustomizations that substitute from them, the queue and the controller.
public enum KustomizeControllerSetup {
    /// Informer index of Kustomizations by `<Kind>/<namespace>/<name>` of their source.
    public static let sourceIndex = "spec.sourceRef"
    /// Informer index of Kustomizations by `<Kind>/<namespace>/<name>` of their `substituteFrom` objects.
    public static let configIndex = "spec.postBuild.substituteFrom"

    static let configKinds = [GroupVersionKind(group: "", version: "v1", kind: "ConfigMap"),
                              GroupVersionKind(group: "", version: "v1", kind: "Secret")]

    /// Registers everything on `manager` and returns the context the reconciler uses.
    ///
    /// - Parameters:
    ///   - configsWatcher: how referenced ConfigMaps and Secrets are watched (Flux's default selects the label
    ///     `reconcile.fluxcd.io/watch: Enabled`); nil watches none.
    ///   - defaultServiceAccount: `--default-service-account`.
    ///   - overrideManagers: `--override-manager`.
    @discardableResult
    public static func register(on manager: Manager, requeueDependency: Duration = .seconds(30),
                                healthPollInterval: Duration = .seconds(2),
                                configsWatcher: WatcherConfiguration? = WatcherConfiguration(labelSelector: "reconcile.fluxcd.io/watch=Enabled"),
                                defaultServiceAccount: String? = nil, overrideManagers: [String] = [],
                                logger: Logger) -> KustomizeControllerContext
    {
        let context = KustomizeControllerContext(
            controllerName: manager.name, api: manager.api, events: manager.makeEventRecorder(),
            requeueDependency: requeueDependency, healthPollInterval: healthPollInterval,
            defaultServiceAccount: defaultServiceAccount, overrideManagers: overrideManagers, logger: logger)
        let queue = manager.makeQueue()
        let kustomizations = manager.informer(for: Kustomization.kind)
        kustomizations.addIndex(sourceIndex) { object in sourceIndexValues(of: object) }
        kustomizations.enqueue(into: queue, filter: .generationOrReconcileRequest)
        // Sources are watched whatever the controller's label selector: it selects Kustomizations, not sources.
        let sources = manager.informer(for: GitRepository.kind, configuration: WatcherConfiguration())
        sources.enqueueMapped(into: queue) { event in
            guard let value = sourceEventIndexValue(event) else { return [] }
            return kustomizations.keys(byIndex: sourceIndex, value)
        }
        if let configsWatcher {
            kustomizations.addIndex(configIndex) { object in configIndexValues(of: object) }
            for kind in configKinds {
                manager.informer(for: kind, configuration: configsWatcher).enqueueMapped(into: queue) { event in
                    guard let value = configEventIndexValue(event) else { return [] }
                    return kustomizations.keys(byIndex: configIndex, value)
                }
            }
        }
        manager.addController(name: "kustomization", kind: Kustomization.kind.kind,
                              reconciler: KustomizationReconciler(context: context), queue: queue)
        return context
    }

    /// The index value of a Kustomization: its source's `Kind/namespace/name` (namespace defaulting to its own).
    static func sourceIndexValues(of object: JSONValue) -> [String] {
        guard let kind = object[path: "spec", "sourceRef", "kind"]?.stringValue,
              let name = object[path: "spec", "sourceRef", "name"]?.stringValue else { return [] }
        let namespace = object[path: "spec", "sourceRef", "namespace"]?.stringValue
            ?? object[path: "metadata", "namespace"]?.stringValue ?? "default"
        return ["\(kind)/\(namespace)/\(name)"]
    }

    /// The index value to look up for a source event, when it brings a new artifact revision (Flux's
    /// `SourceRevisionChangePredicate`); nil otherwise.
    static func sourceEventIndexValue(_ event: InformerEvent) -> String? {
        guard let object = event.objectWithNewArtifact() else { return nil }
        guard let kind = object["kind"]?.stringValue, let name = object[path: "metadata", "name"]?.stringValue else { return nil }
        return "\(kind)/\(object[path: "metadata", "namespace"]?.stringValue ?? "default")/\(name)"
    }

    /// The index values of a Kustomization: `ConfigMap/<ns>/<name>` or `Secret/<ns>/<name>` per `substituteFrom`
    /// entry (they live in the Kustomization's namespace).
    static func configIndexValues(of object: JSONValue) -> [String] {
        let namespace = object[path: "metadata", "namespace"]?.stringValue ?? "default"
        return (object[path: "spec", "postBuild", "substituteFrom"]?.arrayValue ?? []).compactMap { reference in
            guard let kind = reference["kind"]?.stringValue, let name = reference["name"]?.stringValue else { return nil }
            return "\(kind)/\(namespace)/\(name)"
        }
    }

    /// The index value to look up for a ConfigMap or Secret event: when it appears (or starts matching the label
    /// selector), disappears, or its data changes; nil for other updates (labels, annotations, resync).
    static func configEventIndexValue(_ event: InformerEvent) -> String? {
        let object: JSONValue
        switch event {
        case .added(let new):
            object = new
        case .updated(let old, let new):
            guard old["data"] != new["data"] || old["binaryData"] != new["binaryData"] || old["stringData"] != new["stringData"]
            else { return nil }
            object = new
        case .deleted(let old):
            object = old
        }
        guard let kind = object["kind"]?.stringValue, let name = object[path: "metadata", "name"]?.stringValue else { return nil }
        return "\(kind)/\(object[path: "metadata", "namespace"]?.stringValue ?? "default")/\(name)"
    }
}
