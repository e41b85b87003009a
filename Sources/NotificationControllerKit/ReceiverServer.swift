import GitOpsKit
import Hummingbird
import Logging

/// The webhook server of notification-controller (`--receiver-addr`, Flux's `:9292`): a request to
/// `/hook/<digest>` is matched to the Receiver whose `status.webhookPath` it is, verified per `spec.type`
/// (``ReceiverRequestValidator``), and then every resource of the Receiver gets `reconcile.fluxcd.io/requestedAt`.
///
/// Answers as Flux does: 404 no Receiver, 503 suspended or not Ready, 400 failed verification, 500 when an
/// annotation failed, 200 otherwise; and 413 past ``maximumBodySize``.
public final class ReceiverServer: Sendable {
    let http: RuntimeHTTPServer

    /// Large enough for GitHub push payloads of big pushes, small enough to bound memory per request.
    public static let defaultMaximumBodySize = 5 << 20

    /// Informer index of Receivers by `status.webhookPath` (Flux's field index `.metadata.webhookPath`).
    public static let webhookPathIndex = "status.webhookPath"

    /// - Parameter receivers: a Receiver informer with ``webhookPathIndex`` (see ``ReceiverSetup``): requests are
    ///   then matched from its cache instead of listing every Receiver from the API server.
    public init(address: ListenAddress, api: any KubernetesAPI, logger: Logger,
                maximumBodySize: Int = ReceiverServer.defaultMaximumBodySize, receivers: Informer? = nil)
    {
        let handler = ReceiverRequestHandler(api: api, logger: logger, maximumBodySize: maximumBodySize,
                                             receivers: receivers)
        http = RuntimeHTTPServer(name: "receiver", address: address, logger: logger) { router in
            let route: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
                try await handler.handle(request)
            }
            router.post("/hook/:digest", use: route)
            router.put("/hook/:digest", use: route)
        }
    }

    public func run() async throws {
        try await http.run()
    }

    /// The port the server listens on, once it does (port 0 in tests).
    public func boundPort() async throws -> Int {
        try await http.boundPort()
    }
}

/// One request's way through lookup, verification and annotation.
struct ReceiverRequestHandler: Sendable {
    let api: any KubernetesAPI
    let logger: Logger
    let maximumBodySize: Int
    let receivers: Informer?

    /// The Receivers whose `status.webhookPath` is `path`: from the informer's index once it synced, else listed.
    private func receivers(at path: String) async throws(KubeError) -> [JSONValue] {
        if let receivers, receivers.hasSynced {
            return receivers.byIndex(ReceiverServer.webhookPathIndex, path)
        }
        return try await api.listAll(Receiver.kind, namespace: nil).items
            .filter { $0[path: "status", "webhookPath"]?.stringValue == path }
    }

    func handle(_ request: Request) async throws -> Response {
        let path = request.uri.path
        let matches: [JSONValue]
        do {
            matches = try await receivers(at: path)
        } catch {
            logger.error("unable to list receivers", metadata: ["error": "\(error)"])
            return Self.answer(.internalServerError)
        }
        guard let object = matches.first, let receiver = try? Receiver(from: object)
        else {
            return Self.answer(.notFound)
        }
        var log = logger
        log[metadataKey: "receiver"] = "\(receiver.namespace ?? "")/\(receiver.name)"
        if receiver.isSuspended || !receiver.conditions.isTrue(.ready) {
            log.error("unable to process request: receiver is \(receiver.isSuspended ? "suspended" : "not ready")")
            return Self.answer(.serviceUnavailable)
        }
        let token: ReceiverToken
        do {
            token = try await ReceiverToken.read(for: receiver, api: api)
        } catch {
            log.error("unable to validate payload: unable to read token, error: \(error.message)")
            return Self.answer(.badRequest)
        }
        var body: [UInt8] = []
        if ReceiverRequestValidator.needsBody(receiver.spec.type) {
            do {
                body = Array(buffer: try await request.body.collect(upTo: maximumBodySize))
            } catch {
                log.error("request body larger than \(maximumBodySize) bytes")
                return Self.answer(.contentTooLarge)
            }
        }
        var headers: [String: String] = [:]
        for field in request.headers where headers[field.name.canonicalName] == nil {
            headers[field.name.canonicalName] = field.value
        }
        switch ReceiverRequestValidator(receiver: receiver, token: token.value).validate(ReceiverRequest(headers: headers, body: body)) {
        case .reject(let reason):
            log.error("unable to validate payload: \(reason)")
            return Self.answer(.badRequest)
        case .acknowledge:
            return Self.answer(.ok)
        case .accept:
            break
        }
        let annotator = ReceiverResourceAnnotator(api: api, logger: log)
        let failures = await annotator.annotateAll(of: receiver, token: KubeTime.now().rfc3339Nano)
        for failure in failures {
            log.error("unable to request reconciliation: \(failure)")
        }
        return Self.answer(failures.isEmpty ? .ok : .internalServerError)
    }

    private static func answer(_ status: HTTPResponse.Status) -> Response {
        Response(status: status)
    }
}
