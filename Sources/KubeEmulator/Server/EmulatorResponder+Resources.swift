import Foundation
import GitOpsKit
import Hummingbird
import NIOCore

extension EmulatorResponder {
    func handleResource(_ route: ResourceRoute, request: Request, context: Context, user: UserInfo) async throws -> Response {
        let query = QueryParameters(request.uri.query)
        let type = route.type
        try authorize(route, request: request, user: user, watch: query.bool("watch") == true)
        let format = try ResponseFormat.negotiate(request.headers[.accept], includeObject: query["includeObject"])
        if type.reviewOnly {
            guard route.name == nil, request.method == .post else { throw APIError.methodNotAllowed }
            let body = try await jsonBody(request)
            let answer = try Reviews(authorizer: RBACAuthorizer(server: server)).answer(type, body, namespace: route.namespace, user: user)
            return Self.json(ObjectEncoding.encode(answer), status: .created)
        }
        switch (route.name, request.method) {
        case (nil, .get):
            if query.bool("watch") == true {
                return try watch(type, namespace: route.namespace, query: query, format: format, context: context)
            }
            return try list(type, namespace: route.namespace, query: query, format: format)
        case (nil, .post):
            guard !type.namespaced || route.namespace != nil else { throw APIError.methodNotAllowed }
            let body = try await jsonBody(request)
            let result = try server.create(type, namespace: route.namespace, body: body, request: try writeContext(query, request))
            return Self.json(render(type, result, format: format), status: .created, warnings: result.warnings)
        case (nil, .delete):
            return try await deleteCollection(type, namespace: route.namespace, query: query, request: request)
        case (let name?, .get):
            let stored = try server.get(type, namespace: route.namespace, name: name)
            if route.subresource == "scale" { return Self.json(ScaleSubresource.scale(of: type, stored.object).jsonBytes()) }
            return Self.json(render(type, WriteResult(stored: stored, object: stored.object), format: format))
        case (let name?, .put):
            let body = try await jsonBody(request)
            let context = try writeContext(query, request)
            if route.subresource == "scale" {
                let result = try ScaleSubresource.update(server, type, namespace: route.namespace, name: name, scale: body, request: context)
                return Self.json(result.jsonBytes())
            }
            if route.subresource == "finalize" {
                let result = try server.finalizeNamespace(name: name, body: body, request: context)
                return Self.json(render(type, result, format: format))
            }
            let result = try server.update(type, namespace: route.namespace, name: name, body: body,
                                           subresource: route.subresource, request: context)
            return Self.json(render(type, result, format: format), warnings: result.warnings)
        case (let name?, .patch):
            let bytes = try await bodyBytes(request)
            let contentType = request.headers[.contentType] ?? ""
            let context = try writeContext(query, request)
            if route.subresource == "scale" {
                let result = try ScaleSubresource.patch(server, type, namespace: route.namespace, name: name, patch: bytes,
                                                        contentType: contentType, request: context)
                return Self.json(result.jsonBytes())
            }
            let result = try server.patch(type, namespace: route.namespace, name: name, patchBody: bytes,
                                          contentType: contentType, subresource: route.subresource, request: context)
            return Self.json(render(type, result, format: format), status: result.created ? .created : .ok,
                             warnings: result.warnings)
        case (let name?, .delete) where route.subresource == nil:
            let options = try await deleteContext(query, request)
            let result = try server.delete(type, namespace: route.namespace, name: name, options: options)
            if result.removed && !type.returnsDeletedObject {
                var details: [String: JSONValue] = ["name": .string(name), "kind": .string(type.resource)]
                if !type.group.isEmpty { details["group"] = .string(type.group) }
                if let uid = result.object[path: "metadata", "uid"] { details["uid"] = uid }
                let status: JSONValue = ["kind": "Status", "apiVersion": "v1", "metadata": .object([:]), "status": "Success",
                                         "details": .object(details)]
                return Self.json(status.jsonBytes())
            }
            return Self.json(render(type, WriteResult(stored: nil, object: result.object), format: format))
        default:
            throw APIError.methodNotAllowed
        }
    }

    /// The response body for one object in the requested format.
    func render(_ type: ResourceType, _ result: WriteResult, format: ResponseFormat) -> [UInt8] {
        switch format {
        case .json:
            if let stored = result.stored { return Conversion.servedJSON(type, stored) }
            return ObjectEncoding.encode(Conversion.toServed(type, result.object))
        case .partialMetadata:
            return partialMetadata(result.object).jsonBytes()
        case .table(let include):
            let served = Conversion.toServed(type, result.object)
            let metadata: JSONValue = ["resourceVersion": result.object[path: "metadata", "resourceVersion"] ?? ""]
            return TableConverter.table(type, objects: [served], listMetadata: metadata, include: include).jsonBytes()
        }
    }

    func partialMetadata(_ object: JSONValue) -> JSONValue {
        ["kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": object["metadata"] ?? .object([:])]
    }

    // MARK: Request decoding

    func bodyBytes(_ request: Request) async throws -> [UInt8] {
        let limit = server.configuration.maxRequestBodyBytes
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw APIError.tooLarge("the request body is larger than \(limit) bytes")
        }
        return Array(buffer.readableBytesView)
    }

    func jsonBody(_ request: Request) async throws -> JSONValue {
        let contentType = (request.headers[.contentType] ?? "application/json").lowercased()
        let media = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        let bytes = try await bodyBytes(request)
        return try Self.decodeBody(bytes, media: media)
    }

    /// Decodes a JSON or Kubernetes protobuf body.
    static func decodeBody(_ bytes: [UInt8], media: String) throws(APIError) -> JSONValue {
        switch media {
        case "", "application/json", "application/yaml", "*/*":
            do {
                return try JSONValue(json: bytes)
            } catch {
                throw APIError.badRequest("the body of the request could not be decoded as JSON: \(error)")
            }
        case "application/vnd.kubernetes.protobuf":
            do {
                return try ProtobufDecoder.decodeObject(bytes)
            } catch {
                throw APIError.badRequest("the body of the request could not be decoded as protobuf: \(error)")
            }
        default:
            throw APIError.unsupportedMediaType(accepted: ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"])
        }
    }

    func writeContext(_ query: QueryParameters, _ request: Request) throws(APIError) -> WriteContext {
        var context = WriteContext()
        for value in query.all("dryRun") {
            guard value == "All" else {
                throw APIError.badRequest("dryRun: Unsupported value: \"\(value)\": supported values: \"All\"")
            }
            context.dryRun = true
        }
        context.fieldManager = query["fieldManager"].flatMap { $0.isEmpty ? nil : $0 }
        if let manager = context.fieldManager, manager.utf8.count > 128 {
            throw APIError.badRequest("fieldManager: Too long: may not be more than 128 bytes")
        }
        context.userAgentManager = WriteContext.manager(forUserAgent: request.headers[.userAgent])
        if let validation = query["fieldValidation"], !validation.isEmpty {
            guard let parsed = FieldValidation(rawValue: validation) else {
                throw APIError.badRequest("fieldValidation: Unsupported value: \"\(validation)\": supported values: \"Ignore\", \"Strict\", \"Warn\"")
            }
            context.fieldValidation = parsed
        }
        context.force = query.bool("force") ?? false
        return context
    }

    func deleteContext(_ query: QueryParameters, _ request: Request) async throws -> DeleteContext {
        var options = DeleteContext()
        let bytes = try await bodyBytes(request)
        if !bytes.isEmpty {
            let contentType = (request.headers[.contentType] ?? "application/json").lowercased()
            let media = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            let body = try Self.decodeBody(bytes, media: media)
            if let policy = body["propagationPolicy"]?.stringValue {
                guard let parsed = DeleteOptions.Propagation(rawValue: policy) else {
                    throw APIError.badRequest("propagationPolicy: Unsupported value: \"\(policy)\": supported values: \"Foreground\", \"Background\", \"Orphan\"")
                }
                options.propagation = parsed
            }
            options.orphanDependents = body["orphanDependents"]?.boolValue
            options.preconditionUID = body[path: "preconditions", "uid"]?.stringValue
            options.preconditionResourceVersion = body[path: "preconditions", "resourceVersion"]?.stringValue
            options.gracePeriodSeconds = body["gracePeriodSeconds"]?.intValue
            if let dryRun = body["dryRun"]?.arrayValue, dryRun.contains("All") { options.dryRun = true }
        }
        if let policy = query["propagationPolicy"] {
            guard let parsed = DeleteOptions.Propagation(rawValue: policy) else {
                throw APIError.badRequest("propagationPolicy: Unsupported value: \"\(policy)\": supported values: \"Foreground\", \"Background\", \"Orphan\"")
            }
            options.propagation = parsed
        }
        if let orphan = query.bool("orphanDependents") { options.orphanDependents = orphan }
        if let grace = query["gracePeriodSeconds"].flatMap({ Int64($0) }) { options.gracePeriodSeconds = grace }
        if query.all("dryRun").contains("All") { options.dryRun = true }
        return options
    }

    // MARK: Collections

    func deleteCollection(_ type: ResourceType, namespace: String?, query: QueryParameters, request: Request) async throws -> Response {
        let options = try await deleteContext(query, request)
        let label = try LabelSelector(parsing: query["labelSelector"] ?? "")
        let field = try FieldSelector(parsing: query["fieldSelector"] ?? "", for: type)
        let (items, _) = server.store.list(type.storage, namespace: type.namespaced ? namespace : nil)
        var deleted: [[UInt8]] = []
        for item in items {
            let served = Conversion.toServed(type, item.object)
            guard label.matches(served), field.matches(served), let key = ObjectKey(of: item.object) else { continue }
            let result: DeleteResult
            do {
                result = try server.delete(type, namespace: key.namespace, name: key.name, options: options)
            } catch {
                if error.code == 404 { continue }
                throw error
            }
            deleted.append(ObjectEncoding.encode(Conversion.toServed(type, result.object)))
        }
        return Self.json(listBytes(type, items: deleted, metadata: ["resourceVersion": .string(String(server.store.currentRevision))]))
    }

    func listBytes(_ type: ResourceType, items: [[UInt8]], metadata: JSONValue, kind: String? = nil,
                   apiVersion: String? = nil) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(items.reduce(128) { $0 + $1.count + 1 })
        out.append(contentsOf: "{\"kind\":".utf8)
        out.append(contentsOf: JSONValue.string(kind ?? type.listKind).jsonBytes())
        out.append(contentsOf: ",\"apiVersion\":".utf8)
        out.append(contentsOf: JSONValue.string(apiVersion ?? type.apiVersion).jsonBytes())
        out.append(contentsOf: ",\"metadata\":".utf8)
        out.append(contentsOf: metadata.jsonBytes())
        out.append(contentsOf: ",\"items\":[".utf8)
        for (i, item) in items.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: item)
        }
        out.append(contentsOf: "]}".utf8)
        return out
    }
}
