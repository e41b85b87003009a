import GitOpsKit
import Logging
import ServiceLifecycle

/// Builds notification-controller inside a ``Manager``: the event server (every replica accepts and dispatches
/// events, as in Flux) with its Alert and Provider informers, and the Receiver controller and webhook server.
public enum NotificationControllerSetup {
    /// Flux's `--events-addr` default for notification-controller.
    public static let defaultEventsAddress = ListenAddress(host: "0.0.0.0", port: 9090)

    public static func register(on manager: Manager, eventsAddress: ListenAddress = defaultEventsAddress,
                                receiverAddress: ListenAddress = ReceiverSetup.defaultAddress,
                                rateLimit: Duration = EventRateLimiter.defaultInterval, logger: Logger)
    {
        // Alerts and Providers come from informers: an event never lists them from the API.
        let catalog = NotificationCatalog(alerts: manager.informer(for: Alert.kind),
                                          providers: manager.informer(for: Provider.kind), logger: logger)
        let metrics = NotificationMetrics(manager.metrics)
        let dispatcher = EventDispatcher(api: manager.api, catalog: catalog, metrics: metrics, logger: logger)
        let events = EventServer(address: eventsAddress, rateLimit: rateLimit, metrics: metrics, logger: logger,
                                 dispatcher: dispatcher)
        manager.addService(EventServerService(server: events))
        ReceiverSetup.register(on: manager, address: receiverAddress, logger: logger)
    }
}

/// The event server as a service of the manager's group: a graceful shutdown stops accepting and dispatching.
struct EventServerService: Service {
    let server: EventServer

    func run() async throws {
        try await cancelWhenGracefulShutdown { try await server.run() }
    }
}
