import Logging

/// A resilient list-then-watch of one kind, as an endless `AsyncSequence` of ``WatcherEvent``s.
///
/// Modelled on kube-rs `watcher`, a state machine `empty → initPage → initComplete → initListed → watching`:
/// - `empty`: yields `.initStarted`; `initPage`: lists one page (`limit = pageSize`) and yields it as `.initPage`,
///   following `continue` tokens; `initComplete`: yields `.initDone` and keeps the list's resourceVersion;
/// - `initListed(rv)`: open a watch from `rv` with `allowWatchBookmarks=true` and `timeoutSeconds` < 295;
/// - `watching(rv)`: ADDED/MODIFIED → `.applied`, DELETED → `.deleted`, BOOKMARK → remember its rv; when the
///   stream ends (server timeout, dropped connection) resume from the last seen rv without re-listing;
/// - 410 Gone (rv fell out of the watch window, or an expired continue token) → back to `empty`: a full re-list;
/// - any other error → exponential backoff with jitter, then retry from the same state.
///
/// The sequence ends only when the consuming task is cancelled. Iterate it from one task.
public struct Watcher: AsyncSequence, Sendable {
    public typealias Element = WatcherEvent

    public let kind: GroupVersionKind
    /// nil: all namespaces (or a cluster-scoped kind).
    public let namespace: String?
    public let configuration: WatcherConfiguration
    private let api: any KubernetesAPI
    private let logger: Logger

    public init(api: any KubernetesAPI, kind: GroupVersionKind, namespace: String? = nil,
                configuration: WatcherConfiguration = WatcherConfiguration(), logger: Logger)
    {
        self.api = api
        self.kind = kind
        self.namespace = namespace
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "watch"] = "\(kind.kind)"
        self.logger = logger
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(watcher: self)
    }

    /// The state machine; see ``Watcher``.
    public struct Iterator: AsyncIteratorProtocol {
        enum State {
            case empty
            case initPage(continueToken: String?)
            case initComplete(resourceVersion: String)
            case initListed(resourceVersion: String)
            case watching(resourceVersion: String, events: AsyncThrowingStream<WatchEvent, any Error>.AsyncIterator,
                          opened: ContinuousClock.Instant, received: Int)
        }

        private let watcher: Watcher
        private var state: State = .empty
        /// Consecutive failures, for backoff; reset by any success.
        private var failures = 0

        init(watcher: Watcher) {
            self.watcher = watcher
        }

        public mutating func next() async throws -> WatcherEvent? {
            while !Task.isCancelled {
                if let event = await step() { return event }
            }
            return nil
        }

        /// Advances the state machine once; returns an event when the step produced one.
        private mutating func step() async -> WatcherEvent? {
            let config = watcher.configuration
            switch state {
            case .empty:
                state = .initPage(continueToken: nil)
                return .initStarted
            case .initPage(let token):
                return await listPage(continueToken: token)
            case .initComplete(let resourceVersion):
                state = .initListed(resourceVersion: resourceVersion)
                return .initDone
            case .initListed(let resourceVersion):
                do {
                    let options = WatchOptions(
                        resourceVersion: resourceVersion, labelSelector: config.labelSelector,
                        fieldSelector: config.fieldSelector, allowWatchBookmarks: true,
                        timeoutSeconds: config.timeoutSeconds)
                    let stream = try await watcher.api.watch(watcher.kind, namespace: watcher.namespace, options: options)
                    state = .watching(resourceVersion: resourceVersion, events: stream.makeAsyncIterator(),
                                      opened: .now, received: 0)
                } catch {
                    await handle(error, during: "watch")
                }
                return nil
            case .watching(let resourceVersion, var events, let opened, let received):
                let next: WatchEvent?
                do {
                    next = try await events.next()
                } catch {
                    state = .initListed(resourceVersion: resourceVersion)
                    await handle(error, during: "watch stream")
                    return nil
                }
                guard let next else {
                    // The server ended the watch (timeout) or the connection dropped: resume where we were.
                    state = .initListed(resourceVersion: resourceVersion)
                    if received == 0, ContinuousClock.now - opened < .seconds(1) {
                        // A stream that ends at once without events would otherwise spin.
                        failures += 1
                        await backoff()
                    }
                    return nil
                }
                failures = 0
                switch next {
                case .added(let object), .modified(let object):
                    state = .watching(resourceVersion: Self.resourceVersion(of: object) ?? resourceVersion,
                                      events: events, opened: opened, received: received + 1)
                    return .applied(object)
                case .deleted(let object):
                    state = .watching(resourceVersion: Self.resourceVersion(of: object) ?? resourceVersion,
                                      events: events, opened: opened, received: received + 1)
                    return .deleted(object)
                case .bookmark(let bookmarkVersion):
                    state = .watching(resourceVersion: bookmarkVersion.isEmpty ? resourceVersion : bookmarkVersion,
                                      events: events, opened: opened, received: received + 1)
                    return nil
                }
            }
        }

        private mutating func listPage(continueToken: String?) async -> WatcherEvent? {
            let config = watcher.configuration
            let options = ListOptions(labelSelector: config.labelSelector, fieldSelector: config.fieldSelector,
                                      limit: config.pageSize, continueToken: continueToken)
            do {
                let page = try await watcher.api.list(watcher.kind, namespace: watcher.namespace, options: options)
                failures = 0
                if let token = page.continueToken, !token.isEmpty {
                    state = .initPage(continueToken: token)
                } else {
                    state = .initComplete(resourceVersion: page.resourceVersion)
                    watcher.logger.debug("Listed", metadata: ["resourceVersion": "\(page.resourceVersion)"])
                }
                return page.items.isEmpty ? nil : .initPage(page.items)
            } catch {
                await handle(error, during: "list")
                return nil
            }
        }

        /// 410 Gone → re-list at once; anything else → log and back off, keeping the state.
        private mutating func handle(_ error: any Error, during phase: String) async {
            if let kubeError = error as? KubeError, kubeError.code == .gone {
                watcher.logger.info("Resource version too old, re-listing", metadata: ["phase": "\(phase)"])
                state = .empty
                return
            }
            if error is CancellationError || Task.isCancelled { return }
            failures += 1
            watcher.logger.warning("Watcher error, retrying", metadata: [
                "phase": "\(phase)", "error": "\(error)", "attempt": "\(failures)",
            ])
            await backoff()
        }

        private func backoff() async {
            let config = watcher.configuration
            let base = ExponentialBackoff(minimum: config.initialBackoff, maximum: config.maximumBackoff)
                .delay(afterFailures: Swift.max(0, failures - 1))
            let delay = Jitter(percentage: config.backoffJitterPercentage).apply(to: base)
            try? await Task.sleep(for: delay)
        }

        static func resourceVersion(of object: JSONValue) -> String? {
            guard let version = object[path: "metadata", "resourceVersion"]?.stringValue, !version.isEmpty else {
                return nil
            }
            return version
        }
    }
}
