import GitOpsKit

/// The Microsoft Teams body Flux sends: an Adaptive Card (Teams Workflows webhooks) or, for the retired Office 365
/// connector URLs (`*.webhook.office.com`), the legacy MessageCard. Both carry the title `Kind/name.namespace`,
/// the message, and the metadata as facts.
struct MSTeamsPayload {
    var event: FluxEvent
    var address: String

    /// Whether `address` is an Office 365 connector, which only takes MessageCards.
    var isLegacyConnector: Bool {
        guard let host = address.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first else {
            return false
        }
        return host.lowercased().hasSuffix("webhook.office.com")
    }

    private var title: String {
        let object = event.involvedObject
        return "\(object.kind)/\(object.name).\(object.namespace)"
    }

    private var sortedMetadata: [(key: String, value: String)] { event.metadata.sorted { $0.key < $1.key } }

    var json: JSONValue { isLegacyConnector ? messageCard : adaptiveCard }

    private var messageCard: JSONValue {
        let facts: [JSONValue] = sortedMetadata.map { ["name": .string($0.key), "value": .string($0.value)] }
        return [
            "@type": "MessageCard",
            "@context": "http://schema.org/extensions",
            "themeColor": .string(event.severity == .error ? "FF0000" : "0076D7"),
            "summary": .string(title),
            "sections": [["activityTitle": .string(title), "activitySubtitle": .string(event.message),
                          "facts": .array(facts)]],
        ]
    }

    private var adaptiveCard: JSONValue {
        var body: [JSONValue] = [
            ["type": "TextBlock", "text": .string(title), "size": "large", "weight": "bolder", "wrap": true,
             "color": .string(event.severity == .error ? "attention" : "accent")],
            ["type": "TextBlock", "text": .string(event.message), "wrap": true],
        ]
        if !event.metadata.isEmpty {
            body.append(["type": "FactSet",
                         "facts": .array(sortedMetadata.map { ["title": .string($0.key), "value": .string($0.value)] })])
        }
        return [
            "type": "message",
            "attachments": [[
                "contentType": "application/vnd.microsoft.card.adaptive",
                "content": [
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard", "version": "1.4", "body": .array(body),
                ],
            ]],
        ]
    }
}
