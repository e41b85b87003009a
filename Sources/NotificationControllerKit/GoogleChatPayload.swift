import GitOpsKit

/// The Google Chat webhook card Flux sends: header `Kind/name.namespace`, the message as a paragraph and the
/// metadata as key/value widgets.
struct GoogleChatPayload {
    var event: FluxEvent

    var json: JSONValue {
        let object = event.involvedObject
        var sections: [JSONValue] = [["widgets": [["textParagraph": ["text": .string(event.message)]]]]]
        if !event.metadata.isEmpty {
            let facts: [JSONValue] = event.metadata.sorted { $0.key < $1.key }.map { key, value in
                ["keyValue": ["topLabel": .string(key), "content": .string(value)]]
            }
            sections.append(["widgets": .array(facts)])
        }
        return ["cards": [[
            "header": ["title": .string("\(object.kind)/\(object.name).\(object.namespace)"),
                       "subtitle": .string(event.severity.rawValue)],
            "sections": .array(sections),
        ]]]
    }
}
