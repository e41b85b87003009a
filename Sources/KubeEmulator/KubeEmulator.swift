import Foundation
import GitOpsKit
import Hummingbird
import HummingbirdCore
import UnixSignals
import HummingbirdTLS
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// An in-process Kubernetes API server for tests and the local demo: HTTPS with a generated CA, bearer-token
/// auth (the token's holder is a `system:masters` admin), impersonation and RBAC authorization, discovery, built-in kinds and CRDs, watch, server-side apply and the metadata semantics of
/// kube-apiserver, so kubectl, helm and the project's client cannot tell it from a real one. No pods run;
/// workload status is simulated.
///
/// What it serves:
/// - Legacy discovery (`/api`, `/apis`, `/apis/<g>/<v>`), `/version`, and an OpenAPI v3 index that tells kubectl and
///   helm the server validates fields itself (`/openapi/v2` is 404, which they tolerate).
/// - Built-in kinds with defaulting, common validation and unknown-field handling (`fieldValidation`), CRDs once
///   Established (schema pruning, defaulting, validation, status and scale subresources, printer columns).
/// - JSON everywhere; protobuf request bodies for built-in kinds (kubectl's typed commands, helm's release
///   storage); tables (`as=Table`) and `PartialObjectMetadata`.
/// - Simulated controllers: garbage collection (background, orphan, foreground), namespace and CRD cleanup, a
///   `default` ServiceAccount per namespace, Deployment ReplicaSets, and rolled-out status after `workloadDelay`
///   for Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs, Pods, LoadBalancer Services and PVCs. The
///   annotation `emulator.gitopskit.io/fail: "true"` makes a workload fail instead.
///
/// Usage:
/// ```swift
/// let emulator = KubeEmulator(configuration: .init(), logger: logger)
/// let endpoint = try await emulator.start()
/// try endpoint.writeKubeconfig(to: "/tmp/kubeconfig")
/// // ... use it ...
/// await emulator.shutdown()
/// ```
public final class KubeEmulator: Service {
    /// Why the emulator could not start.
    public struct StartError: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    private enum Lifecycle {
        case idle
        case starting
        case running(server: Task<Void, any Error>, group: ServiceGroup, controllers: Task<Void, Never>,
                     endpoint: KubeEmulatorEndpoint)
        case stopped
    }

    public let configuration: KubeEmulatorConfiguration
    private let logger: Logger
    let api: APIServer
    private let lifecycle = Mutex<Lifecycle>(.idle)
    /// Whether the server task ended, and who waits for it.
    private let finished = Mutex<(done: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    public init(configuration: KubeEmulatorConfiguration = KubeEmulatorConfiguration(), logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        api = APIServer(configuration: configuration, logger: logger)
    }

    /// Binds the port and starts serving; returns where. Calling it again returns the same endpoint.
    public func start() async throws -> KubeEmulatorEndpoint {
        let proceed: Bool = lifecycle.withLock { state in
            if case .idle = state {
                state = .starting
                return true
            }
            return false
        }
        guard proceed else {
            if case .running(_, _, _, let endpoint) = lifecycle.withLock({ $0 }) { return endpoint }
            throw StartError(message: "the emulator was already started or stopped")
        }
        do {
            return try await launch()
        } catch {
            lifecycle.withLock { $0 = .stopped }
            throw error
        }
    }

    private func launch() async throws -> KubeEmulatorEndpoint {
        var addresses = ["127.0.0.1", "::1"]
        if isIPAddress(configuration.host), !addresses.contains(configuration.host) { addresses.append(configuration.host) }
        let certificates: ServingCertificates? = configuration.tls
            ? try CertificateAuthority.generate(dnsNames: ["localhost", "kubernetes", "kubernetes.default"], ipAddresses: addresses)
            : nil
        let controllers = ClusterControllers(server: api, schemaBuilder: CustomResourceSchemas.build)
        guard let subscription = controllers.subscribe() else { throw StartError(message: "could not subscribe controllers") }
        let controllersTask = Task { await controllers.run(subscription) }
        try bootstrap()

        let responder = EmulatorResponder(server: api, token: configuration.token,
                                          openAPIHash: KubeEmulatorConfiguration.randomToken().prefix(16).uppercased())
        let serverBuilder: HTTPServerBuilder
        if let certificates {
            let certificate = try NIOSSLCertificate(bytes: Array(certificates.certificatePEM.utf8), format: .pem)
            let key = try NIOSSLPrivateKey(bytes: Array(certificates.privateKeyPEM.utf8), format: .pem)
            var tls = TLSConfiguration.makeServerConfiguration(certificateChain: [.certificate(certificate)], privateKey: .privateKey(key))
            tls.applicationProtocols = ["http/1.1"]
            let tlsConfiguration = tls
            serverBuilder = .shutdownSafe { responder in
                try TLSChannel(HTTP1Channel(responder: responder), tlsConfiguration: tlsConfiguration)
            }
        } else {
            serverBuilder = .shutdownSafeHTTP1()
        }
        let bound = BoundSignal()
        let app = Application(
            responder: responder, server: serverBuilder,
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port),
                                                    serverName: nil),
            onServerRunning: { channel in bound.resolve(.success(channel.localAddress?.port ?? 0)) },
            logger: logger)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [app], logger: logger))
        let serverTask = Task {
            do {
                try await group.run()
                bound.resolve(.failure(StartError(message: "the server stopped before it was bound")))
            } catch {
                bound.resolve(.failure(error))
                throw error
            }
        }
        let port: Int
        do {
            port = try await bound.value()
        } catch {
            controllersTask.cancel()
            serverTask.cancel()
            throw error
        }
        let scheme = configuration.tls ? "https" : "http"
        let hostForURL = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        let endpoint = KubeEmulatorEndpoint(url: "\(scheme)://\(hostForURL):\(port)", host: configuration.host, port: port,
                                            caCertificatePEM: certificates?.caCertificatePEM, token: configuration.token)
        lifecycle.withLock { $0 = .running(server: serverTask, group: group, controllers: controllersTask, endpoint: endpoint) }
        Task { [weak self] in
            _ = await serverTask.result
            self?.markFinished()
        }
        logger.info("kube-emulator serving", metadata: ["url": "\(endpoint.url)"])
        return endpoint
    }

    private func isIPAddress(_ host: String) -> Bool {
        host.split(separator: ".").count == 4 && host.split(separator: ".").allSatisfy { UInt8($0) != nil } || host.contains(":")
    }

    /// The namespaces every cluster has, and the `cluster-admin` ClusterRole bound to `system:masters` (RoleBindings
    /// to `cluster-admin` are how Flux's multi-tenancy setups grant a tenant's service account its namespace).
    private func bootstrap() throws {
        let request = WriteContext(fieldManager: "kube-apiserver", userAgentManager: "kube-apiserver")
        guard let namespaces = api.storageType(ObjectStore.namespaces) else { return }
        for name in ["default", "kube-system", "kube-public", "kube-node-lease"] {
            _ = try api.create(namespaces, namespace: nil, body: ["metadata": ["name": .string(name)]], request: request)
        }
        let bootstrapping: JSONValue = ["kubernetes.io/bootstrapping": "rbac-defaults"]
        let autoupdate: JSONValue = ["rbac.authorization.kubernetes.io/autoupdate": "true"]
        if let roles = api.storageType(RBACAuthorizer.clusterRoles) {
            _ = try api.create(roles, namespace: nil, body: [
                "metadata": ["name": "cluster-admin", "labels": bootstrapping, "annotations": autoupdate],
                "rules": [["apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]],
                          ["nonResourceURLs": ["*"], "verbs": ["*"]]],
            ], request: request)
        }
        if let bindings = api.storageType(RBACAuthorizer.clusterRoleBindings) {
            _ = try api.create(bindings, namespace: nil, body: [
                "metadata": ["name": "cluster-admin", "labels": bootstrapping, "annotations": autoupdate],
                "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"],
                "subjects": [["apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "system:masters"]],
            ], request: request)
        }
    }

    private func markFinished() {
        let waiting = finished.withLock { state in
            state.done = true
            let all = state.waiters
            state.waiters = []
            return all
        }
        for continuation in waiting { continuation.resume() }
    }

    private var isFinished: Bool { finished.withLock { $0.done } }

    private func waitUntilFinished() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = finished.withLock { state -> Bool in
                if state.done { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    /// Runs until cancelled or shut down gracefully (a `Service` in a `ServiceGroup`); starts if needed.
    public func run() async throws {
        _ = try await start()
        try await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                await waitUntilFinished()
            } onCancel: {
                self.stopNow()
            }
        } onGracefulShutdown: {
            self.stopNow()
        }
    }

    /// Runs until SIGTERM or SIGINT, then shuts down gracefully (the `kube-emulator` executable's main loop).
    public func runUntilSignal() async throws {
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [self], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// Stops serving: ends every watch, closes the listener and stops the controllers.
    public func shutdown() async {
        let wasRunning = stopNow()
        if wasRunning { await waitUntilFinished() }
    }

    /// How long handlers still running (a slow request, a client that keeps a connection busy) may take after a
    /// graceful shutdown began before the server is cancelled.
    static let shutdownGracePeriod: Duration = .seconds(5)

    /// Whether the last shutdown had to cancel the server after ``shutdownGracePeriod`` (tests and diagnostics).
    var shutdownWasForced: Bool { forcedShutdown.withLock { $0 } }
    private let forcedShutdown = Mutex(false)

    /// Ends every watch (and makes later ones end after their initial events), stops the controllers, then stops
    /// the server gracefully: the listener closes, idle connections close, requests in flight finish. Cancelling the
    /// server is only the fallback after the grace period; it is safe too, since the server's child channel closes
    /// accepted connections it did not serve (`ShutdownSafeChildChannel`).
    @discardableResult
    private func stopNow() -> Bool {
        let state = lifecycle.withLock { state -> Lifecycle in
            let old = state
            if case .running = old { state = .stopped }
            return old
        }
        guard case .running(let server, let group, let controllers, _) = state else { return false }
        api.store.finishAllWatchers()
        controllers.cancel()
        let gracePeriod = Self.shutdownGracePeriod
        Task { [weak self, logger] in
            await group.triggerGracefulShutdown()
            try? await Task.sleep(for: gracePeriod)
            if self?.isFinished == true { return }
            logger.warning("kube-emulator: requests still running after the grace period; cancelling the server")
            self?.forcedShutdown.withLock { $0 = true }
            server.cancel()
        }
        return true
    }

    /// Starts an emulator, runs `body` with its endpoint, and shuts it down.
    public static func withRunning<T>(
        _ configuration: KubeEmulatorConfiguration = KubeEmulatorConfiguration(),
        logger: Logger = Logger(label: "kube-emulator"),
        _ body: (KubeEmulatorEndpoint) async throws -> T
    ) async throws -> T {
        let emulator = KubeEmulator(configuration: configuration, logger: logger)
        let endpoint = try await emulator.start()
        do {
            let result = try await body(endpoint)
            await emulator.shutdown()
            return result
        } catch {
            await emulator.shutdown()
            throw error
        }
    }
}
