import GitOpsKit

/// The Webex `messages` body of Flux's `webex` provider: the room from `spec.channel` and Markdown with
/// `<emoji> **kind/name.namespace**`, the message, and one `>**key**: value` line per metadata entry.
struct WebexMessage {
    var event: FluxEvent
    var roomID: String?

    var json: JSONValue {
        let object = event.involvedObject
        var markdown = "\(event.severity == .error ? "💣" : "✅") **\(object.kind.lowercased())/\(object.name).\(object.namespace)**\n"
        markdown += "\(event.message)\n"
        for (key, value) in event.metadata.sorted(by: { $0.key < $1.key }) { markdown += ">**\(key)**: \(value)\n" }
        var payload: JSONValue = ["markdown": .string(markdown)]
        if let roomID, !roomID.isEmpty { payload["roomId"] = .string(roomID) }
        return payload
    }
}
