import CoreMetrics
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Prometheus
import Synchronization

/// The Prometheus metrics every controller exports on `--metrics-addr` (names and labels as Flux and
/// controller-runtime publish them, so existing dashboards and alerts keep working).
///
/// Everything lives in one `PrometheusCollectorRegistry`; ``exposition()`` renders the text format. Gauges that
/// mirror a current value (work-queue depth) are refreshed right before rendering by the registered samplers.
public final class RuntimeMetrics: Sendable {
    /// The registry the metrics live in; controllers may add their own.
    public let registry: PrometheusCollectorRegistry
    private let samplers = Mutex<[@Sendable () -> Void]>([])

    /// 10 exponential buckets from 10 ms to 1800 s.
    public static let reconcileDurationBuckets: [Double] = {
        let start = 0.01
        let end = 1800.0
        let count = 10
        let ratio: Double = pow(end / start, 1.0 / Double(count - 1))
        var buckets: [Double] = []
        for index in 0..<(count - 1) {
            let value: Double = start * pow(ratio, Double(index))
            buckets.append((value * 1e6).rounded() / 1e6)
        }
        buckets.append(end)
        return buckets
    }()

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        ProcessMetrics.register(in: self)
    }

    /// A swift-metrics factory writing into ``registry``, so metrics of libraries using swift-metrics appear on
    /// `/metrics` too.
    public var swiftMetricsFactory: PrometheusMetricsFactory {
        PrometheusMetricsFactory(registry: registry)
    }

    /// Makes ``registry`` the process-wide swift-metrics backend. Call once, from a controller's `main`.
    public func bootstrapSwiftMetrics() {
        MetricsSystem.bootstrap(swiftMetricsFactory)
    }

    /// Records one reconcile of `kind` `namespace/name` that took `seconds`.
    public func recordReconcileDuration(kind: String, key: ObjectKey, seconds: Double) {
        durationHistogram(kind: kind, key: key).record(seconds)
    }

    private func durationHistogram(kind: String, key: ObjectKey) -> ValueHistogram {
        registry.makeValueHistogram(
            descriptor: MetricNameDescriptor(
                metricName: "gotk_reconcile_duration", unitName: "seconds",
                helpText: "The duration in seconds of a GitOps Toolkit resource reconciliation."),
            labels: Self.objectLabels(kind: kind, key: key),
            buckets: Self.reconcileDurationBuckets)
    }

    /// Counts one reconcile outcome (`success`, `error`, `requeue_after`) of `controller`.
    public func countReconcile(controller: String, result: String) {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                metricName: "controller_runtime_reconcile", unitName: "total",
                helpText: "Total number of reconciliations per controller"),
            labels: [("controller", controller), ("result", result)]
        ).increment()
    }

    /// A counter `<name>_total` of this registry as an increment function, for modules that do not import Prometheus
    /// (create it once, call it per event).
    public func makeCounter(name: String, help: String, labels: [(String, String)]) -> @Sendable () -> Void {
        let counter = registry.makeCounter(
            descriptor: MetricNameDescriptor(metricName: name, unitName: "total", helpText: help), labels: labels)
        return { counter.increment() }
    }

    /// Sets `gotk_reconcile_condition` for one condition: 1 for the current `status`, 0 for the other statuses.
    public func recordCondition(kind: String, key: ObjectKey, type: String, status: String) {
        for candidate in ["True", "False", "Unknown", "Deleted"] {
            conditionGauge(kind: kind, key: key, type: type, status: candidate).set(to: candidate == status ? 1.0 : 0.0)
        }
    }

    /// Sets `gotk_suspend_status` (1 while `spec.suspend` is true).
    public func recordSuspend(kind: String, key: ObjectKey, suspended: Bool) {
        registry.makeGauge(
            descriptor: MetricNameDescriptor(
                metricName: "gotk_suspend", unitName: "status",
                helpText: "The current suspend status of a GitOps Toolkit resource."),
            labels: Self.objectLabels(kind: kind, key: key)
        ).set(to: suspended ? 1.0 : 0.0)
    }

    /// Records `gotk_reconcile_condition` for every condition in `object`'s status and `gotk_suspend_status` from
    /// `spec.suspend`: call it after each reconcile with the object as written.
    public func recordObject(kind: String, _ object: JSONValue) {
        guard let key = ObjectKey(of: object) else { return }
        for condition in object[path: "status", "conditions"]?.arrayValue ?? [] {
            guard let type = condition["type"]?.stringValue, let status = condition["status"]?.stringValue else { continue }
            recordCondition(kind: kind, key: key, type: type, status: status)
        }
        recordSuspend(kind: kind, key: key, suspended: object[path: "spec", "suspend"]?.boolValue ?? false)
    }

    /// Marks a deleted object: its conditions report `status="Deleted"` 1 (as Flux does); its suspend gauge and
    /// duration histogram are removed so metrics of deleted objects do not pile up.
    public func recordDeletion(kind: String, key: ObjectKey, conditionTypes: [String] = [KStatus.ready]) {
        registry.unregisterValueHistogram(durationHistogram(kind: kind, key: key))
        for type in conditionTypes {
            recordCondition(kind: kind, key: key, type: type, status: "Deleted")
        }
        registry.unregisterGauge(registry.makeGauge(
            descriptor: MetricNameDescriptor(
                metricName: "gotk_suspend", unitName: "status",
                helpText: "The current suspend status of a GitOps Toolkit resource."),
            labels: Self.objectLabels(kind: kind, key: key)))
    }

    /// Publishes `workqueue_depth{name}` from `depth()` at every scrape.
    public func registerQueue(name: String, depth: @escaping @Sendable () -> Int) {
        let gauge = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                metricName: "workqueue", unitName: "depth", helpText: "Current depth of workqueue"),
            labels: [("name", name)])
        addSampler { gauge.set(to: Double(depth())) }
    }

    /// Runs `sampler` before every rendering (to refresh gauges of current values).
    public func addSampler(_ sampler: @escaping @Sendable () -> Void) {
        samplers.withLock { $0.append(sampler) }
    }

    /// The Prometheus text exposition of every metric.
    public func exposition() -> String {
        let samplers = self.samplers.withLock { $0 }
        samplers.forEach { $0() }
        return registry.emitToString()
    }

    private func conditionGauge(kind: String, key: ObjectKey, type: String, status: String) -> Prometheus.Gauge {
        registry.makeGauge(
            descriptor: MetricNameDescriptor(
                metricName: "gotk_reconcile", unitName: "condition",
                helpText: "The current condition status of a GitOps Toolkit resource reconciliation."),
            labels: Self.objectLabels(kind: kind, key: key) + [("type", type), ("status", status)])
    }

    private static func objectLabels(kind: String, key: ObjectKey) -> [(String, String)] {
        [("kind", kind), ("name", key.name), ("namespace", key.namespace ?? "")]
    }
}
