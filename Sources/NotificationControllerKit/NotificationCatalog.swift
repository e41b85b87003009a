import GitOpsKit
import Logging
import Synchronization

/// The Alerts and Providers the dispatcher reads on every event, kept in memory from informers instead of listed
/// from the API per event: Alerts compiled (``CompiledAlert``) and indexed by the `namespace/kind/name` their event
/// sources select (`…/*` for wildcards), so an event only looks at the Alerts that could select its object — with
/// 500 Alerts, typically none or one; Providers decoded, by key.
public final class NotificationCatalog: Sendable {
    private struct State {
        var alerts: [ObjectKey: CompiledAlert] = [:]
        /// `namespace/kind/name` (or `namespace/kind/*`) → the Alerts with such an event source, sorted by key.
        var alertsByScope: [String: [CompiledAlert]] = [:]
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

    /// The Alerts with an event source that can select the object `namespace/kind/name` (by its name or `*`),
    /// in key order.
    public func alerts(namespace: String, kind: String, name: String) -> [CompiledAlert] {
        let named = CompiledAlert.scope(namespace: namespace, kind: kind, name: name)
        let wildcard = CompiledAlert.scope(namespace: namespace, kind: kind, name: "*")
        let (byName, byWildcard) = state.withLock { state in
            (state.alertsByScope[named] ?? [], state.alertsByScope[wildcard] ?? [])
        }
        if byWildcard.isEmpty { return byName }
        if byName.isEmpty { return byWildcard }
        // An Alert with both a named and a wildcard source for this object appears once.
        var seen = Set<ObjectKey>()
        return (byName + byWildcard).filter { seen.insert($0.key).inserted }.sorted { $0.key < $1.key }
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
            for scope in compiled.scopes {
                var alerts = state.alertsByScope[scope] ?? []
                let index = alerts.firstIndex { compiled.key < $0.key } ?? alerts.endIndex
                alerts.insert(compiled, at: index)
                state.alertsByScope[scope] = alerts
            }
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
            let remaining = (state.alertsByScope[scope] ?? []).filter { $0.key != key }
            state.alertsByScope[scope] = remaining.isEmpty ? nil : remaining
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
