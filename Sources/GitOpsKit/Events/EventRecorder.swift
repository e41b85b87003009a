import FoundationEssentials
import Logging
import Synchronization

/// Records what a controller did to an object, Flux style: a Kubernetes core/v1 Event (repeats aggregated into
/// one Event with a growing `count`) and, when `--events-addr` is set, the Flux event JSON POSTed to
/// notification-controller (`fluxcd/pkg runtime/events`).
///
/// Recording never fails the caller: API or HTTP errors are logged. `Trace` events stay Kubernetes-only.
public final class EventRecorder: Sendable {
    /// Longest message sent to notification-controller (the Flux event API limit).
    public static let maximumMessageLength = 39_000
    /// Annotations with this prefix on the involved object are copied into the event metadata.
    public static let annotationPrefix = "event.toolkit.fluxcd.io/"

    public static let eventKind = GroupVersionKind(group: "", version: "v1", kind: "Event")

    /// A previously written Event, for aggregation of identical repeats.
    private struct Recorded {
        var name: String
        var namespace: String
        var count: Int64
        var firstTimestamp: String
        var lastUse: UInt64
    }

    private struct AggregationKey: Hashable {
        var object: String
        var type: String
        var reason: String
        var message: String
    }

    /// The controller name, e.g. `kustomize-controller` (`reportingController`, `source.component`).
    public let controller: String
    /// This process, e.g. the pod's hostname (`reportingInstance`).
    public let instance: String
    /// notification-controller's address (`--events-addr`), or nil.
    public let eventsAddress: String?
    private let api: any KubernetesAPI
    private let poster: any EventPoster
    private let policy: EventDeliveryPolicy
    private let logger: Logger
    private let cache = Mutex<(entries: [AggregationKey: Recorded], clock: UInt64)>(([:], 0))
    private let cacheLimit = 4096

    public init(api: any KubernetesAPI, controller: String, instance: String = ProcessInfo.processInfo.hostName,
                eventsAddress: String?, poster: any EventPoster = CurlEventPoster(),
                policy: EventDeliveryPolicy = EventDeliveryPolicy(), logger: Logger)
    {
        self.api = api
        self.controller = controller
        self.instance = instance
        self.eventsAddress = eventsAddress.flatMap { $0.isEmpty ? nil : $0 }
        self.poster = poster
        self.policy = policy
        self.logger = logger
    }

    /// Records an event about `object`.
    /// - Parameters:
    ///   - metadata: e.g. `["revision": "main@sha1:…"]`; keys without a `/` get the object's API group as prefix.
    public func record(_ object: JSONValue, type: EventType, reason: String, message: String,
                       metadata: [String: String] = [:]) async
    {
        let eventMetadata = Self.metadata(for: object, extra: metadata)
        await recordKubernetesEvent(object, type: type, reason: reason, message: message, annotations: eventMetadata)
        guard type != .trace, let eventsAddress else { return }
        guard let payload = Self.fluxEvent(object: object, type: type, reason: reason, message: message,
                                           metadata: eventMetadata, controller: controller, instance: instance)
        else {
            logger.error("Unable to record event: object has no kind, name or namespace", metadata: ["reason": "\(reason)"])
            return
        }
        await post(payload.jsonBytes(), to: eventsAddress)
    }

    // MARK: Flux event

    /// The event metadata: `extra` with group-prefixed keys plus the object's `event.toolkit.fluxcd.io/*`
    /// annotations.
    public static func metadata(for object: JSONValue, extra: [String: String]) -> [String: String] {
        let group = GroupVersionKind(of: object)?.group ?? ""
        var result: [String: String] = [:]
        for (key, value) in object[path: "metadata", "annotations"]?.objectValue ?? [:]
        where key.hasPrefix(annotationPrefix) {
            if let text = value.stringValue { result[key] = text }
        }
        for (key, value) in extra {
            result[key.contains("/") || group.isEmpty ? key : "\(group)/\(key)"] = value
        }
        return result
    }

    /// The JSON body notification-controller accepts (`event.toolkit.fluxcd.io` Event), or nil when the object
    /// lacks a kind, name or namespace.
    public static func fluxEvent(object: JSONValue, type: EventType, reason: String, message: String,
                                 metadata: [String: String], controller: String, instance: String,
                                 timestamp: Date = Date()) -> JSONValue?
    {
        guard let involved = involvedObject(of: object), involved["namespace"] != nil else { return nil }
        var event: JSONValue = [
            "involvedObject": involved,
            "severity": .string(type.severity),
            "timestamp": .string(RFC3339.seconds(timestamp)),
            "message": .string(truncate(message)),
            "reason": .string(reason),
            "reportingController": .string(controller),
            "reportingInstance": .string(instance),
        ]
        if !metadata.isEmpty { event["metadata"] = .object(metadata.mapValues { .string($0) }) }
        return event
    }

    /// A core/v1 ObjectReference to `object`.
    static func involvedObject(of object: JSONValue) -> JSONValue? {
        guard let kind = GroupVersionKind(of: object), let key = ObjectKey(of: object) else { return nil }
        var reference: JSONValue = [
            "apiVersion": .string(kind.apiVersion), "kind": .string(kind.kind), "name": .string(key.name),
        ]
        if let namespace = key.namespace { reference["namespace"] = .string(namespace) }
        for field in ["uid", "resourceVersion"] {
            if let value = object[path: "metadata", field]?.stringValue, !value.isEmpty { reference[field] = .string(value) }
        }
        return reference
    }

    static func truncate(_ message: String) -> String {
        guard message.count > maximumMessageLength else { return message }
        return String(message.prefix(maximumMessageLength))
    }

    /// POSTs with the retry policy: retries thrown errors and 5xx, stops at any other status.
    func post(_ body: [UInt8], to url: String) async {
        var attempt = 0
        while true {
            let outcome: Result<Int, any Error>
            do {
                outcome = .success(try await poster.post(url: url, body: body, timeout: policy.timeout))
            } catch {
                outcome = .failure(error)
            }
            switch outcome {
            case .success(let status) where (200..<300).contains(status) || status == 429:
                return
            case .success(let status) where !EventDeliveryPolicy.shouldRetry(status: status):
                logger.error("Unable to record event", metadata: ["url": "\(url)", "status": "\(status)"])
                return
            default:
                break
            }
            if attempt >= policy.maxRetries || Task.isCancelled {
                logger.error("Unable to record event, giving up", metadata: [
                    "url": "\(url)", "attempts": "\(attempt + 1)", "lastOutcome": "\(outcome)",
                ])
                return
            }
            let wait = ExponentialBackoff(minimum: policy.minimumWait, maximum: policy.maximumWait)
                .delay(afterFailures: attempt)
            attempt += 1
            try? await Task.sleep(for: wait)
        }
    }

    // MARK: Kubernetes Event

    private func recordKubernetesEvent(_ object: JSONValue, type: EventType, reason: String, message: String,
                                       annotations: [String: String]) async
    {
        guard let involved = Self.involvedObject(of: object), let key = ObjectKey(of: object) else {
            logger.error("Unable to record event: object has no kind or name", metadata: ["reason": "\(reason)"])
            return
        }
        let namespace = key.namespace ?? "default"
        // Repeats aggregate per object identity (not per resourceVersion, which every status write changes).
        var identity = involved
        identity["resourceVersion"] = nil
        let aggregation = AggregationKey(object: identity.jsonString(), type: type.kubernetesType, reason: reason,
                                         message: message)
        let now = RFC3339.seconds(Date())
        let previous = cache.withLock { cache -> Recorded? in
            cache.clock += 1
            guard var entry = cache.entries[aggregation] else { return nil }
            entry.lastUse = cache.clock
            cache.entries[aggregation] = entry
            return entry
        }
        if let previous {
            let patch: JSONValue = ["count": .int(previous.count + 1), "lastTimestamp": .string(now)]
            do {
                _ = try await api.patch(Self.eventKind, ObjectKey(namespace: previous.namespace, name: previous.name),
                                        patch: patch, type: .merge, subresource: nil, options: WriteOptions())
                remember(aggregation, Recorded(name: previous.name, namespace: previous.namespace,
                                               count: previous.count + 1, firstTimestamp: previous.firstTimestamp,
                                               lastUse: 0))
                return
            } catch where error.code == .notFound {
                // The Event expired (TTL) or was deleted: write a fresh one.
            } catch {
                logger.error("Unable to update event", metadata: ["error": "\(error)", "reason": "\(reason)"])
                return
            }
        }
        let name = "\(key.name).\(String(UInt64(Date().timeIntervalSince1970 * 1e9), radix: 16))"
        var event: JSONValue = [
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": ["name": .string(name), "namespace": .string(namespace)],
            "involvedObject": involved,
            "reason": .string(reason),
            "message": .string(message),
            "type": .string(type.kubernetesType),
            "count": 1,
            "firstTimestamp": .string(now),
            "lastTimestamp": .string(now),
            "source": ["component": .string(controller)],
            "reportingComponent": .string(controller),
            "reportingInstance": .string(instance),
        ]
        if !annotations.isEmpty {
            event[path: "metadata", "annotations"] = .object(annotations.mapValues { .string($0) })
        }
        do {
            _ = try await api.create(event, options: WriteOptions())
            remember(aggregation, Recorded(name: name, namespace: namespace, count: 1, firstTimestamp: now, lastUse: 0))
        } catch {
            logger.error("Unable to write event", metadata: ["error": "\(error)", "reason": "\(reason)"])
        }
    }

    /// Stores an aggregation entry, evicting the least recently used beyond the limit.
    private func remember(_ key: AggregationKey, _ recorded: Recorded) {
        cache.withLock { cache in
            cache.clock += 1
            var entry = recorded
            entry.lastUse = cache.clock
            cache.entries[key] = entry
            if cache.entries.count > cacheLimit,
               let oldest = cache.entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key
            {
                cache.entries[oldest] = nil
            }
        }
    }
}
