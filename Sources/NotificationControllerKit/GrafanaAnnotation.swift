import FoundationEssentials
import GitOpsKit

/// The Graphite-format annotation Flux's `grafana` provider posts to `/api/annotations/graphite`: `when` (the event
/// time, Unix seconds), `text` `kind/name.namespace`, and tags `flux`, the reporting controller, one
/// `key: value` per metadata entry (`:` inside keys and values becomes `|`, so Grafana's tag split stays intact),
/// then `kind: …`, `name: …`, `namespace: …`.
struct GrafanaAnnotation {
    var event: FluxEvent

    var json: JSONValue {
        let object = event.involvedObject
        var tags: [JSONValue] = ["flux", .string(event.reportingController)]
        for (key, value) in event.metadata.sorted(by: { $0.key < $1.key }) {
            tags.append(.string("\(key.replacing(":", with: "|")): \(value.replacing(":", with: "|"))"))
        }
        tags += [.string("kind: \(object.kind)"), .string("name: \(object.name)"), .string("namespace: \(object.namespace)")]
        let when = (try? Date(event.timestamp, strategy: .iso8601)).map { Int64($0.timeIntervalSince1970) } ?? 0
        return [
            "when": .int(when),
            "text": .string("\(object.kind.lowercased())/\(object.name).\(object.namespace)"),
            "tags": .array(tags),
        ]
    }
}
