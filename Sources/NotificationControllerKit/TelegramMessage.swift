import GitOpsKit

/// The `sendMessage` body of Flux's native `telegram` provider: `chat_id` from `spec.channel` (`<chat>:<thread>`
/// also sets `message_thread_id`, for forum topics), MarkdownV2 text with a bold heading
/// `<emoji> kind/name/namespace`, the message, then one `- *key*: value` line per metadata entry.
struct TelegramMessage {
    var event: FluxEvent
    var channel: String

    /// MarkdownV2 reserves these; each is sent escaped with a backslash (core.telegram.org/bots/api#markdownv2-style).
    static let reserved: Set<Character> = ["\\", ".", "-", "_", "[", "]", "(", ")", "~", ">", "`", "#", "+", "=", "|",
                                           "{", "}", "!", "*"]

    var json: JSONValue {
        let object = event.involvedObject
        let emoji = event.severity == .error ? "🚨" : "💫"
        let heading = "\(emoji) \(object.kind.lowercased())/\(object.name)/\(object.namespace)"
        var metadata = ""
        for (key, value) in event.metadata.sorted(by: { $0.key < $1.key }) {
            metadata += "\\- *\(Self.escaped(key))*: \(Self.escaped(value))\n"
        }
        let text = "*\(Self.escaped(heading))*\n\(Self.escaped(event.message))\n\(metadata)"
        var payload: JSONValue = ["text": .string(text), "parse_mode": "MarkdownV2"]
        if let colon = channel.firstIndex(of: ":") {
            payload["chat_id"] = .string(String(channel[..<colon]))
            payload["message_thread_id"] = .string(String(channel[channel.index(after: colon)...]))
        } else {
            payload["chat_id"] = .string(channel)
        }
        return payload
    }

    static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            if reserved.contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }
}
