import FoundationEssentials
import Logging
import ServiceLifecycle

/// Runs a ``Reconciler`` over the keys of a ``WorkQueue`` with `--concurrent` workers.
///
/// - every key is reconciled by one worker at a time (the queue guarantees it);
/// - `.done` clears the key's backoff; `.requeue(after:)` re-adds it after the jittered interval; a thrown error
///   re-adds it rate-limited (750 ms doubling up to 15 min by default);
/// - it records `gotk_reconcile_duration_seconds{kind,name,namespace}` and `controller_runtime_reconcile_total`;
/// - on graceful shutdown it stops taking keys, lets in-flight reconciles finish, then returns.
///
/// Workers start only after every `startGate` has opened (caches synced, leadership acquired).
public final class Controller: Service {
    /// The controller name in metrics and logs (e.g. `kustomization`).
    public let name: String
    /// The kind label of `gotk_reconcile_duration_seconds` (e.g. `Kustomization`).
    public let kind: String
    public let queue: WorkQueue<ObjectKey>
    public let concurrency: Int
    private let reconciler: any Reconciler
    private let jitter: Jitter
    private let metrics: RuntimeMetrics?
    private let logger: Logger
    private let startGates: [@Sendable () async throws -> Void]

    /// - Parameters:
    ///   - name: controller name for metrics/logs.
    ///   - kind: the kind reconciled (metric label).
    ///   - queue: the work queue informers feed.
    ///   - concurrency: number of workers (`--concurrent`), at least 1.
    ///   - jitter: spread applied to `.requeue(after:)`.
    ///   - startGates: awaited in order before workers start (e.g. informer sync, leader election).
    public init(name: String, kind: String, reconciler: any Reconciler, queue: WorkQueue<ObjectKey>,
                concurrency: Int = 4, jitter: Jitter = Jitter(), metrics: RuntimeMetrics? = nil,
                startGates: [@Sendable () async throws -> Void] = [], logger: Logger)
    {
        self.name = name
        self.kind = kind
        self.reconciler = reconciler
        self.queue = queue
        self.concurrency = max(1, concurrency)
        self.jitter = jitter
        self.metrics = metrics
        self.startGates = startGates
        var logger = logger
        logger[metadataKey: "controller"] = "\(name)"
        logger[metadataKey: "controllerKind"] = "\(kind)"
        self.logger = logger
        metrics?.registerQueue(name: name) { [queue] in queue.depth }
    }

    public func run() async throws {
        try await withGracefulShutdownHandler {
            do {
                try await cancelWhenGracefulShutdown { [startGates] in
                    for gate in startGates { try await gate() }
                }
            } catch {
                // Shut down (or cancelled) before the gates opened: nothing was started, nothing to drain.
                if queue.isShuttingDown || Task.isCancelled { return }
                throw error
            }
            if queue.isShuttingDown { return }
            logger.info("Starting workers", metadata: ["worker count": "\(concurrency)"])
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<concurrency {
                    group.addTask { await self.work() }
                }
            }
            logger.info("All workers finished")
        } onGracefulShutdown: { [queue] in
            queue.shutDown()
        }
    }

    /// Stops taking keys (in-flight reconciles finish); ``run()`` then returns.
    public func shutDown() {
        queue.shutDown()
    }

    private func work() async {
        while let key = await queue.get() {
            await process(key)
            queue.done(key)
        }
    }

    /// Reconciles one key and decides when it comes back.
    func process(_ key: ObjectKey) async {
        let clock = ContinuousClock()
        let start = clock.now
        let result: Result<ReconcileResult, any Error>
        var reconcileLogger = logger
        reconcileLogger[metadataKey: "name"] = "\(key.name)"
        reconcileLogger[metadataKey: "namespace"] = "\(key.namespace ?? "")"
        reconcileLogger[metadataKey: "reconcileID"] = "\(UUID().uuidString.lowercased())"
        do {
            // Reconcilers log through `Logger.current`, which carries the object and a per-reconcile id.
            result = .success(try await withLogger(reconcileLogger) { _ in try await reconciler.reconcile(key) })
        } catch {
            result = .failure(error)
        }
        let elapsed = clock.now - start
        metrics?.recordReconcileDuration(kind: kind, key: key, seconds: elapsed.seconds)
        switch result {
        case .success(.done):
            queue.forget(key)
            metrics?.countReconcile(controller: name, result: "success")
        case .success(.requeue(let interval)):
            queue.forget(key)
            queue.addAfter(key, delay: jitter.apply(to: interval))
            metrics?.countReconcile(controller: name, result: "requeue_after")
        case .failure(let error):
            let delay = queue.addRateLimited(key)
            metrics?.countReconcile(controller: name, result: "error")
            logger.error("Reconciler error", metadata: [
                "name": "\(key.name)", "namespace": "\(key.namespace ?? "")", "error": "\(error)",
                "retryAfter": "\(delay)",
            ])
        }
    }
}

extension Duration {
    /// The duration in (fractional) seconds.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
