import Foundation
import GitOpsKit
import Hummingbird

/// A list continuation: the revision of the first page and the last key returned.
struct ContinueToken: Sendable {
    var revision: Int64
    var namespace: String
    var name: String

    var encoded: String {
        let start = namespace.isEmpty ? name : "\(namespace)/\(name)"
        let value: JSONValue = ["v": "meta.k8s.io/v1", "rv": .int(revision), "start": .string(start + "\u{0}")]
        return Data(value.jsonBytes()).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    init(revision: Int64, namespace: String, name: String) {
        self.revision = revision
        self.namespace = namespace
        self.name = name
    }

    init(decoding text: String) throws(APIError) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64.append("=") }
        guard let data = Data(base64Encoded: base64), let value = try? JSONValue(json: Array(data)),
              value["v"]?.stringValue == "meta.k8s.io/v1", let revision = value["rv"]?.intValue,
              var start = value["start"]?.stringValue else {
            throw APIError.badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)")
        }
        if start.hasSuffix("\u{0}") { start.removeLast() }
        let parts = start.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        self.revision = revision
        if parts.count == 2 {
            namespace = String(parts[0])
            name = String(parts[1])
        } else {
            namespace = ""
            name = start
        }
    }
}

extension EmulatorResponder {
    func list(_ type: ResourceType, namespace: String?, query: QueryParameters, format: ResponseFormat) throws -> Response {
        let label = try LabelSelector(parsing: query["labelSelector"] ?? "")
        let field = try FieldSelector(parsing: query["fieldSelector"] ?? "", for: type)
        var limit = query["limit"].flatMap { Int($0) } ?? 0
        if limit < 0 { limit = 0 }
        let token = try query["continue"].flatMap { $0.isEmpty ? nil : $0 }.map { text throws(APIError) in try ContinueToken(decoding: text) }
        if token != nil, let version = query["resourceVersion"], !version.isEmpty {
            throw APIError.badRequest("specifying resource version is not allowed when using continue")
        }
        if let version = query["resourceVersion"], !version.isEmpty, Int64(version) == nil {
            throw APIError.badRequest("invalid resource version \"\(version)\"")
        }
        let (items, revision) = server.store.list(type.storage, namespace: type.namespaced ? namespace : nil)
        let needsConversion = Conversion.needsFieldConversion(type)
        var selected: [(StoredObject, JSONValue?)] = []
        var remaining = 0
        var lastKey: (String, String)?
        let filtering = !label.isEverything || !field.requirements.isEmpty
        for item in items {
            let metadata = item.object["metadata"]
            let itemNamespace = metadata?["namespace"]?.stringValue ?? ""
            let itemName = metadata?["name"]?.stringValue ?? ""
            if let token, (itemNamespace, itemName) <= (token.namespace, token.name) { continue }
            let served: JSONValue? = needsConversion ? Conversion.toServed(type, item.object) : JSONValue?.none
            if filtering {
                let candidate = served ?? item.object
                guard label.matches(candidate), field.matches(candidate) else { continue }
            }
            if limit > 0 && selected.count >= limit {
                remaining += 1
                if filtering { break }
                continue
            }
            selected.append((item, served))
            lastKey = (itemNamespace, itemName)
        }
        let listRevision = token?.revision ?? revision
        var metadata: [String: JSONValue] = ["resourceVersion": .string(String(listRevision))]
        if remaining > 0, let lastKey {
            metadata["continue"] = .string(ContinueToken(revision: listRevision, namespace: lastKey.0, name: lastKey.1).encoded)
            if !filtering { metadata["remainingItemCount"] = .int(Int64(remaining)) }
        }
        switch format {
        case .json:
            let includeKind = type.custom != nil
            let bytes = selected.map { item, served -> [UInt8] in
                if let served {
                    var plain = served
                    if !includeKind { plain["apiVersion"] = nil; plain["kind"] = nil }
                    return ObjectEncoding.encode(plain)
                }
                return includeKind ? item.json(apiVersion: type.apiVersion, kind: type.kind) : item.body
            }
            return Self.json(listBytes(type, items: bytes, metadata: .object(metadata)))
        case .partialMetadata:
            let bytes = selected.map { partialMetadata($0.0.object).jsonBytes() }
            return Self.json(listBytes(type, items: bytes, metadata: .object(metadata),
                                       kind: "PartialObjectMetadataList", apiVersion: "meta.k8s.io/v1"))
        case .table(let include):
            let objects = selected.map { $0.1 ?? Conversion.toServed(type, $0.0.object) }
            return Self.json(TableConverter.table(type, objects: objects, listMetadata: .object(metadata), include: include).jsonBytes())
        }
    }
}
