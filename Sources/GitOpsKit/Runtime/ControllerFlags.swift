import ArgumentParser
import FoundationEssentials

/// The flags every GitOpsKit controller shares, named and defaulted as Flux's (`fluxcd/pkg runtime/*`), so a Flux
/// Deployment's `args` work unchanged. Use it in a controller's command with `@OptionGroup var flags: ControllerFlags`.
///
/// Go-style boolean flags with an explicit value (`--watch-all-namespaces=false`) are accepted after
/// ``normalizeGoBooleanFlags(_:)`` rewrites them (`ControllerFlags.normalizedArguments()` in `main`).
///
/// Usage (a whole controller `main`):
/// ```swift
/// struct KustomizeControllerCommand: AsyncParsableCommand {
///     @OptionGroup var flags: ControllerFlags
///
///     func run() async throws {
///         let logger = RuntimeLogging.bootstrap(flags, label: "kustomize-controller")
///         let api = KubeClient(...)  // from flags.kubeconfig / flags.context, QPS and burst
///         let manager = Manager(name: "kustomize-controller", api: api,
///                               configuration: flags.managerConfiguration(controllerName: "kustomize-controller"),
///                               logger: logger)
///         let queue = manager.makeQueue()
///         manager.informer(for: Kustomization.kind).enqueue(into: queue, filter: .generationOrReconcileRequest)
///         manager.addController(name: "kustomization", kind: "Kustomization",
///                               reconciler: KustomizationReconciler(api: api, events: manager.makeEventRecorder()),
///                               queue: queue)
///         try await manager.run()
///     }
/// }
/// // main.swift
/// await KustomizeControllerCommand.main(ControllerFlags.normalizedArguments())
/// ```
public struct ControllerFlags: ParsableArguments, Sendable {
    public enum LogEncoding: String, ExpressibleByArgument, Sendable, CaseIterable { case json, console }
    public enum LogLevel: String, ExpressibleByArgument, Sendable, CaseIterable { case trace, debug, info, error }

    @Option(name: .customLong("metrics-addr"), help: "The address the metric endpoint binds to (\"0\" disables it).")
    public var metricsAddress: String = ":8080"

    @Option(name: .customLong("health-addr"), help: "The address the health endpoint binds to.")
    public var healthAddress: String = ":9440"

    @Option(name: .customLong("events-addr"),
            help: "The URL of the events receiver (notification-controller); for notification-controller, the address it receives events on.")
    public var eventsAddress: String = ""

    @Option(name: .customLong("concurrent"), help: "The number of concurrent reconciles (default per controller).")
    public var concurrent: Int?

    @Option(name: .customLong("requeue-dependency"), help: "The interval at which failing dependencies are reevaluated.")
    public var requeueDependency: FlagDuration = FlagDuration(.seconds(30), text: "30s")

    @Flag(name: .customLong("enable-leader-election"), inversion: .prefixedNo,
          help: "Enable leader election for controller manager.")
    public var enableLeaderElection: Bool = false

    @Option(name: .customLong("leader-election-lease-duration"), help: "Interval at which non-leader candidates wait to force acquire leadership.")
    public var leaderElectionLeaseDuration: FlagDuration = FlagDuration(.seconds(35), text: "35s")

    @Option(name: .customLong("leader-election-renew-deadline"), help: "Duration the leader tries to refresh the lease before giving up.")
    public var leaderElectionRenewDeadline: FlagDuration = FlagDuration(.seconds(30), text: "30s")

    @Option(name: .customLong("leader-election-retry-period"), help: "Duration between leader election retries.")
    public var leaderElectionRetryPeriod: FlagDuration = FlagDuration(.seconds(5), text: "5s")

    @Flag(name: .customLong("leader-election-release-on-cancel"), inversion: .prefixedNo,
          help: "Release the leader lease on shutdown so a successor takes over at once.")
    public var leaderElectionReleaseOnCancel: Bool = true

    @Flag(name: .customLong("watch-all-namespaces"), inversion: .prefixedNo,
          help: "Watch for resources in all namespaces; if false, only the runtime namespace (RUNTIME_NAMESPACE).")
    public var watchAllNamespaces: Bool = true

    @Option(name: .customLong("watch-label-selector"), help: "Watch only resources matching this label selector (sharding).")
    public var watchLabelSelector: String = ""

    @Option(name: .customLong("watch-configs-label-selector"), help: "Watch ConfigMaps and Secrets matching this label selector.")
    public var watchConfigsLabelSelector: String = "reconcile.fluxcd.io/watch=Enabled"

    @Flag(name: .customLong("no-cross-namespace-refs"),
          help: "Reject references to objects in other namespaces.")
    public var noCrossNamespaceRefs: Bool = false

    @Option(name: .customLong("kube-api-qps"), help: "The maximum queries-per-second of requests sent to the API server.")
    public var kubeAPIQPS: Double = 50

    @Option(name: .customLong("kube-api-burst"), help: "The maximum burst of queries sent to the API server.")
    public var kubeAPIBurst: Int = 300

    @Option(name: .customLong("min-retry-delay"), help: "The minimum amount of time to wait before retrying a failed reconcile.")
    public var minRetryDelay: FlagDuration = FlagDuration(.milliseconds(750), text: "750ms")

    @Option(name: .customLong("max-retry-delay"), help: "The maximum amount of time to wait before retrying a failed reconcile.")
    public var maxRetryDelay: FlagDuration = FlagDuration(.seconds(900), text: "15m")

    @Option(name: .customLong("interval-jitter-percentage"), help: "Percentage of jitter applied to reconcile intervals (0-99).")
    public var intervalJitterPercentage: Double = 5

    @Option(name: .customLong("log-level"), help: "Log verbosity: trace, debug, info or error.")
    public var logLevel: LogLevel = .info

    @Option(name: .customLong("log-encoding"), help: "Log encoding: json or console.")
    public var logEncoding: LogEncoding = .json

    @Option(name: .customLong("kubeconfig"), help: "Path to a kubeconfig; in-cluster configuration when unset.")
    public var kubeconfig: String?

    @Option(name: .customLong("context"), help: "The kubeconfig context to use.")
    public var context: String?

    public init() {}

    public func validate() throws {
        if let concurrent, concurrent < 1 { throw ValidationError("--concurrent must be at least 1, got \(concurrent)") }
        if !(0..<100).contains(intervalJitterPercentage) {
            throw ValidationError("--interval-jitter-percentage must be in [0, 100), got \(intervalJitterPercentage)")
        }
        if minRetryDelay.duration <= .zero { throw ValidationError("--min-retry-delay must be positive") }
        if maxRetryDelay.duration < minRetryDelay.duration {
            throw ValidationError("--max-retry-delay (\(maxRetryDelay)) must not be below --min-retry-delay (\(minRetryDelay))")
        }
        if leaderElectionRenewDeadline.duration > leaderElectionLeaseDuration.duration {
            throw ValidationError("--leader-election-renew-deadline must not exceed --leader-election-lease-duration")
        }
        if kubeAPIQPS <= 0 || kubeAPIBurst < 1 { throw ValidationError("--kube-api-qps and --kube-api-burst must be positive") }
        // "0" or "" disables a server, as in controller-runtime.
        for (flag, address) in [("--metrics-addr", metricsAddress), ("--health-addr", healthAddress)]
        where !address.isEmpty && address != "0" {
            if ListenAddress(address) == nil { throw ValidationError("\(flag): invalid address \"\(address)\" (want host:port)") }
        }
        // A URL (where the other controllers post events) or, for notification-controller, `host:port` to listen on.
        if !eventsAddress.isEmpty, !eventsAddress.contains("://") || URL(string: eventsAddress)?.scheme == nil,
           ListenAddress(eventsAddress) == nil
        {
            throw ValidationError("--events-addr: invalid URL \"\(eventsAddress)\"")
        }
        for (flag, selector) in [("--watch-label-selector", watchLabelSelector),
                                 ("--watch-configs-label-selector", watchConfigsLabelSelector)] where !selector.isEmpty {
            do {
                _ = try LabelSelectorExpression(selector)
            } catch {
                throw ValidationError("\(flag): \(error)")
            }
        }
    }

    // MARK: Derived settings

    /// Workers to run: `--concurrent` or the controller's default.
    public func concurrency(default defaultValue: Int) -> Int { concurrent ?? defaultValue }

    /// The work-queue backoff from `--min-retry-delay`/`--max-retry-delay`.
    public var retryBackoff: ExponentialBackoff {
        ExponentialBackoff(minimum: minRetryDelay.duration, maximum: maxRetryDelay.duration)
    }

    public var jitter: Jitter { Jitter(percentage: intervalJitterPercentage) }

    /// The namespace to watch: nil (all) or `RUNTIME_NAMESPACE` (default `flux-system`).
    public func watchNamespace(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        watchAllNamespaces ? nil : (environment["RUNTIME_NAMESPACE"].flatMap { $0.isEmpty ? nil : $0 } ?? "flux-system")
    }

    /// Watcher settings with `--watch-label-selector`.
    public var watcherConfiguration: WatcherConfiguration {
        WatcherConfiguration(labelSelector: watchLabelSelector.isEmpty ? nil : watchLabelSelector)
    }

    /// Watcher settings for referenced ConfigMaps and Secrets (`--watch-configs-label-selector`).
    public var configsWatcherConfiguration: WatcherConfiguration {
        WatcherConfiguration(labelSelector: watchConfigsLabelSelector.isEmpty ? nil : watchConfigsLabelSelector)
    }

    /// Leader-election settings for `controllerName` (lease `<controllerName>-leader-election` in the runtime
    /// namespace), or nil when `--enable-leader-election` is off.
    public func leaderElection(controllerName: String,
                               environment: [String: String] = ProcessInfo.processInfo.environment)
        -> LeaderElectionConfiguration?
    {
        guard enableLeaderElection else { return nil }
        let namespace = environment["RUNTIME_NAMESPACE"].flatMap { $0.isEmpty ? nil : $0 } ?? "flux-system"
        return LeaderElectionConfiguration(
            leaseName: "\(controllerName)-leader-election", leaseNamespace: namespace,
            leaseDuration: leaderElectionLeaseDuration.duration, renewDeadline: leaderElectionRenewDeadline.duration,
            retryPeriod: leaderElectionRetryPeriod.duration, releaseOnCancel: leaderElectionReleaseOnCancel)
    }

    // MARK: Go-style booleans

    /// Long names of the boolean flags above that have a `--no-` form.
    public static let invertibleBooleanFlags: Set<String> = [
        "enable-leader-election", "leader-election-release-on-cancel", "watch-all-namespaces",
    ]
    /// Long names of the boolean flags above without a `--no-` form (`=false` drops them).
    public static let plainBooleanFlags: Set<String> = ["no-cross-namespace-refs"]

    /// Rewrites `--flag=true` to `--flag` and `--flag=false` to `--no-flag` (or drops it when the flag has no
    /// negation) for Go-style boolean flags, so Flux manifests' arguments parse. Other arguments pass through.
    public static func normalizeGoBooleanFlags(_ arguments: [String], invertible: Set<String> = invertibleBooleanFlags,
                                               plain: Set<String> = plainBooleanFlags) -> [String]
    {
        arguments.compactMap { argument in
            guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return argument }
            let name = String(argument[argument.index(argument.startIndex, offsetBy: 2)..<equals])
            let value = argument[argument.index(after: equals)...].lowercased()
            guard invertible.contains(name) || plain.contains(name) else { return argument }
            switch value {
            case "true", "1", "t": return "--\(name)"
            case "false", "0", "f": return invertible.contains(name) ? "--no-\(name)" : nil
            default: return argument
            }
        }
    }

    /// The process arguments (without the executable) with Go-style booleans normalized.
    public static func normalizedArguments() -> [String] {
        normalizeGoBooleanFlags(Array(CommandLine.arguments.dropFirst()))
    }
}
