/// What a ``Manager`` runs with; usually built from ``ControllerFlags`` with
/// ``ControllerFlags/managerConfiguration(controllerName:defaultConcurrency:)``.
public struct ManagerConfiguration: Sendable {
    /// `--metrics-addr`; nil disables the metrics server.
    public var metricsAddress: ListenAddress?
    /// `--health-addr`; nil disables the probe server.
    public var healthAddress: ListenAddress?
    /// Leader election, or nil to lead unconditionally.
    public var leaderElection: LeaderElectionConfiguration?
    /// The namespace informers watch; nil for all.
    public var watchNamespace: String?
    /// Label selector, page size and backoff of informers of the controller's own kinds.
    public var watcher: WatcherConfiguration
    public var retryBackoff: ExponentialBackoff
    public var jitter: Jitter
    public var concurrency: Int
    /// notification-controller's address (`--events-addr`), or nil to record Kubernetes Events only.
    public var eventsAddress: String?
    /// How long graceful shutdown may take before in-flight work is cancelled; nil waits forever. The default
    /// stays below Kubernetes' 30 s termination grace period so the process exits on its own.
    public var gracefulShutdownTimeout: Duration?

    public init(metricsAddress: ListenAddress? = nil, healthAddress: ListenAddress? = nil,
                leaderElection: LeaderElectionConfiguration? = nil, watchNamespace: String? = nil,
                watcher: WatcherConfiguration = WatcherConfiguration(), retryBackoff: ExponentialBackoff = ExponentialBackoff(),
                jitter: Jitter = Jitter(), concurrency: Int = 4, eventsAddress: String? = nil,
                gracefulShutdownTimeout: Duration? = .seconds(25))
    {
        self.gracefulShutdownTimeout = gracefulShutdownTimeout
        self.eventsAddress = eventsAddress.flatMap { $0.isEmpty ? nil : $0 }
        self.metricsAddress = metricsAddress
        self.healthAddress = healthAddress
        self.leaderElection = leaderElection
        self.watchNamespace = watchNamespace
        self.watcher = watcher
        self.retryBackoff = retryBackoff
        self.jitter = jitter
        self.concurrency = max(1, concurrency)
    }
}

extension ControllerFlags {
    /// The manager settings these flags describe.
    public func managerConfiguration(controllerName: String, defaultConcurrency: Int = 4) -> ManagerConfiguration {
        ManagerConfiguration(
            metricsAddress: metricsAddress.isEmpty || metricsAddress == "0" ? nil : ListenAddress(metricsAddress),
            healthAddress: healthAddress.isEmpty || healthAddress == "0" ? nil : ListenAddress(healthAddress),
            leaderElection: leaderElection(controllerName: controllerName),
            watchNamespace: watchNamespace(),
            watcher: watcherConfiguration,
            retryBackoff: retryBackoff,
            jitter: jitter,
            concurrency: concurrency(default: defaultConcurrency),
            // A bare `host:port` is notification-controller's own listen address (Flux's `--events-addr=:9090`),
            // not somewhere to post events.
            eventsAddress: eventsAddress.contains("://") ? eventsAddress : nil)
    }
}
