import GitOpsKit
import Logging

/// Adds notification-controller's Receiver half to a ``Manager``: the Receiver controller (leader only, like every
/// controller) and the webhook server (every replica serves, as in Flux: any replica can annotate).
public enum ReceiverSetup {
    /// Flux's `--receiverAddr` default.
    public static let defaultAddress = ListenAddress(host: "0.0.0.0", port: 9292)

    @discardableResult
    public static func register(on manager: Manager, address: ListenAddress = defaultAddress,
                                events: EventRecorder? = nil, logger: Logger) -> ReceiverServer
    {
        let queue = manager.makeQueue()
        let receivers = manager.informer(for: Receiver.kind)
        receivers.addIndex(ReceiverServer.webhookPathIndex) { object in
            object[path: "status", "webhookPath"]?.stringValue.map { [$0] } ?? []
        }
        receivers.enqueue(into: queue, filter: .generationOrReconcileRequest)
        let reconciler = ReceiverReconciler(api: manager.api, events: events ?? manager.makeEventRecorder(),
                                            controllerName: manager.name, logger: logger)
        manager.addController(name: "receiver", kind: Receiver.kind.kind, reconciler: reconciler, queue: queue)
        let server = ReceiverServer(address: address, api: manager.api, logger: logger, receivers: receivers)
        manager.addService(server.http)
        return server
    }
}
