import GitOpsKit

/// Builds the ConfigMap or Secret object for checked generator data, field for field as kustomize does.
enum GeneratedObject {
    static func make(_ args: GeneratorArgs, data pairs: [KeyValuePair]) -> JSONValue {
        var metadata: [String: JSONValue] = ["name": .string(args.name)]
        if !args.namespace.isEmpty { metadata["namespace"] = .string(args.namespace) }
        if !args.options.labels.isEmpty { metadata["labels"] = stringMap(args.options.labels) }
        if !args.options.annotations.isEmpty { metadata["annotations"] = stringMap(args.options.annotations) }
        var object: [String: JSONValue] = [
            "apiVersion": "v1",
            "kind": .string(args.kind.rawValue),
            "metadata": .object(metadata),
        ]
        switch args.kind {
        case .configMap:
            // Text that is valid UTF-8 goes to `data`, anything else base64-encoded to `binaryData`; an empty
            // generator has neither field.
            var data: [String: JSONValue] = [:]
            var binaryData: [String: JSONValue] = [:]
            for pair in pairs {
                if let text = String(validating: pair.value, as: UTF8.self) {
                    data[pair.key] = .string(text)
                } else {
                    binaryData[pair.key] = .string(WrappedBase64.encode(pair.value))
                }
            }
            if !data.isEmpty { object["data"] = .object(data) }
            if !binaryData.isEmpty { object["binaryData"] = .object(binaryData) }
        case .secret:
            // A Secret always carries `data`, empty or not.
            var data: [String: JSONValue] = [:]
            for pair in pairs { data[pair.key] = .string(WrappedBase64.encode(pair.value)) }
            object["data"] = .object(data)
            object["type"] = .string(args.secretType.isEmpty ? "Opaque" : args.secretType)
        }
        if args.options.immutable { object["immutable"] = true }
        return .object(object)
    }

    static func stringMap(_ map: [String: String]) -> JSONValue {
        .object(map.mapValues { .string($0) })
    }
}
