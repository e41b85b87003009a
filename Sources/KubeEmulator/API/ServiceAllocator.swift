import Synchronization

/// Cluster IPs and node ports for Services.
final class ServiceAllocator: Sendable {
    private struct State {
        var nextIP = 10
        var nextNodePort = 30000
    }

    private let state = Mutex(State())

    func clusterIP() -> String {
        state.withLock { state in
            let n = state.nextIP
            state.nextIP += 1
            return "10.96.\((n / 254) % 256).\(n % 254 + 1)"
        }
    }

    func nodePort() -> Int64 {
        state.withLock { state in
            let port = state.nextNodePort
            state.nextNodePort = port >= 32767 ? 30000 : port + 1
            return Int64(port)
        }
    }
}
