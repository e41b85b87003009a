import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Prometheus

/// The `process_*` gauges Go controllers export (resident memory, CPU, open files, start time), read from
/// `/proc/self` at scrape time — the figures the project's memory budgets are about.
enum ProcessMetrics {
    /// Registers the gauges in `metrics` and a sampler that refreshes them before every scrape.
    static func register(in metrics: RuntimeMetrics) {
        let registry = metrics.registry
        let resident = registry.makeGauge(name: "process_resident_memory_bytes", help: "Resident memory size in bytes.")
        let virtual = registry.makeGauge(name: "process_virtual_memory_bytes", help: "Virtual memory size in bytes.")
        let cpu = registry.makeGauge(name: "process_cpu_seconds_total", help: "Total user and system CPU time spent in seconds.")
        let openFDs = registry.makeGauge(name: "process_open_fds", help: "Number of open file descriptors.")
        let start = registry.makeGauge(name: "process_start_time_seconds", help: "Start time of the process since unix epoch in seconds.")
        let startTime = Date().timeIntervalSince1970 - ProcessInfo.processInfo.systemUptime
            + (processStartSecondsAfterBoot() ?? ProcessInfo.processInfo.systemUptime)
        start.set(to: startTime.rounded())
        metrics.addSampler {
            if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) {
                resident.set(to: kibibytes("VmRSS", in: status) * 1024)
                virtual.set(to: kibibytes("VmSize", in: status) * 1024)
            }
            if let ticks = cpuTicks() { cpu.set(to: ticks / clockTicksPerSecond) }
            if let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
                openFDs.set(to: Double(entries.count))
            }
        }
    }

    private static let clockTicksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    private static func kibibytes(_ field: String, in status: String) -> Double {
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }) else { return 0 }
        return Double(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
    }

    /// Fields of `/proc/self/stat` after the command name (which may contain spaces), 0-based from field 3.
    private static func statFields() -> [Substring]? {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(after: close)...].split(separator: " ")
    }

    /// utime + stime in clock ticks (fields 14 and 15).
    private static func cpuTicks() -> Double? {
        guard let fields = statFields(), fields.count > 12,
              let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return user + system
    }

    /// The process start in seconds after boot (field 22).
    private static func processStartSecondsAfterBoot() -> Double? {
        guard let fields = statFields(), fields.count > 19, let ticks = Double(fields[19]) else { return nil }
        return ticks / clockTicksPerSecond
    }
}

extension PrometheusCollectorRegistry {
    fileprivate func makeGauge(name: String, help: String) -> Prometheus.Gauge {
        makeGauge(descriptor: MetricNameDescriptor(metricName: name, helpText: help))
    }
}
