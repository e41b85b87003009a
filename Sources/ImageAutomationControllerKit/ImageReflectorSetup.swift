import GitOpsKit
import Logging

extension ImageAutomationSetup {
    /// Index of ImagePolicies by the ImageRepository they use: `<namespace>/<name>`.
    static let policyRepositoryIndex = "imagepolicy.imageRepositoryRef"

    /// ImageRepository and ImagePolicy (Flux's image-reflector-controller): the tag store under `storagePath`,
    /// informers, queues and controllers. An ImagePolicy is also reconciled when its repository appears, goes, or
    /// publishes a new scan revision.
    ///
    /// Workers per kind follow the manager's `--concurrent`; events go through the manager's recorder.
    @discardableResult
    public static func registerReflector(on manager: Manager, storagePath: String, logger: Logger,
                                         requeueDependency: Duration = .seconds(30)) -> ImageReflectorContext {
        let store = TagStore(root: storagePath)
        store.sweep()
        let context = ImageReflectorContext(controllerName: manager.name, api: manager.api,
                                            events: manager.makeEventRecorder(), tags: store,
                                            requeueDependency: requeueDependency, logger: logger)
        registerReflector(on: manager, context: context)
        return context
    }

    /// The same with a ready-made context (tests, benchmarks).
    public static func registerReflector(on manager: Manager, context: ImageReflectorContext) {
        let repositoryQueue = manager.makeQueue()
        let repositories = manager.informer(for: ImageRepository.kind)
        repositories.enqueue(into: repositoryQueue, filter: .generationOrReconcileRequest)
        manager.addController(name: "imagerepository", kind: ImageRepository.kind.kind,
                              reconciler: ImageRepositoryReconciler(context: context), queue: repositoryQueue)

        let policyQueue = manager.makeQueue()
        let policies = manager.informer(for: ImagePolicy.kind)
        policies.addIndex(policyRepositoryIndex) { object in
            guard let name = object[path: "spec", "imageRepositoryRef", "name"]?.stringValue else { return [] }
            let own = object[path: "metadata", "namespace"]?.stringValue ?? "default"
            let namespace = object[path: "spec", "imageRepositoryRef", "namespace"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            return ["\(namespace ?? own)/\(name)"]
        }
        policies.enqueue(into: policyQueue, filter: .generationOrReconcileRequest)
        repositories.enqueueMapped(into: policyQueue) { event in
            guard scanRevisionChanged(event), let key = ObjectKey(of: event.object) else { return [] }
            return policies.keys(byIndex: policyRepositoryIndex, "\(key.namespace ?? "default")/\(key.name)")
        }
        manager.addController(name: "imagepolicy", kind: ImagePolicy.kind.kind,
                              reconciler: ImagePolicyReconciler(context: context), queue: policyQueue)
    }

    /// Flux's `imageRepositoryPredicate` for updates (a scan result appeared or its revision changed); creations
    /// and deletions pass too, so a policy waiting for a missing repository hears of it.
    static func scanRevisionChanged(_ event: InformerEvent) -> Bool {
        switch event {
        case .added, .deleted:
            return true
        case .updated(let old, let new):
            let revision = new[path: "status", "lastScanResult", "revision"]
            return revision != nil && revision != old[path: "status", "lastScanResult", "revision"]
        }
    }
}
