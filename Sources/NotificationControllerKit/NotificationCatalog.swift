import GitOpsKit
import Logging
import Synchronization

/// The Alerts and Providers the dispatcher reads on every event, kept in memory from informers instead of listed
/// from the API per event: Alerts compiled (``CompiledAlert``) and indexed by the `namespace/kind` of their event
/// sources, so an event only looks at the Alerts that could select its object; Providers decoded, by key.
public final class NotificationCatalog: Sendable {
    private struct State {
        var alerts: [ObjectKey: CompiledAlert] = [:]
        /// `namespace/kind` → the Alerts with an event source there.
        var alertsByScope: [String: [ObjectKey: CompiledAlert]] = [:]
        var providers: [ObjectKey: Provider] = [:]
    }

    private let state = Mutex(State())
    private let informers: [Informer]
    private let logger: Logger

    /// A catalog fed by `alerts` and `providers` informers (handlers are added here; run the informers elsewhere,
    /// e.g. as the manager's).
    public init(alerts: Informer, providers: Informer, logger: Logger) {
        informers = [alerts, providers]
        self.logger = logger
        alerts.addHandler { [self] event in apply(alertEvent: event) }
        providers.addHandler { [self] event in apply(providerEvent: event) }
    }

    /// An empty catalog filled with ``upsert(_:)-(Alert)``; for tests and tools without a cluster watch.
    public init(logger: Logger) {
        informers = []
        self.logger = logger
    }

    /// Whether every informer has its first listing (events arriving earlier would find no Alerts).
    public var hasSynced: Bool { informers.allSatisfy(\.hasSynced) }

    public func waitForSync() async throws {
        for informer in informers { try await informer.waitForSync() }
    }

    // MARK: Reading

    /// The Alerts with an event source in `namespace` of `kind`, in name order.
    public func alerts(namespace: String, kind: String) -> [CompiledAlert] {
        let scope = CompiledAlert.scope(namespace: namespace, kind: kind)
        return state.withLock { state in
            guard let alerts = state.alertsByScope[scope] else { return [] }
            return alerts.values.sorted { $0.key < $1.key }
        }
    }

    public func provider(_ key: ObjectKey) -> Provider? {
        state.withLock { $0.providers[key] }
    }

    public var alertCount: Int { state.withLock { $0.alerts.count } }

    // MARK: Updating

    public func upsert(_ alert: Alert) {
        let compiled = CompiledAlert(alert)
        for pattern in compiled.inclusions + compiled.exclusions where !pattern.isValid {
            logger.error("Alert has an invalid regular expression; it never matches", metadata: [
                "alert": "\(compiled.key.namespace ?? "")/\(compiled.key.name)", "expression": "\(pattern.source)",
            ])
        }
        state.withLock { state in
            Self.remove(compiled.key, from: &state)
            state.alerts[compiled.key] = compiled
            for scope in compiled.scopes { state.alertsByScope[scope, default: [:]][compiled.key] = compiled }
        }
    }

    public func removeAlert(_ key: ObjectKey) {
        state.withLock { Self.remove(key, from: &$0) }
    }

    public func upsert(_ provider: Provider) {
        let key = ObjectKey(namespace: provider.metadata.namespace, name: provider.metadata.name ?? "")
        state.withLock { $0.providers[key] = provider }
    }

    public func removeProvider(_ key: ObjectKey) {
        _ = state.withLock { $0.providers.removeValue(forKey: key) }
    }

    private static func remove(_ key: ObjectKey, from state: inout State) {
        guard let old = state.alerts.removeValue(forKey: key) else { return }
        for scope in old.scopes {
            state.alertsByScope[scope]?[key] = nil
            if state.alertsByScope[scope]?.isEmpty == true { state.alertsByScope[scope] = nil }
        }
    }

    func apply(alertEvent event: InformerEvent) {
        switch event {
        case .added(let object), .updated(_, let object):
            do {
                upsert(try object.decode(as: Alert.self))
            } catch {
                // An undecodable Alert matches nothing; drop a previous version.
                if let key = ObjectKey(of: object) { removeAlert(key) }
                logger.error("Ignoring an Alert that does not decode", metadata: ["error": "\(error)"])
            }
        case .deleted(let object):
            if let key = ObjectKey(of: object) { removeAlert(key) }
        }
    }

    func apply(providerEvent event: InformerEvent) {
        switch event {
        case .added(let object), .updated(_, let object):
            do {
                upsert(try object.decode(as: Provider.self))
            } catch {
                if let key = ObjectKey(of: object) { removeProvider(key) }
                logger.error("Ignoring a Provider that does not decode", metadata: ["error": "\(error)"])
            }
        case .deleted(let object):
            if let key = ObjectKey(of: object) { removeProvider(key) }
        }
    }
}
