import Logging
import ServiceLifecycle
import Synchronization
// UnixSignals is part of swift-service-lifecycle (a declared dependency) and always built before this module.
import UnixSignals

/// Assembles a controller process: shared informers, controllers, leader election, metrics and probe servers, all
/// run as one `ServiceGroup` with graceful shutdown on SIGTERM/SIGINT.
///
/// Shutdown order (the reverse of start): controllers stop taking keys and finish in-flight reconciles, leader-only
/// services stop, the lease is released, informers stop, then the HTTP servers. Workers start only once every
/// informer has synced and (with leader election) this process leads; `/readyz` turns ready when caches synced.
///
/// Usage (a controller `main`):
/// ```swift
/// let manager = Manager(name: "kustomize-controller", api: api,
///                       configuration: flags.managerConfiguration(controllerName: "kustomize-controller"), logger: logger)
/// let queue = manager.makeQueue()
/// manager.informer(for: kustomizationKind).enqueue(into: queue, filter: .generationOrReconcileRequest)
/// manager.addController(name: "kustomization", kind: "Kustomization", reconciler: reconciler, queue: queue)
/// try await manager.run()
/// ```
public final class Manager: Sendable {
    private struct Parts {
        var informers: [InformerID: Informer] = [:]
        var informerOrder: [Informer] = []
        var services: [any Service] = []
        var controllers: [Controller] = []
        var group: ServiceGroup?
        var metricsServer: RuntimeHTTPServer?
        var healthServer: RuntimeHTTPServer?
    }

    private struct InformerID: Hashable {
        var kind: GroupVersionKind
        var namespace: String?
        var configuration: WatcherConfiguration
    }

    public let name: String
    public let api: any KubernetesAPI
    public let configuration: ManagerConfiguration
    public let metrics: RuntimeMetrics
    public let leaderElector: LeaderElector?
    private let logger: Logger
    private let parts = Mutex(Parts())
    private let started = AsyncGate()

    public init(name: String, api: any KubernetesAPI, configuration: ManagerConfiguration,
                metrics: RuntimeMetrics = RuntimeMetrics(), logger: Logger)
    {
        self.name = name
        self.api = api
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
        self.leaderElector = configuration.leaderElection.map {
            LeaderElector(api: api, configuration: $0, logger: logger)
        }
    }

    // MARK: Building

    /// The shared informer of `kind` (one per kind, namespace and watch settings); create informers before
    /// ``run(handlingSignals:)``, which starts the ones that exist then. By default it watches the
    /// configured namespace with the configured label selector (the controller's own kinds); pass another
    /// configuration for kinds the selector must not filter (e.g. sources watched by a consumer).
    public func informer(for kind: GroupVersionKind, namespace: String?? = nil,
                         configuration watcher: WatcherConfiguration? = nil) -> Informer
    {
        let id = InformerID(kind: kind, namespace: namespace ?? configuration.watchNamespace,
                            configuration: watcher ?? configuration.watcher)
        return parts.withLock { parts in
            if let existing = parts.informers[id] { return existing }
            let informer = Informer(api: api, kind: kind, namespace: id.namespace, configuration: id.configuration,
                                    logger: logger)
            parts.informers[id] = informer
            parts.informerOrder.append(informer)
            return informer
        }
    }

    /// A work queue with the configured retry backoff.
    public func makeQueue() -> WorkQueue<ObjectKey> {
        WorkQueue(rateLimiter: configuration.retryBackoff)
    }

    /// Adds a controller whose workers start once all informers synced and this process leads.
    @discardableResult
    public func addController(name: String, kind: String, reconciler: any Reconciler, queue: WorkQueue<ObjectKey>,
                              concurrency: Int? = nil) -> Controller
    {
        let controller = Controller(
            name: name, kind: kind, reconciler: reconciler, queue: queue,
            concurrency: concurrency ?? configuration.concurrency, jitter: configuration.jitter, metrics: metrics,
            startGates: [{ [weak self] in try await self?.waitForCacheSync() }, { [weak self] in try await self?.waitForLeadership() }],
            logger: logger)
        parts.withLock { $0.controllers.append(controller) }
        return controller
    }

    /// An event recorder reporting as this manager's controller (`reportingController` = ``name``), posting to
    /// the configured `--events-addr` when set.
    public func makeEventRecorder(poster: any EventPoster = CurlEventPoster()) -> EventRecorder {
        EventRecorder(api: api, controller: name, eventsAddress: configuration.eventsAddress, poster: poster, logger: logger)
    }

    /// Adds a service that runs for the whole process (e.g. an event server), or only while leading
    /// (`leaderOnly`, e.g. the artifact server).
    public func addService(_ service: any Service, leaderOnly: Bool = false) {
        let wrapped: any Service = leaderOnly ? LeaderGatedService(inner: service, manager: self) : service
        parts.withLock { $0.services.append(wrapped) }
    }

    // MARK: State

    /// Nil when ready; otherwise why not (an informer not synced yet).
    public func readiness() -> String? {
        let pending = parts.withLock { $0.informerOrder.filter { !$0.hasSynced }.map { "\($0.kind.kind)" } }
        return pending.isEmpty ? nil : "caches not synced: \(pending.joined(separator: ", "))"
    }

    /// Waits until every informer created so far has synced.
    public func waitForCacheSync() async throws {
        let informers = parts.withLock { $0.informerOrder }
        for informer in informers { try await informer.waitForSync() }
    }

    /// Returns at once without leader election; otherwise once this process leads.
    public func waitForLeadership() async throws {
        try await leaderElector?.waitForLeadership()
    }

    /// The metrics server's port once it listens (tests bind to port 0).
    public func metricsPort() async throws -> Int? {
        try await started.wait()
        return try await parts.withLock { $0.metricsServer }?.boundPort()
    }

    /// The probe server's port once it listens.
    public func healthPort() async throws -> Int? {
        try await started.wait()
        return try await parts.withLock { $0.healthServer }?.boundPort()
    }

    // MARK: Running

    /// Runs everything until SIGTERM/SIGINT (with `handlingSignals`) or ``shutDown()`` (graceful: in-flight
    /// reconciles finish, the lease is released) or until a service fails (e.g. leadership lost), which is rethrown.
    public func run(handlingSignals: Bool = true) async throws {
        let gracefulShutdownSignals: [UnixSignal] = handlingSignals ? [.sigterm, .sigint] : []
        let group = parts.withLock { parts -> ServiceGroup in
            var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
            if let address = configuration.metricsAddress {
                let server = RuntimeHTTPServer.metrics(metrics, address: address, logger: logger)
                parts.metricsServer = server
                services.append(.init(service: server, serviceName: "metrics-server"))
            }
            if let address = configuration.healthAddress {
                let server = RuntimeHTTPServer.health(address: address, logger: logger) { [weak self] in
                    guard let self else { return "shutting down" }
                    return self.readiness()
                }
                parts.healthServer = server
                services.append(.init(service: server, serviceName: "health-server"))
            }
            for informer in parts.informerOrder {
                services.append(.init(service: informer, serviceName: "informer-\(informer.kind.kind)"))
            }
            if let leaderElector {
                services.append(.init(service: leaderElector, serviceName: "leader-election"))
            }
            for service in parts.services {
                services.append(.init(service: service))
            }
            for controller in parts.controllers {
                services.append(.init(service: controller, serviceName: "controller-\(controller.name)"))
            }
            var groupConfiguration = ServiceGroupConfiguration(
                services: services, gracefulShutdownSignals: gracefulShutdownSignals, logger: logger)
            groupConfiguration.maximumGracefulShutdownDuration = configuration.gracefulShutdownTimeout
            let group = ServiceGroup(configuration: groupConfiguration)
            parts.group = group
            return group
        }
        started.open()
        logger.info("Starting manager", metadata: ["name": "\(name)"])
        try await group.run()
        logger.info("Manager stopped")
    }

    /// Starts a graceful shutdown, as SIGTERM does.
    public func shutDown() async {
        let group = parts.withLock { $0.group }
        await group?.triggerGracefulShutdown()
    }
}

/// Runs `inner` only once the manager leads; a shutdown before that returns without running it.
struct LeaderGatedService: Service, CustomStringConvertible {
    let inner: any Service
    let manager: Manager

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { [manager] in try await manager.waitForLeadership() }
        } catch {
            if Task.isCancelled || Task.isShuttingDownGracefully { return }
            throw error
        }
        if Task.isShuttingDownGracefully { return }
        try await inner.run()
    }

    var description: String { "\(inner)" }
}
