import GitOpsKit
import Logging

/// Builds helm-controller inside a ``Manager``: the HelmRelease informer (indexed by the HelmChart it uses), the
/// HelmChart informer whose new artifacts enqueue the HelmReleases using them, the queue and the controller.
public enum HelmControllerSetup {
    /// Informer index of HelmReleases by `<namespace>/<name>` of their HelmChart.
    public static let chartIndex = "status.helmChart"

    @discardableResult
    public static func register(on manager: Manager, requeueDependency: Duration = .seconds(5),
                                pollInterval: Duration = .seconds(1), logger: Logger) -> HelmControllerContext
    {
        let context = HelmControllerContext(
            controllerName: manager.name, api: manager.api, events: manager.makeEventRecorder(),
            requeueDependency: requeueDependency, pollInterval: pollInterval, logger: logger)
        let queue = manager.makeQueue()
        let releases = manager.informer(for: HelmRelease.kind)
        releases.addIndex(chartIndex) { object in chartIndexValues(of: object) }
        releases.enqueue(into: queue, filter: .generationOrReconcileRequest)
        let charts = manager.informer(for: HelmChart.kind, configuration: WatcherConfiguration())
        charts.enqueueMapped(into: queue) { event in
            guard let value = chartEventIndexValue(event) else { return [] }
            return releases.keys(byIndex: chartIndex, value)
        }
        manager.addController(name: "helmrelease", kind: HelmRelease.kind.kind,
                              reconciler: HelmReleaseReconciler(context: context), queue: queue)
        return context
    }

    /// The HelmChart a HelmRelease uses: the one it generates (`<chart namespace>/<ns>-<name>`) or its `chartRef`.
    static func chartIndexValues(of object: JSONValue) -> [String] {
        let namespace = object[path: "metadata", "namespace"]?.stringValue ?? "default"
        guard let name = object[path: "metadata", "name"]?.stringValue else { return [] }
        if object[path: "spec", "chart"] != nil {
            let chartNamespace = object[path: "spec", "chart", "spec", "sourceRef", "namespace"]?.stringValue ?? namespace
            return ["\(chartNamespace)/\(namespace)-\(name)"]
        }
        if let reference = object[path: "spec", "chartRef", "name"]?.stringValue {
            return ["\(object[path: "spec", "chartRef", "namespace"]?.stringValue ?? namespace)/\(reference)"]
        }
        return []
    }

    /// The index value of a HelmChart event that brings a new artifact revision; nil otherwise.
    static func chartEventIndexValue(_ event: InformerEvent) -> String? {
        // The digest: a chart rebuilt under the same version is a new artifact too.
        guard let object = event.objectWithNewArtifact(comparing: "digest") else { return nil }
        guard let name = object[path: "metadata", "name"]?.stringValue else { return nil }
        return "\(object[path: "metadata", "namespace"]?.stringValue ?? "default")/\(name)"
    }
}
