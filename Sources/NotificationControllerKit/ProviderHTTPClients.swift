import GitOpsKit
import Synchronization

/// The HTTP clients of all Providers, one per distinct transport (TLS and proxy settings).
///
/// Every ``HTTPClient`` owns a curl multi thread, so a client per event would cost a thread start and fresh
/// connections each time; instead Providers with the same settings share one client, and its connections stay
/// warm. The cache is bounded: past ``capacity`` distinct transports the oldest client is dropped (its thread ends
/// once its transfers in flight are done).
public final class ProviderHTTPClients: Sendable {
    public static let capacity = 64

    private let defaultClient: HTTPClient
    private let clients = Mutex<(byConfiguration: [HTTPClientConfiguration: HTTPClient], order: [HTTPClientConfiguration])>(([:], []))

    /// - Parameter defaultClient: used for every Provider with the default transport.
    public init(default defaultClient: HTTPClient = HTTPClient()) {
        self.defaultClient = defaultClient
    }

    /// The shared client for `configuration`, created on first use.
    public func client(for configuration: HTTPClientConfiguration) -> HTTPClient {
        if configuration == defaultClient.configuration { return defaultClient }
        return clients.withLock { state in
            if let client = state.byConfiguration[configuration] { return client }
            if state.order.count >= Self.capacity {
                let oldest = state.order.removeFirst()
                state.byConfiguration[oldest] = nil
            }
            let client = HTTPClient(configuration: configuration)
            state.byConfiguration[configuration] = client
            state.order.append(configuration)
            return client
        }
    }

    /// Clients created besides the default one.
    public var count: Int { clients.withLock { $0.order.count } }
}
