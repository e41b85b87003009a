import Foundation
import GitOpsKit
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The HTTP face of the API server: authentication, routing, content negotiation and encoding. Every failure
/// leaves as a `metav1.Status`.
struct EmulatorResponder: HTTPResponder {
    typealias Context = EmulatorRequestContext

    let server: APIServer
    let token: String
    /// Changes per process so cached OpenAPI documents of an earlier emulator on the same port are not reused.
    let openAPIHash: String

    func respond(to request: Request, context: Context) async throws -> Response {
        do {
            let response = try await handle(request, context: context)
            server.logger.trace("request", metadata: ["method": "\(request.method)", "uri": "\(request.uri)",
                                                      "status": "\(response.status.code)"])
            return response
        } catch let error as APIError {
            server.logger.debug("request refused", metadata: ["method": "\(request.method)", "uri": "\(request.uri)",
                                                              "status": "\(error.code)", "message": "\(error.message)"])
            return Self.status(error)
        } catch {
            server.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return Self.status(.internalError("\(error)"))
        }
    }

    private func handle(_ request: Request, context: Context) async throws -> Response {
        let route = Route.parse(request.uri.path, registry: server.registry)
        if case .health = route { return Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "ok"))) }
        let user = try authenticate(request)
        switch route {
        case .version:
            return try discovery(request, DiscoveryDocuments.version(server.configuration.kubernetesVersion))
        case .coreVersions:
            let address = request.head.authority ?? "\(server.configuration.host):\(server.configuration.port)"
            return try discovery(request, DiscoveryDocuments.coreVersions(serverAddress: address))
        case .groups:
            return try discovery(request, DiscoveryDocuments.groupList(server.registry))
        case .group(let name):
            guard let group = server.registry.groups().first(where: { $0.name == name }) else { throw APIError.pathNotFound }
            return try discovery(request, DiscoveryDocuments.group(name, versions: group.versions))
        case .groupVersion(let group, let version):
            let types = server.registry.resources(group: group, version: version)
            guard !types.isEmpty else { throw APIError.pathNotFound }
            return try discovery(request, DiscoveryDocuments.resourceList(group: group, version: version, types: types))
        case .openAPIV2:
            throw APIError.pathNotFound
        case .openAPIV3Root:
            return try discovery(request, OpenAPIDocuments.root(server.registry, hash: openAPIHash + String(server.registry.generation)))
        case .openAPIV3(let path):
            guard let document = OpenAPIDocuments.groupVersion(path, registry: server.registry,
                                                               kubernetesVersion: server.configuration.kubernetesVersion) else {
                throw APIError.pathNotFound
            }
            return try discovery(request, document)
        case .resource(let resource):
            return try await handleResource(resource, request: request, context: context, user: user)
        case .health, .notFound:
            throw APIError.pathNotFound
        }
    }

    private func discovery(_ request: Request, _ document: JSONValue) throws -> Response {
        guard request.method == .get || request.method == .head else { throw APIError.methodNotAllowed }
        return Self.json(document.jsonBytes())
    }

    // MARK: Responses

    static func json(_ bytes: [UInt8], status: HTTPResponse.Status = .ok, warnings: [String] = []) -> Response {
        var headers: HTTPFields = [.contentType: "application/json", .cacheControl: "no-cache, private"]
        if !warnings.isEmpty, let warningName = HTTPField.Name("Warning") {
            for warning in warnings {
                headers.append(HTTPField(name: warningName, value: "299 - \(JSONValue.string(warning).jsonString())"))
            }
        }
        var buffer = ByteBufferAllocator().buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        return Response(status: status, headers: headers, body: .init(byteBuffer: buffer))
    }

    static func status(_ error: APIError) -> Response {
        json(error.status.jsonBytes(), status: HTTPResponse.Status(code: error.code))
    }
}
