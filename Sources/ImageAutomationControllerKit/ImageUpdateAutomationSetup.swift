import FoundationEssentials
import GitOpsKit
import Logging

extension ImageAutomationSetup {
    /// Informer index of ImageUpdateAutomations by `<namespace>/<name>` of their GitRepository.
    public static let updateAutomationSourceIndex = "spec.sourceRef"

    /// Registers the ImageUpdateAutomation controller on `manager`: its own informer (spec changes and reconcile
    /// requests), ImagePolicies (a changed `latestRef` requeues every automation of the namespace, since markers
    /// may name any policy) and GitRepositories (a spec change requeues the automations using it).
    ///
    /// - Parameter workDirectory: where clones are made (one per run, removed afterwards); default the system's
    ///   temporary directory.
    @discardableResult
    public static func registerUpdateAutomation(on manager: Manager, workDirectory: String? = nil, logger: Logger)
        -> ImageUpdateContext
    {
        let scratch = workDirectory ?? ((ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp") + "/image-update-automation")
        let context = ImageUpdateContext(controllerName: manager.name, api: manager.api,
                                         events: manager.makeEventRecorder(), workDirectory: scratch, logger: logger)
        let queue = manager.makeQueue()
        let automations = manager.informer(for: ImageUpdateAutomation.kind)
        automations.addIndex(updateAutomationSourceIndex) { object in sourceIndexValues(of: object) }
        automations.enqueue(into: queue, filter: .generationOrReconcileRequest)
        let policies = manager.informer(for: ImagePolicy.kind, configuration: WatcherConfiguration())
        policies.enqueueMapped(into: queue) { event in
            guard latestRefChanged(event), let namespace = event.object[path: "metadata", "namespace"]?.stringValue else {
                return []
            }
            return automations.list(namespace: namespace).compactMap { ObjectKey(of: $0) }
        }
        let repositories = manager.informer(for: GitRepository.kind, configuration: WatcherConfiguration())
        repositories.enqueueMapped(into: queue) { event in
            if case .deleted = event { return [] }
            guard EventFilter.generationOrReconcileRequest(event), let name = event.object[path: "metadata", "name"]?.stringValue
            else { return [] }
            let namespace = event.object[path: "metadata", "namespace"]?.stringValue ?? "default"
            return automations.keys(byIndex: updateAutomationSourceIndex, "\(namespace)/\(name)")
        }
        manager.addController(name: "imageupdateautomation", kind: ImageUpdateAutomation.kind.kind,
                              reconciler: ImageUpdateAutomationReconciler(context: context), queue: queue)
        return context
    }

    /// `<namespace>/<name>` of the GitRepository an automation uses (its own namespace by default).
    static func sourceIndexValues(of object: JSONValue) -> [String] {
        guard let name = object[path: "spec", "sourceRef", "name"]?.stringValue else { return [] }
        let namespace = object[path: "spec", "sourceRef", "namespace"]?.stringValue
            ?? object[path: "metadata", "namespace"]?.stringValue ?? "default"
        return ["\(namespace)/\(name)"]
    }

    /// Flux's `latestImageChangePredicate`: a policy that has a `latestRef` now, different from before.
    static func latestRefChanged(_ event: InformerEvent) -> Bool {
        switch event {
        case .added(let object):
            return object[path: "status", "latestRef"] != nil
        case .updated(let old, let new):
            let latest = new[path: "status", "latestRef"]
            return latest != nil && latest != old[path: "status", "latestRef"]
        case .deleted:
            return false
        }
    }
}
