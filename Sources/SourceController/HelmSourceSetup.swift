import GitOpsKit

extension SourceControllerSetup {
    /// Index of HelmCharts by source: `<Kind>/<namespace>/<name>` of `spec.sourceRef`.
    static let helmChartSourceIndex = "helmchart.sourceRef"

    /// HelmRepository and HelmChart: informers, queues and controllers. A HelmChart is also reconciled when its
    /// source (HelmRepository or GitRepository) publishes a new artifact revision.
    public static func registerHelm(on manager: Manager, context: SourceControllerContext) {
        let repositoryQueue = manager.makeQueue()
        manager.informer(for: HelmRepository.kind).enqueue(into: repositoryQueue, filter: .generationOrReconcileRequest)
        manager.addController(name: "helmrepository", kind: HelmRepository.kind.kind,
                              reconciler: HelmRepositoryReconciler(context: context), queue: repositoryQueue)

        let chartQueue = manager.makeQueue()
        let charts = manager.informer(for: HelmChart.kind)
        charts.addIndex(helmChartSourceIndex) { object in
            guard let kind = object[path: "spec", "sourceRef", "kind"]?.stringValue,
                  let name = object[path: "spec", "sourceRef", "name"]?.stringValue else { return [] }
            let namespace = object[path: "metadata", "namespace"]?.stringValue ?? "default"
            return ["\(kind)/\(namespace)/\(name)"]
        }
        charts.enqueue(into: chartQueue, filter: .generationOrReconcileRequest)
        for kind in [HelmRepository.kind, GitRepository.kind] {
            manager.informer(for: kind).enqueueMapped(into: chartQueue) { event in
                guard artifactRevisionChanged(event), let key = ObjectKey(of: event.object) else { return [] }
                return charts.keys(byIndex: helmChartSourceIndex, "\(kind.kind)/\(key.namespace ?? "default")/\(key.name)")
            }
        }
        manager.addController(name: "helmchart", kind: HelmChart.kind.kind,
                              reconciler: HelmChartReconciler(context: context), queue: chartQueue)
    }

    /// Flux's `SourceRevisionChangePredicate`: an artifact appeared or its revision changed.
    static func artifactRevisionChanged(_ event: InformerEvent) -> Bool {
        switch event {
        case .added(let object):
            return object[path: "status", "artifact", "revision"] != nil
        case .updated(let old, let new):
            let revision = new[path: "status", "artifact", "revision"]
            return revision != nil && revision != old[path: "status", "artifact", "revision"]
        case .deleted:
            return false
        }
    }
}
