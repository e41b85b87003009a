import Logging
import Synchronization

/// The Kubernetes API over HTTP(S): discovery-backed REST mapping, CRUD, server-side apply, status subresource,
/// list and watch, with `metav1.Status` errors decoded into `KubeError` and a client-side QPS/burst limit.
///
/// Usage:
/// ```swift
/// let client = KubeClient(config: try KubeConfig.load(), logger: logger)
/// let cm = try await client.get(GroupVersionKind(apiVersion: "v1", kind: "ConfigMap"),
///                               ObjectKey(namespace: "default", name: "settings"))
/// ```
public final class KubeClient: KubernetesImpersonating {
    /// Limits and timeouts of one client.
    public struct Options: Sendable, Hashable {
        /// Sustained requests per second (watches exempt); 0 disables the limit. Flux's default is 50.
        public var qps: Double
        /// Requests allowed in a burst above `qps`. Flux's default is 300.
        public var burst: Int
        /// Total time allowed for one non-watch request.
        public var requestTimeout: Duration
        /// A watch that receives nothing (not even a bookmark) for this long fails with `.timeout`.
        public var watchIdleTimeout: Duration
        /// The largest response body accepted (large lists); beyond it the request fails with `.badResponse`.
        public var maximumResponseSize: Int
        /// The largest single watch event accepted.
        public var maximumWatchEventSize: Int
        /// Retries of a request answered `429 Too Many Requests`, each after the server's `Retry-After` (≤ 10 s).
        public var maximumRetriesOnTooManyRequests: Int
        public var userAgent: String

        public init(qps: Double = 50, burst: Int = 300, requestTimeout: Duration = .seconds(60),
                    watchIdleTimeout: Duration = .seconds(330), maximumResponseSize: Int = 256 << 20,
                    maximumWatchEventSize: Int = 16 << 20, maximumRetriesOnTooManyRequests: Int = 3,
                    userAgent: String = "gitopskit/\(GitOpsKit.version)") {
            self.qps = qps
            self.burst = burst
            self.requestTimeout = requestTimeout
            self.watchIdleTimeout = watchIdleTimeout
            self.maximumResponseSize = maximumResponseSize
            self.maximumWatchEventSize = maximumWatchEventSize
            self.maximumRetriesOnTooManyRequests = maximumRetriesOnTooManyRequests
            self.userAgent = userAgent
        }
    }

    public let config: KubeConfig
    public let options: Options
    let http: HTTPClient
    let logger: Logger
    private let limiter: KubeRateLimiter
    private let tokenSource: KubeTokenSource?
    private let discovery: KubeDiscovery
    /// The identity every request acts as (nil: the configured credentials' own).
    public let impersonation: KubeImpersonation?

    public init(config: KubeConfig, options: Options = Options(),
                logger: Logger = Logger(label: "gitopskit.kube", factory: { _ in SwiftLogNoOpLogHandler() })) {
        self.config = config
        self.options = options
        self.logger = logger
        let authorization: HTTPClientConfiguration.Authorization = switch config.credentials {
        case .none, .tokenFile: .none
        case .token(let token): .bearer(token)
        case .basic(let username, let password): .basic(username: username, password: password)
        }
        if case .tokenFile(let path) = config.credentials {
            tokenSource = KubeTokenSource(path: path)
        } else {
            tokenSource = nil
        }
        self.http = HTTPClient(
            configuration: HTTPClientConfiguration(
                tls: config.tls, authorization: authorization, proxy: config.proxyURL.map { .url($0) } ?? .environment,
                requestTimeout: options.requestTimeout, streamIdleTimeout: options.watchIdleTimeout,
                maximumResponseSize: options.maximumResponseSize, maximumLineSize: options.maximumWatchEventSize,
                userAgent: options.userAgent),
            logger: logger)
        self.limiter = KubeRateLimiter(qps: options.qps, burst: options.burst)
        self.impersonation = nil
        // The fetch closure must not retain the client (the client owns the cache).
        let box = WeakClientBox()
        self.discovery = KubeDiscovery { groupVersion throws(KubeError) in
            guard let client = box.client else {
                throw KubeError(code: .transport, message: "the Kubernetes client was released")
            }
            return try await client.fetchResourceList(groupVersion: groupVersion)
        }
        box.client = self
    }

    /// A client sharing this one's connections, rate limit and discovery cache (discovery is fetched with the real
    /// identity) that acts as `impersonation`.
    private init(sharing base: KubeClient, impersonation: KubeImpersonation) {
        config = base.config
        options = base.options
        http = base.http
        logger = base.logger
        limiter = base.limiter
        tokenSource = base.tokenSource
        discovery = base.discovery
        self.impersonation = impersonation
    }

    public func impersonating(_ identity: KubeImpersonation) -> any KubernetesAPI {
        KubeClient(sharing: self, impersonation: identity)
    }

    // MARK: KubernetesAPI

    public func mapping(for kind: GroupVersionKind) async throws(KubeError) -> ResourceMapping {
        try await discovery.mapping(for: kind)
    }

    public func get(_ kind: GroupVersionKind, _ key: ObjectKey) async throws(KubeError) -> JSONValue {
        let mapping = try await mapping(for: kind)
        let path = try itemPath(mapping, key, subresource: nil)
        return withKind(try await sendJSON(.get, path), kind)
    }

    public func list(_ kind: GroupVersionKind, namespace: String?, options: ListOptions) async throws(KubeError) -> ObjectList {
        let mapping = try await mapping(for: kind)
        let path = KubeRequestPath(mapping: mapping, namespace: namespace).path + KubeRequestPath.query(options.queryItems)
        let list = try await sendJSON(.get, path)
        let items: [JSONValue]
        switch list["items"] {
        case nil, .null?: items = []
        case .array(let array)?: items = array
        default: throw KubeError(code: .badResponse, message: "GET \(path): the list's items are not an array")
        }
        let continueToken = list[path: "metadata", "continue"]?.stringValue
        return ObjectList(items: items.map { withKind($0, kind) },
                          resourceVersion: list[path: "metadata", "resourceVersion"]?.stringValue ?? "",
                          continueToken: continueToken?.isEmpty == true ? nil : continueToken)
    }

    public func create(_ object: JSONValue, options: WriteOptions) async throws(KubeError) -> JSONValue {
        let kind = try Self.kind(of: object, verb: "create")
        let mapping = try await mapping(for: kind)
        let namespace = try namespaceFor(mapping, object[path: "metadata", "namespace"]?.stringValue, describing: object)
        let path = KubeRequestPath(mapping: mapping, namespace: namespace).path + KubeRequestPath.query(options.queryItems)
        return withKind(try await sendJSON(.post, path, body: object), kind)
    }

    public func update(_ object: JSONValue, options: WriteOptions) async throws(KubeError) -> JSONValue {
        try await replace(object, subresource: nil, options: options)
    }

    public func updateStatus(_ object: JSONValue, options: WriteOptions) async throws(KubeError) -> JSONValue {
        try await replace(object, subresource: "status", options: options)
    }

    public func patch(_ kind: GroupVersionKind, _ key: ObjectKey, patch: JSONValue, type: PatchType, subresource: String?,
                      options: WriteOptions) async throws(KubeError) -> JSONValue {
        let mapping = try await mapping(for: kind)
        var query = options.queryItems
        if case .apply(let fieldManager, let force) = type {
            query.removeAll { $0.0 == "fieldManager" }
            query.append(("fieldManager", fieldManager))
            if force { query.append(("force", "true")) }
        }
        let path = try itemPath(mapping, key, subresource: subresource) + KubeRequestPath.query(query)
        return withKind(try await sendJSON(.patch, path, body: patch, contentType: type.contentType), kind)
    }

    @discardableResult
    public func delete(_ kind: GroupVersionKind, _ key: ObjectKey, options: DeleteOptions) async throws(KubeError) -> JSONValue? {
        let mapping = try await mapping(for: kind)
        let path = try itemPath(mapping, key, subresource: nil) + KubeRequestPath.query(options.queryItems)
        let answer = try await sendJSON(.delete, path, body: options.body)
        if answer["kind"]?.stringValue == "Status" { return nil }
        return withKind(answer, kind)
    }

    // MARK: Discovery and version

    /// The server's `/version` document (`gitVersion`, `major`, `minor`, …).
    public func serverVersion() async throws(KubeError) -> JSONValue {
        try await sendJSON(.get, "/version")
    }

    /// Every resource the server serves, in all group versions (`/api`, `/apis`, then each group version); the
    /// mapping cache is refreshed with the answers.
    public func discoverResources() async throws(KubeError) -> [ResourceMapping] {
        let started = ContinuousClock.now
        var groupVersions: [String] = []
        let core = try await sendJSON(.get, "/api")
        for version in core["versions"]?.arrayValue ?? [] {
            if let version = version.stringValue { groupVersions.append(version) }
        }
        let groups = try await sendJSON(.get, "/apis")
        for group in groups["groups"]?.arrayValue ?? [] {
            for version in group["versions"]?.arrayValue ?? [] {
                if let groupVersion = version["groupVersion"]?.stringValue { groupVersions.append(groupVersion) }
            }
        }
        var mappings: [ResourceMapping] = []
        for groupVersion in groupVersions {
            guard let list = try await fetchResourceList(groupVersion: groupVersion) else { continue }
            discovery.store(list, groupVersion: groupVersion, fetchedAt: started)
            mappings.append(contentsOf: KubeDiscovery.mappings(from: list, groupVersion: groupVersion).values)
        }
        return mappings.sorted { ($0.kind.group, $0.kind.version, $0.kind.kind) < ($1.kind.group, $1.kind.version, $1.kind.kind) }
    }

    /// Forgets cached discovery, e.g. after CRDs were removed.
    public func invalidateDiscovery() { discovery.invalidate() }

    func fetchResourceList(groupVersion: String) async throws(KubeError) -> JSONValue? {
        let path = groupVersion.contains("/") ? "/apis/\(groupVersion)" : "/api/\(groupVersion)"
        do {
            return try await sendJSON(.get, path)
        } catch where error.code == .notFound {
            return nil
        }
    }

    // MARK: Plumbing

    private func replace(_ object: JSONValue, subresource: String?, options: WriteOptions) async throws(KubeError) -> JSONValue {
        let kind = try Self.kind(of: object, verb: "update")
        guard let key = ObjectKey(of: object) else {
            throw KubeError(code: .invalid, message: "cannot update a \(kind.kind) without metadata.name")
        }
        let mapping = try await mapping(for: kind)
        let path = try itemPath(mapping, key, subresource: subresource) + KubeRequestPath.query(options.queryItems)
        return withKind(try await sendJSON(.put, path, body: object), kind)
    }

    static func kind(of object: JSONValue, verb: String) throws(KubeError) -> GroupVersionKind {
        guard let kind = GroupVersionKind(of: object) else {
            throw KubeError(code: .invalid, message: "cannot \(verb) an object without apiVersion and kind")
        }
        return kind
    }

    private func namespaceFor(_ mapping: ResourceMapping, _ namespace: String?, describing object: JSONValue) throws(KubeError) -> String? {
        guard mapping.namespaced else { return nil }
        guard let namespace, !namespace.isEmpty else {
            let name = object[path: "metadata", "name"]?.stringValue ?? object[path: "metadata", "generateName"]?.stringValue ?? ""
            throw KubeError(code: .invalid, message: "\(mapping.kind.kind) \(name): metadata.namespace is required for a namespaced kind")
        }
        return namespace
    }

    private func itemPath(_ mapping: ResourceMapping, _ key: ObjectKey, subresource: String?) throws(KubeError) -> String {
        guard !key.name.isEmpty else {
            throw KubeError(code: .invalid, message: "\(mapping.kind.kind): the object name is empty")
        }
        if mapping.namespaced, (key.namespace ?? "").isEmpty {
            throw KubeError(code: .invalid, message: "\(mapping.kind.kind) \(key.name): a namespace is required for a namespaced kind")
        }
        return KubeRequestPath(mapping: mapping, namespace: key.namespace, name: key.name, subresource: subresource).path
    }

    /// Items of lists (and some answers) omit `apiVersion`/`kind`; fill them in so `GroupVersionKind(of:)` works.
    private func withKind(_ object: JSONValue, _ kind: GroupVersionKind) -> JSONValue {
        guard case .object = object else { return object }
        var object = object
        if object["apiVersion"] == nil { object["apiVersion"] = .string(kind.apiVersion) }
        if object["kind"] == nil { object["kind"] = .string(kind.kind) }
        return object
    }

    /// The request every call makes: URL, JSON accept, credentials.
    func makeRequest(_ method: HTTPClientRequest.Method, _ pathAndQuery: String, body: [UInt8]? = nil,
                     contentType: String? = nil) throws(KubeError) -> HTTPClientRequest {
        var request = HTTPClientRequest(method: method, url: config.server + pathAndQuery, body: body)
        request.headers["Accept"] = "application/json"
        if let contentType { request.headers["Content-Type"] = contentType }
        if let tokenSource { request.headers["Authorization"] = "Bearer \(try tokenSource.token())" }
        for header in impersonation?.headers ?? [] { request.headers.add(name: header.name, value: header.value) }
        return request
    }

    /// Sends a request (rate-limited, retried on 429) and returns the decoded JSON of a 2xx answer.
    func sendJSON(_ method: HTTPClientRequest.Method, _ pathAndQuery: String, body: JSONValue? = nil,
                  contentType: String = "application/json") async throws(KubeError) -> JSONValue {
        let what = "\(method) \(pathAndQuery)"
        let request = try makeRequest(method, pathAndQuery, body: body?.jsonBytes(), contentType: body == nil ? nil : contentType)
        var attempt = 0
        while true {
            try await limiter.acquire(request: what)
            let response: HTTPClientResponse
            do {
                response = try await http.execute(request)
            } catch {
                logger.debug("kube request failed", metadata: ["request": "\(what)", "error": "\(error)"])
                throw KubeError(error, request: what)
            }
            if response.status == 429, attempt < options.maximumRetriesOnTooManyRequests {
                attempt += 1
                let seconds = min(10, max(1, Int(response.headers["Retry-After"] ?? "") ?? 1))
                logger.debug("kube request throttled", metadata: ["request": "\(what)", "retryAfter": "\(seconds)"])
                do {
                    try await Task.sleep(for: .seconds(seconds))
                } catch {
                    throw KubeError(code: .transport, message: "\(what): cancelled while waiting to retry")
                }
                continue
            }
            guard response.isSuccess else {
                throw KubeError(httpStatus: response.status, body: response.body, request: what)
            }
            do {
                return try JSONValue(json: response.body)
            } catch {
                throw KubeError(code: .badResponse, httpStatus: response.status,
                                message: "\(what): the response is not JSON: \(error)")
            }
        }
    }
}

/// Lets the discovery cache call back into its client without a reference cycle.
private final class WeakClientBox: Sendable {
    private let reference = Mutex<WeakReference>(WeakReference())
    private struct WeakReference { weak var client: KubeClient? }

    var client: KubeClient? {
        get { reference.withLock { $0.client } }
        set { reference.withLock { $0.client = newValue } }
    }
}
