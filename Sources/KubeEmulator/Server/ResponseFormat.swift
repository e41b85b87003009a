import Foundation

/// What a client accepts for a response, from its Accept header.
enum ResponseFormat: Sendable, Equatable {
    case json
    case table(TableConverter.IncludeObject)
    case partialMetadata

    /// The first acceptable media range; JSON when nothing better is asked for (YAML clients read JSON too).
    static func negotiate(_ accept: String?, includeObject: String?) throws(APIError) -> ResponseFormat {
        guard let accept, !accept.isEmpty, accept.utf8.contains(UInt8(ascii: "=")) || accept.utf8.contains(UInt8(ascii: ",")) else {
            if let accept, !accept.isEmpty, !accept.hasPrefix("application/") && accept != "*/*" {
                throw APIError.notAcceptable(supported: ["application/json", "application/yaml"])
            }
            return .json
        }
        var acceptable = false
        for range in accept.split(separator: ",") {
            let parts = range.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let media = parts.first?.lowercased() else { continue }
            var parameters: [String: String] = [:]
            for parameter in parts.dropFirst() {
                let kv = parameter.split(separator: "=", maxSplits: 1).map(String.init)
                if kv.count == 2 { parameters[kv[0].lowercased()] = kv[1] }
            }
            guard ["application/json", "*/*", "application/*", "application/yaml", "application/json;stream=watch"].contains(media) else { continue }
            acceptable = true
            switch parameters["as"] {
            case nil:
                return .json
            case "Table"? where parameters["g"] == "meta.k8s.io" && (parameters["v"] == "v1" || parameters["v"] == "v1beta1"):
                let include = includeObject.flatMap(TableConverter.IncludeObject.init(rawValue:)) ?? .metadata
                return .table(include)
            case "PartialObjectMetadata"?, "PartialObjectMetadataList"?:
                return .partialMetadata
            default:
                continue
            }
        }
        if acceptable { return .json }
        throw APIError.notAcceptable(supported: ["application/json", "application/yaml"])
    }
}
