import GitOpsKit

/// The Slack incoming-webhook / `chat.postMessage` body Flux sends: one attachment, green (`good`) for info and
/// red (`danger`) for errors, authored `Kind/name.namespace`, the message as text and the metadata as fields.
struct SlackPayload {
    var event: FluxEvent
    var channel: String?
    var username: String?

    var json: JSONValue {
        let object = event.involvedObject
        let fields: [JSONValue] = event.metadata.sorted { $0.key < $1.key }.map { key, value in
            ["title": .string(key), "value": .string(value), "short": false]
        }
        var attachment: JSONValue = [
            "color": .string(event.severity == .error ? "danger" : "good"),
            "author_name": .string("\(object.kind)/\(object.name).\(object.namespace)"),
            "text": .string(event.message),
            "mrkdwn_in": ["text"],
        ]
        if !fields.isEmpty { attachment["fields"] = .array(fields) }
        var payload: JSONValue = ["attachments": [attachment]]
        if let username, !username.isEmpty { payload["username"] = .string(username) }
        if let channel, !channel.isEmpty { payload["channel"] = .string(channel) }
        return payload
    }
}
